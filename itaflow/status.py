"""Where a round stands: the figures and the per-LAO list behind ``itaflow status``.

One function computes the summary (DHIS2's vocabulary: expected reports, actual
reports, reporting rate = actual ÷ expected, on-time rate = actual on time ÷
expected) from the warehouse's ``ReportData``; the CLI, the monitoring page and the
reminders use it, so the figures never disagree. A file that could not be opened
but was tied to its LAO counts as received – must resubmit, never as missing:

    received = accepted + accepted_with_warnings + rejected + unreadable
    missing  = expected − received
    must_resubmit = rejected + unreadable
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from itaflow.compile import labels
from itaflow.models import LaoRoundStatus, ReportData
from itaflow.thai import to_arabic_digits

SUMMARY_KEYS = (
    "expected",
    "received",
    "on_time",
    "late",
    "missing",
    "must_resubmit",
    "accepted",
    "accepted_with_warnings",
    "rejected",
    "unreadable",
    "reporting_rate",
    "on_time_rate",
)
# The warehouse calls an unreadable file "quarantined"; the office says "unreadable".
STATE_KEY = {"quarantined": "unreadable"}
STATE_TH = {
    "accepted": "ผ่าน",
    "accepted_with_warnings": "ผ่านแบบมีข้อสังเกต",
    "rejected": "ต้องแก้ไข",
    "unreadable": "ส่งแล้ว – ต้องส่งใหม่ (เปิดไฟล์ไม่ได้)",
    "missing": "ยังไม่ส่ง",
}
STATE_EN = {
    "accepted": "accepted",
    "accepted_with_warnings": "accepted with warnings",
    "rejected": "received – must resubmit (rejected)",
    "unreadable": "received – must resubmit (file could not be opened)",
    "missing": "missing",
}
MUST_ACT = ("missing", "rejected", "unreadable")


class StatusArgumentError(ValueError):
    """A province or round the office did not mean; the message is Thai + English."""


@dataclass(frozen=True)
class RoundArg:
    fiscal_year: int
    round: str


def state_of(lao: LaoRoundStatus) -> str:
    """An LAO's state in the office's words (``unreadable`` for a quarantined file)."""
    return STATE_KEY.get(lao.state, lao.state)


def summarize(data: ReportData) -> dict[str, Any]:
    """The round's figures (``SUMMARY_KEYS``); rates are fractions 0..1, rounded to 4 places."""
    states = [state_of(lao) for lao in data.laos]
    expected = len(states)
    count = {k: states.count(k) for k in ("accepted", "accepted_with_warnings", "rejected")}
    unreadable = states.count("unreadable")
    received = expected - states.count("missing")
    on_time = sum(1 for lao in data.laos if lao.on_time is True)
    return {
        "expected": expected,
        "received": received,
        "on_time": on_time,
        "late": sum(1 for lao in data.laos if lao.on_time is False),
        "missing": expected - received,
        "must_resubmit": count["rejected"] + unreadable,
        **count,
        "unreadable": unreadable,
        "reporting_rate": round(received / expected, 4) if expected else 0.0,
        "on_time_rate": round(on_time / expected, 4) if expected else 0.0,
    }


def lao_item(lao: LaoRoundStatus) -> dict[str, Any]:
    """One LAO of the per-LAO list, JSON-ready; ``reasons`` are what it must fix."""
    state = state_of(lao)
    errors = [f.message for f in lao.findings if f.severity == "error"]
    return {
        "lao_code": lao.lao_code,
        "name": lao.name_th,
        "type": lao.type_th,
        "district": lao.district,
        "state": state,
        "state_th": STATE_TH.get(state, state),
        "state_en": STATE_EN.get(state, state),
        "must_act": state in MUST_ACT,
        "on_time": lao.on_time,
        "received_at": lao.received_at,
        "version": lao.version,
        "file": lao.original_name,
        "reasons": list(dict.fromkeys(errors)),
    }


def round_status(data: ReportData) -> dict[str, Any]:
    """Everything ``itaflow status --json`` prints for one round and province."""
    return {
        "province": data.province,
        "fiscal_year": data.fiscal_year,
        "round": data.round,
        "round_th": labels.ROUNDS.get(data.round, data.round),
        "due_date": data.due_date.isoformat(),
        "summary": summarize(data),
        "laos": [lao_item(lao) for lao in data.laos],
        "unattributed_files": [
            {
                "file": u.get("original_name"),
                "state": STATE_KEY.get(u.get("state"), u.get("state")),
                "received_at": u.get("received_at"),
                "reason": u.get("reason"),
            }
            for u in data.unmatched_files
        ],
    }


# --- arguments ------------------------------------------------------------------------

_ROUND = re.compile(r"^\s*(\d{4})\s*[-/ ]\s*([A-Za-z0-9]+)\s*$")


def parse_round(text: str) -> RoundArg:
    """``2568-H1`` / ``2568-FY`` (BE fiscal year); a CE year gets the BE one suggested."""
    m = _ROUND.match(to_arabic_digits(text or ""))
    if not m:
        raise StatusArgumentError(
            f"รูปแบบรอบไม่ถูกต้อง '{text}': ใช้ ปีงบประมาณ(พ.ศ.)-รอบ เช่น 2568-H1 หรือ 2568-FY / "
            "round must look like 2568-H1 or 2568-FY"
        )
    year, rnd = int(m[1]), m[2].upper()
    if rnd not in ("H1", "FY"):
        raise StatusArgumentError(
            f"ไม่รู้จักรอบ '{m[2]}': ใช้ H1 (รอบ 6 เดือน) หรือ FY (รอบ 12 เดือน) เช่น {year}-FY / "
            f"unknown round '{m[2]}': use H1 (6 months) or FY (12 months)"
        )
    if 1900 <= year < 2400:
        raise StatusArgumentError(
            f"ปี {year} เป็นปี ค.ศ.: ใช้ปีงบประมาณ พ.ศ. เช่น {year + 543}-{rnd} / "
            f"{year} is a CE year: use the Buddhist-era fiscal year, e.g. {year + 543}-{rnd}"
        )
    if not 2400 <= year <= 2800:
        raise StatusArgumentError(
            f"ปีงบประมาณ {year} ไม่ถูกต้อง: ใช้ปี พ.ศ. เช่น 2568 / fiscal year must be BE, e.g. 2568"
        )
    return RoundArg(year, rnd)


def parse_province(text: str, provinces: list[str]) -> str:
    """A registry province; a misspelt one gets the closest name suggested (rapidfuzz)."""
    from rapidfuzz import fuzz, process

    name = (text or "").strip().removeprefix("จังหวัด").removeprefix("จ.").strip()
    if name in provinces:
        return name
    hit = process.extractOne(name, provinces, scorer=fuzz.ratio) if name else None
    hint = f" หมายถึง '{hit[0]}' หรือไม่? / did you mean '{hit[0]}'?" if hit else ""
    raise StatusArgumentError(
        f"ไม่พบจังหวัด '{text}' ในทะเบียน อปท. / unknown province '{text}'.{hint}"
    )
