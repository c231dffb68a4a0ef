"""One row per thing an officer looks at: a finding, an LAO, a file with no LAO.

The report's tables, the monitoring page, the mails and ``itaflow status --json``
build their rows here, so an LAO's state, its reasons and a finding's words are
the same wherever they are shown. Submission text is made inert (``text.clean``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from itaflow.models import Finding, LaoRoundStatus
from itaflow.present import vocabulary as words
from itaflow.present.text import addressee, clean, thai_message, with_seq
from itaflow.present.thaidate import thai_datetime

REASONS_SHOWN = 5  # an LAO's reasons listed; the rest are counted
NOTES_SHOWN = 3  # observations shown on the page; the rest stay in the findings list


def _more(items: list[str], shown: int) -> list[str]:
    """The first ``shown`` items, and "and N more" for the rest."""
    if len(items) <= shown:
        return items
    return items[:shown] + [f"และอีก {len(items) - shown} รายการ"]


def finding_row(f: Finding) -> dict[str, Any]:
    """A finding in the officer's words: check, severity and field named in Thai, the
    message's Thai half (with "มาตรการที่ N:" once), the full message kept beside it."""
    return {
        "check": clean(f.check),
        "check_th": words.CHECKS.get(f.check, clean(f.check)),
        "severity": f.severity,
        "severity_th": words.SEVERITIES.get(f.severity, clean(f.severity)),
        "measure_seq": f.measure_seq,
        "field": clean(f.field),
        "field_th": words.FIELDS.get(f.field or "", clean(f.field)),
        "message": with_seq(thai_message(f.message), f.measure_seq),
        "message_full": clean(f.message, oneline=False),
    }


def reasons(lao: LaoRoundStatus, due: str) -> list[str]:
    """Why an LAO must act, in words it can act on: errors first, then the rest."""
    if lao.state == "missing":
        return [f"ยังไม่ได้รับรายงาน (กำหนดส่ง {due})"]
    wanted = [f for f in lao.findings if f.severity == "error"] or lao.findings
    messages = list(dict.fromkeys(thai_message(f.message) for f in wanted if clean(f.message)))
    return _more(messages or [words.STATES[lao.state]], REASONS_SHOWN)


def lao_row(seq: int, lao: LaoRoundStatus, due: str) -> dict[str, Any]:
    """An LAO as the report, the mails and the page list it (``due``: the due date shown)."""
    return {
        "seq": seq,
        "lao_code": clean(lao.lao_code),
        "name": clean(lao.name_th),
        "addressee": addressee(clean(lao.name_th)),
        "type": clean(lao.type_th),
        "district": clean(lao.district),
        "province": clean(lao.province),
        "state": lao.state,
        "state_th": words.STATES.get(lao.state, clean(lao.state)),
        "on_time": lao.on_time,
        "timeliness": words.TIMELINESS.get(lao.on_time, ""),
        "received_at": thai_datetime(clean(lao.received_at) or None),
        "received_iso": clean(lao.received_at),
        "version": lao.version,
        "original_name": clean(lao.original_name),
        "measures": lao.measure_count,
        "errors": lao.errors,
        "warnings": lao.warnings,
        "status_counts": {
            words.MEASURE_STATUS.get(k, clean(k)): v for k, v in lao.status_counts.items()
        },
        "action": words.ACTIONS.get(lao.state, ""),
        "reasons": reasons(lao, due) if lao.state in words.MUST_ACT else [],
        "findings": [finding_row(f) for f in lao.findings],
    }


def tracked_row(seq: int, lao: LaoRoundStatus, due: str) -> dict[str, Any]:
    """An LAO as the monitoring page lists it: ``lao_row`` with "received – must
    resubmit" spelt out, its version, and the observations of a report that passed
    with warnings."""
    row = lao_row(seq, lao, due)
    notes = (
        list(dict.fromkeys(f["message"] for f in row["findings"] if f["severity"] == "warning"))
        if lao.state == "accepted_with_warnings"
        else []
    )
    return {
        **row,
        "state_th": words.state_label(lao.state),
        "version_th": f"ฉบับที่ {lao.version}" if lao.version else "",
        "resubmitted": lao.version >= 2,
        "notes": _more(notes, NOTES_SHOWN),
    }


def status_item(lao: LaoRoundStatus) -> dict[str, Any]:
    """An LAO as ``itaflow status --json`` lists it (a contract: values as stored, the
    state in the office's keys, ``reasons`` the errors it must fix)."""
    state = words.STATE_KEY.get(lao.state, lao.state)
    errors = [f.message for f in lao.findings if f.severity == "error"]
    return {
        "lao_code": lao.lao_code,
        "name": lao.name_th,
        "type": lao.type_th,
        "district": lao.district,
        "state": state,
        "state_th": words.STATE_TH.get(state, state),
        "state_en": words.STATE_EN.get(state, state),
        "must_act": lao.state in words.MUST_ACT,
        "on_time": lao.on_time,
        "received_at": lao.received_at,
        "version": lao.version,
        "file": lao.original_name,
        "reasons": list(dict.fromkeys(errors)),
    }


def unmatched_row(item: Mapping[str, Any]) -> dict[str, str]:
    """One file with no LAO, from the warehouse's ``report_unmatched.sql`` row.

    Reads ``original_name`` (or ``file``), ``received_at``, ``sha256``, ``state`` (or
    ``verdict``), ``reason`` (or ``message``) and the agency as the document states it
    (``agency_name``, ``stated_district``, ``stated_province``) when present; other
    keys are ignored, so the query can grow without breaking the report or the page.
    """
    state = clean(item.get("state") or item.get("verdict"))
    default = words.CHECKS["unreadable_file" if state == "quarantined" else "agency_unknown"]
    district, province = clean(item.get("stated_district")), clean(item.get("stated_province"))
    stated = (
        clean(item.get("agency_name")),
        f"อ.{district}" if district else "",
        f"จ.{province}" if province else "",
    )
    return {
        "file": clean(item.get("original_name") or item.get("file") or item.get("name")),
        "agency": " ".join(x for x in stated if x),
        "received_at": thai_datetime(clean(item.get("received_at")) or None),
        "sha256": clean(item.get("sha256"))[:16],
        "state_th": words.STATES.get(state, state),
        "reason": thai_message(item.get("reason") or item.get("message") or default),
    }


def unmatched_item(item: Mapping[str, Any]) -> dict[str, Any]:
    """One file with no LAO as ``itaflow status --json`` lists it (values as stored)."""
    state = item.get("state")
    return {
        "file": item.get("original_name"),
        "state": words.STATE_KEY.get(state, state),
        "received_at": item.get("received_at"),
        "reason": item.get("reason"),
    }
