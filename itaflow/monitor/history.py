"""One LAO's history on the monitoring page: every version it sent, per round.

A superseded version says when and why it was replaced; each version lists its
findings (``present.rows.finding_row``, the full message kept) and links the
original by its hash.
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Any

from itaflow.models import Finding
from itaflow.monitor.request import ROUND_ORDER, MonitorError, Query, href, round_label
from itaflow.present.rows import finding_row
from itaflow.present.text import clean
from itaflow.present.thaidate import thai_datetime
from itaflow.present.vocabulary import state_label
from itaflow.settings import Settings

_WHY_REPLACED = {
    "rejected": "ฉบับนี้ต้องแก้ไข หน่วยงานจึงส่งฉบับแก้ไขมาแทน",
    "quarantined": "เปิดไฟล์นี้ไม่ได้ หน่วยงานจึงส่งไฟล์ใหม่มาแทน",
    "accepted_with_warnings": "หน่วยงานส่งฉบับปรับปรุงมาแทน",
    "accepted": "หน่วยงานส่งฉบับใหม่มาแทน",
}


def lao_view(settings: Settings, lao_code: str) -> dict[str, Any]:
    """An LAO's history: per round, every version (superseded ones with when and why),
    each version's findings and a download link by the file's hash."""
    from itaflow.warehouse import lao_history

    code = clean(lao_code)
    if not re.fullmatch(r"\d{1,16}", code):
        raise MonitorError("รหัส อปท. ไม่ถูกต้อง / bad lao_code", 404)
    found = lao_history(settings.warehouse_url, code)
    if found is None:
        raise MonitorError(f"ไม่พบ อปท. รหัส {code} / unknown LAO", 404)
    lao = found["lao"]
    rounds: dict[tuple[Any, Any], list[dict[str, Any]]] = defaultdict(list)
    for s in found["submissions"]:
        rounds[(s["fiscal_year"], s["round"])].append(_version_item(s))
    ordered = sorted(
        rounds.items(), key=lambda kv: (-(kv[0][0] or 0), -ROUND_ORDER.get(kv[0][1] or "", -1))
    )
    return {
        "page_title": "ประวัติการส่งรายงาน",
        "lao": {
            "lao_code": code,
            "name": clean(lao["full_name_th"]),
            "type": clean(lao["type_th"]),
            "district": clean(lao["district_th"]),
            "province": clean(lao["province_th"]),
        },
        "rounds": [
            {
                "fiscal_year": fy,
                "round": rnd,
                "label": round_label(fy, rnd) if fy and rnd else "ไม่ระบุรอบ",
                "href": href(Query(fy, rnd, clean(lao["province_th"])), q=code)
                if fy and rnd
                else "",
                "versions": versions,
            }
            for (fy, rnd), versions in ordered
        ],
        "submissions": len(found["submissions"]),
    }


def _version_item(s: dict[str, Any]) -> dict[str, Any]:
    state = s["status"]
    sup = s["superseded"]
    return {
        "submission_id": s["id"],
        "version": s["version"],
        "version_th": f"ฉบับที่ {s['version']}" if s["version"] else "ไม่นับเป็นฉบับ",
        "current": bool(s["is_current"]),
        "state": state,
        "state_th": state_label(state),
        "reason": clean(s["reason"]),
        "received_at": thai_datetime(clean(s["received_at"]) or None),
        "received_iso": clean(s["received_at"]),
        "file": clean(s["original_name"]),
        "format": clean(s["format"]),
        "size": s["size"],
        "sha256": s["sha256"],
        "download": f"files/{s['sha256']}",
        "superseded": (
            {
                "by_version": sup["by_version"],
                "at": thai_datetime(clean(sup["at"]) or None),
                "why": _WHY_REPLACED.get(state, "หน่วยงานส่งฉบับใหม่มาแทน"),
            }
            if sup
            else None
        ),
        "findings": [_finding(f) for f in s["findings"]],
    }


def _finding(f: dict[str, Any]) -> dict[str, Any]:
    """A stored finding as the report shows it; the page shows the whole message."""
    finding = Finding(
        check=f["check_id"],
        severity=f["severity"],
        message=f["message"] or "",
        measure_seq=f["measure_seq"],
        field=f["field"],
    )
    return {**finding_row(finding), "message": clean(f["message"], oneline=False)}
