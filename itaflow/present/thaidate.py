"""Dates as a Thai officer writes them: day, Thai month, Buddhist-era year."""

from __future__ import annotations

from datetime import date, datetime

MONTHS = (
    "มกราคม",
    "กุมภาพันธ์",
    "มีนาคม",
    "เมษายน",
    "พฤษภาคม",
    "มิถุนายน",
    "กรกฎาคม",
    "สิงหาคม",
    "กันยายน",
    "ตุลาคม",
    "พฤศจิกายน",
    "ธันวาคม",
)
MONTHS_SHORT = (
    "ม.ค.",
    "ก.พ.",
    "มี.ค.",
    "เม.ย.",
    "พ.ค.",
    "มิ.ย.",
    "ก.ค.",
    "ส.ค.",
    "ก.ย.",
    "ต.ค.",
    "พ.ย.",
    "ธ.ค.",
)


def thai_date(d: date, *, short: bool = False) -> str:
    """``30 เมษายน 2569`` (or ``30 เม.ย. 2569`` with ``short``)."""
    months = MONTHS_SHORT if short else MONTHS
    return f"{d.day} {months[d.month - 1]} {d.year + 543}"


def thai_datetime(iso: str | None, *, short: bool = True) -> str:
    """An ISO timestamp as ``2 พ.ค. 2569 14:05 น.``; empty for None.

    The time is shown as stored (the warehouse keeps local office time); a value
    that is not ISO is returned unchanged so nothing is silently dropped.
    """
    if not iso:
        return ""
    try:
        dt = datetime.fromisoformat(iso)
    except ValueError:
        return iso
    return f"{thai_date(dt.date(), short=short)} {dt:%H:%M} น."
