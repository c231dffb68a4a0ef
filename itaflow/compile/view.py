"""ReportData → one plain, JSON-ready view that every renderer shows as is.

The HTML template, the Typst template (through JSON inputs), the XLSX writer and
the mails all read this one dict, so they never disagree on a count, a label or a
date, and no renderer formats anything itself. Submission text is made inert here
once (control and bidi-override characters removed, length bounded); each renderer
still escapes for its own format (Jinja autoescape, Typst strings, XLSX strings).
"""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from itaflow.compile import analysis, labels
from itaflow.compile.activity import activity
from itaflow.compile.analysis import percent, state_counts
from itaflow.compile.thaidate import thai_date, thai_datetime
from itaflow.models import Finding, LaoRoundStatus, ReportData

# C0/C1 controls (tab and newline handled apart), bidi embeddings/overrides/isolates,
# BOM, lone surrogates and XML non-characters: none belongs in a report, some hide text.
_INVISIBLE = re.compile("[\u202a-\u202e\u2066-\u2069\ufeff]")
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_SPACES = re.compile(r"\s+")
# What PDF extraction leaves behind: "(cid:0)" glyph ids, replacement and private-use chars.
_DEBRIS = re.compile(r"\(cid:\d+\)|[\ufffd\ue000-\uf8ff]")
# "มาตรการที่ 20: " written twice (a reader's prefix on a check's own prefix).
_SEQ_PREFIX = re.compile(r"^(มาตรการที่\s*\d+\s*:\s*)(?:มาตรการที่\s*\d+\s*:\s*)+")
_THAI = re.compile("[\u0e00-\u0e7f]")
_TEXT_LIMIT = 2_000
_REASONS_SHOWN = 5
_STATE_ORDER = ("missing", "quarantined", "rejected", "accepted_with_warnings", "accepted")


def clean(value: Any, *, oneline: bool = True, limit: int = _TEXT_LIMIT) -> str:
    """Submission text made safe to place anywhere: no controls, bounded length.

    ``oneline`` folds newlines and tabs into spaces (names, headers, table cells).
    """
    if value is None:
        return ""
    text = _DEBRIS.sub("", _INVISIBLE.sub("", str(value)))
    if oneline:
        text = _SPACES.sub(" ", _CONTROL.sub(" ", text)).strip()
    else:
        text = _CONTROL.sub(" ", text.replace("\r\n", "\n").replace("\r", "\n")).strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"


def thai_message(message: Any) -> str:
    """A finding's message for an officer: the Thai half of "ไทย / English", debris
    removed, a doubled "มาตรการที่ N:" written once."""
    text = clean(message)
    head, sep, tail = text.rpartition(" / ")
    if sep and _THAI.search(head) and not _THAI.search(tail):
        text = head.strip()
    return _SEQ_PREFIX.sub(r"\1", text)


def _with_seq(message: str, seq: int | None) -> str:
    """ "มาตรการที่ N: ..." exactly once when the finding is about one measure."""
    if seq is None or message.startswith("มาตรการที่") or message.startswith("ทุกมาตรการ"):
        return message
    return f"มาตรการที่ {seq}: {message}"


def thai_key(text: str) -> str:
    """Sort key close to Thai dictionary order: a leading vowel sorts after its consonant."""
    return re.sub("([เแโใไ])([ก-ฮ])", r"\2\1", text)


def safe_href(target: str) -> str | None:
    """A link target for a Data Docs page, or None when it must be shown as text only.

    Only http(s) and file URLs are linked; a bare path becomes a file URL (absolute)
    or stays relative. ``javascript:``, ``data:`` and the like never become links.
    """
    target = clean(target)
    if not target:
        return None
    scheme = urlsplit(target).scheme.lower()
    if scheme in ("http", "https", "file"):
        return target
    if scheme and len(scheme) > 1:  # one letter is a Windows drive, not a scheme
        return None
    path = Path(target)
    return path.as_uri() if path.is_absolute() else path.as_posix()


def _finding(f: Finding) -> dict[str, Any]:
    return {
        "check": clean(f.check),
        "check_th": labels.CHECKS.get(f.check, clean(f.check)),
        "severity": f.severity,
        "severity_th": labels.SEVERITIES.get(f.severity, clean(f.severity)),
        "measure_seq": f.measure_seq,
        "field": clean(f.field),
        "field_th": labels.FIELDS.get(f.field or "", clean(f.field)),
        "message": _with_seq(thai_message(f.message), f.measure_seq),
        "message_full": clean(f.message, oneline=False),
    }


def _reasons(lao: LaoRoundStatus, due: str) -> list[str]:
    """Why an LAO must act, in words it can act on: errors first, then the rest."""
    if lao.state == "missing":
        return [f"ยังไม่ได้รับรายงาน (กำหนดส่ง {due})"]
    wanted = [f for f in lao.findings if f.severity == "error"] or lao.findings
    messages = list(dict.fromkeys(thai_message(f.message) for f in wanted if clean(f.message)))
    if not messages:
        messages = [labels.STATES[lao.state]]
    if len(messages) > _REASONS_SHOWN:
        rest = len(messages) - _REASONS_SHOWN
        messages = messages[:_REASONS_SHOWN] + [f"และอีก {rest} รายการ"]
    return messages


def addressee(name: str) -> str:
    """How a letter to the LAO's head begins: นายกเทศมนตรีตำบลX / นายกองค์การบริหารส่วนตำบลX."""
    return f"นายกเทศมนตรี{name[len('เทศบาล') :]}" if name.startswith("เทศบาล") else f"นายก{name}"


def lao_row(seq: int, lao: LaoRoundStatus, due: str) -> dict[str, Any]:
    return {
        "seq": seq,
        "lao_code": clean(lao.lao_code),
        "name": clean(lao.name_th),
        "addressee": addressee(clean(lao.name_th)),
        "type": clean(lao.type_th),
        "district": clean(lao.district),
        "province": clean(lao.province),
        "state": lao.state,
        "state_th": labels.STATES.get(lao.state, clean(lao.state)),
        "on_time": lao.on_time,
        "timeliness": labels.TIMELINESS.get(lao.on_time, ""),
        "received_at": thai_datetime(clean(lao.received_at) or None),
        "received_iso": clean(lao.received_at),
        "version": lao.version,
        "original_name": clean(lao.original_name),
        "measures": lao.measure_count,
        "errors": lao.errors,
        "warnings": lao.warnings,
        "status_counts": {
            labels.MEASURE_STATUS.get(k, clean(k)): v for k, v in lao.status_counts.items()
        },
        "action": labels.ACTIONS.get(lao.state, ""),
        "reasons": _reasons(lao, due) if lao.state in labels.ACTIONS else [],
        "findings": [_finding(f) for f in lao.findings],
    }


def _district_rows(data: ReportData) -> list[dict[str, Any]]:
    groups: dict[str, list[LaoRoundStatus]] = defaultdict(list)
    for lao in data.laos:
        name = clean(lao.district) or "ไม่ระบุอำเภอ"
        if data.province is None:
            name = f"{name} จ.{clean(lao.province)}"
        groups[name].append(lao)
    rows = []
    for name in sorted(groups, key=thai_key):
        counts = state_counts(groups[name])
        counts["reporting_rate"] = percent(counts["received"], counts["expected"])
        rows.append({"district": name, "total": False, **counts})
    total = state_counts(data.laos)
    total["reporting_rate"] = percent(total["received"], total["expected"])
    rows.append({"district": "รวม", "total": True, **total})
    return rows


def _unmatched(item: dict[str, Any]) -> dict[str, str]:
    """One file with no LAO, from the warehouse's ``report_unmatched.sql`` row.

    Reads ``original_name`` (or ``file``), ``received_at``, ``sha256``, ``state`` (or
    ``verdict``), ``reason`` (or ``message``) and the agency as the document states it
    (``agency_name``, ``stated_district``, ``stated_province``) when present; other
    keys are ignored, so the query can grow without breaking the report.
    """
    state = item.get("state") or item.get("verdict") or ""
    default = labels.CHECKS["unreadable_file" if state == "quarantined" else "agency_unknown"]
    district, province = clean(item.get("stated_district")), clean(item.get("stated_province"))
    agency = " ".join(
        x
        for x in (
            clean(item.get("agency_name")),
            f"อ.{district}" if district else "",
            f"จ.{province}" if province else "",
        )
        if x
    )
    return {
        "file": clean(item.get("original_name") or item.get("file") or item.get("name")),
        "agency": agency,
        "received_at": thai_datetime(clean(item.get("received_at")) or None),
        "sha256": clean(item.get("sha256"))[:16],
        "state_th": labels.STATES.get(state, clean(state)),
        "reason": thai_message(item.get("reason") or item.get("message") or default),
    }


def _category_rows(counts: dict[Any, int]) -> list[dict[str, Any]]:
    """Measures per IIT/EIT/OIT; an empty key is "not stated", an unexpected one is kept."""
    merged: dict[str | None, int] = defaultdict(int)
    for key, n in counts.items():
        merged[None if key in (None, "", "None", "null") else clean(key)] += n
    order = [k for k in labels.CATEGORIES if k in merged]
    order += sorted(k for k in merged if k not in labels.CATEGORIES)
    total = sum(merged.values())
    return [
        {
            "category": k or "",
            "label": labels.CATEGORIES.get(k, k),
            "count": merged[k],
            "share": percent(merged[k], total),
        }
        for k in order
    ]


def _check_rows(data: ReportData, laos: list[dict[str, Any]]) -> list[dict[str, Any]]:
    who: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for lao in laos:
        for f in lao["findings"]:
            who[f["check"]].append({"name": lao["name"], "district": lao["district"], **f})
    ids = list(data.check_counts) + [c for c in who if c not in data.check_counts]
    rows = [
        {
            "check": clean(c),
            "check_th": labels.CHECKS.get(c, clean(c)),
            "count": data.check_counts.get(c, len(who[c])),
            "items": who.get(c, []),
        }
        for c in ids
    ]
    return sorted(rows, key=lambda r: -r["count"])


def heading_view(data: ReportData) -> dict[str, Any]:
    """What names the report and the mails: title lines, round, dates."""
    province = clean(data.province) or None
    where = f"จังหวัด{province}" if province else "ทุกจังหวัด"
    round_th = labels.ROUNDS.get(data.round, clean(data.round))
    period = f"{thai_date(data.period_start)} – {thai_date(data.period_end)}"
    return {
        "title": "สรุปผลการรายงานผลการดำเนินการตามมาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน",
        "subtitle": f"ขององค์กรปกครองส่วนท้องถิ่นใน{where}",
        "round_line": f"ประจำปีงบประมาณ พ.ศ. {data.fiscal_year} {round_th} ({period})",
        "short_title": f"ผลการรายงาน ITA อปท. {where} ปีงบประมาณ {data.fiscal_year} {round_th}",
        "province": province or "",
        "where": where,
        "fiscal_year": data.fiscal_year,
        "round": data.round,
        "round_th": round_th,
        "period_th": period,
        "due_th": thai_date(data.due_date),
        "due_short": thai_date(data.due_date, short=True),
        "generated_th": thai_datetime(clean(data.generated_at) or None, short=False),
        "generated_at": clean(data.generated_at),
    }


def annex_rows(act: Any, laos: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Every measure of every LAO for the XLSX annex (all states; the state is a column),
    in the order of the LAO list, then document order."""
    from itaflow.compile.themes import load_themes

    names = {t.key: t.label for t in load_themes()}
    by_code = {row["lao_code"]: row for row in laos}
    order = {row["lao_code"]: row["seq"] for row in laos}
    rows = []
    for m in sorted(act.rows, key=lambda r: (order.get(r["lao"].lao_code, 0), r["position"])):
        lao = by_code.get(clean(m["lao"].lao_code))
        if lao is None:
            continue
        rows.append(
            {
                "lao_code": lao["lao_code"],
                "name": lao["name"],
                "type": lao["type"],
                "district": lao["district"],
                "state_th": lao["state_th"],
                "received_iso": lao["received_iso"],
                "seq": m["seq"],
                "indicator": clean(m.get("indicator")),
                "category_stated": m["category_stated"] or "",
                "category_used": labels.CATEGORIES.get(m["category_used"], ""),
                "category_code": m["category_used"] or "",
                "themes": "; ".join(names.get(k, k) for k in m["themes"]) or labels.NO_THEME,
                "theme_keys": ";".join(m["themes"]),
                "measure": clean(m.get("measure"), oneline=False),
                "steps": clean(m.get("steps"), oneline=False),
                "responsible": ", ".join(clean(x) for x in m.get("responsible") or []),
                "period_text": clean(m.get("period_text")),
                "period_start": m["period_start"].isoformat() if m.get("period_start") else "",
                "period_end": m["period_end"].isoformat() if m.get("period_end") else "",
                "result": clean(m.get("result"), oneline=False),
                "outcome": clean(m.get("outcome"), oneline=False),
                "status": m["status"],
                "status_th": labels.MEASURE_STATUS.get(m["status"], ""),
            }
        )
    return rows


def office_view(data: ReportData) -> dict[str, Any]:
    """Who sends the report and signs it (settings), with the default office name."""
    province = clean(data.province)
    office = clean(data.office_name) or (
        f"สำนักงานส่งเสริมการปกครองท้องถิ่นจังหวัด{province}" if province else "กรมส่งเสริมการปกครองท้องถิ่น"
    )
    return {
        "office": office,
        "signature": {
            "name": clean(data.officer_name),
            "position": clean(data.officer_position),
            "office": office,
        },
    }


def report_view(data: ReportData) -> dict[str, Any]:
    """Everything the report shows, formatted and labelled, as JSON-ready data."""
    head = heading_view(data)
    ordered = sorted(
        data.laos, key=lambda x: (thai_key(clean(x.district)), thai_key(clean(x.name_th)))
    )
    laos = [lao_row(i, lao, head["due_short"]) for i, lao in enumerate(ordered, 1)]
    counts = state_counts(data.laos)
    summary = [{"key": k, "label": labels.SUMMARY[k], "value": v} for k, v in counts.items()]
    summary += [
        {
            "key": "reporting_rate",
            "label": labels.SUMMARY["reporting_rate"],
            "value": percent(counts["received"], counts["expected"]),
        },
        {
            "key": "on_time_rate",
            "label": labels.SUMMARY["on_time_rate"],
            "value": percent(counts["on_time"], counts["expected"]),
        },
    ]
    must_act = sorted(
        (row for row in laos if row["action"]),
        key=lambda r: (
            _STATE_ORDER.index(r["state"]),
            thai_key(r["district"]),
            thai_key(r["name"]),
        ),
    )
    act = activity(data)
    categories = analysis.category_rows(act)
    themes = analysis.theme_rows(act)
    districts = _district_rows(data)
    checks = _check_rows(data, laos)
    received = counts["received"]
    for c in checks:
        c["laos"] = len({f["name"] + f["district"] for f in c["items"]})
        c["share"] = percent(c["laos"], received)
    return {
        **head,
        **office_view(data),
        "counts": counts,
        "types": analysis.type_rows(data),
        "activity": analysis.activity_summary(act),
        "category_status": categories,
        "themes": themes,
        "comparison": analysis.comparison(data, act, labels.STATES),
        "recurring": analysis.recurring_rows(data),
        "top_checks": checks[:10],
        "late": [row for row in laos if row["on_time"] is False],
        "annex": annex_rows(act, laos),
        "charts": analysis.chart_specs(districts, categories, themes, data.trend),
        "summary": summary,
        "districts": districts,
        "must_act": must_act,
        "laos": laos,
        "checks": checks,
        "categories": _category_rows(data.category_counts),
        "data_docs": [{"text": clean(p), "href": safe_href(p)} for p in data.data_docs],
        "unmatched": [_unmatched(u) for u in data.unmatched_files],
        "labels": {
            "summary": labels.SUMMARY,
            "columns": labels.COLUMNS,
            "sections": labels.SECTIONS,
            "metrics": labels.METRICS,
            "status": labels.MEASURE_STATUS,
        },
    }
