"""Write dates and periods the many ways Thai reports do, knowing the CE dates meant.

The inverse of period parsing: each form here is one a reader must understand
(full month names, dotted and undotted abbreviations, two-digit BE years, numeric
dates, "ตลอดปีงบประมาณ"). Digits are written Arabic; ``thai_digits`` converts a
whole text afterwards, as the report's author would have typed it.
"""

from __future__ import annotations

import calendar
import random
from datetime import date

MONTHS = (
    "มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน",
    "กรกฎาคม", "สิงหาคม", "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม",
)  # fmt: skip
MONTHS_DOT = (
    "ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.",
    "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค.",
)  # fmt: skip
MONTHS_BARE = ("มค", "กพ", "มีค", "เมย", "พค", "มิย", "กค", "สค", "กย", "ตค", "พย", "ธค")

_THAI_DIGITS = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")


def thai_digits(text: str) -> str:
    return text.translate(_THAI_DIGITS)


def round_bounds(fiscal_year: int, round_: str) -> tuple[date, date]:
    """CE first and last day of a round of fiscal year ``fiscal_year`` (BE)."""
    ce = fiscal_year - 543
    return date(ce - 1, 10, 1), (date(ce, 3, 31) if round_ == "H1" else date(ce, 9, 30))


def month_end(d: date) -> date:
    return d.replace(day=calendar.monthrange(d.year, d.month)[1])


def months_between(start: date, end: date) -> list[date]:
    """First days of every month from ``start`` to ``end`` inclusive."""
    out, y, m = [], start.year, start.month
    while (y, m) <= (end.year, end.month):
        out.append(date(y, m, 1))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def thai_date(d: date, style: str = "full") -> str:
    """One day: ``full`` ๑ ตุลาคม ๒๕๖๗, ``dot`` 1 ต.ค. 67, ``bare`` 1 ตค 67, ``num`` 1/10/2567."""
    be = d.year + 543
    if style == "dot":
        return f"{d.day} {MONTHS_DOT[d.month - 1]} {be % 100:02d}"
    if style == "bare":
        return f"{d.day} {MONTHS_BARE[d.month - 1]} {be % 100:02d}"
    if style == "num":
        return f"{d.day}/{d.month}/{be}"
    return f"{d.day} {MONTHS[d.month - 1]} {be}"


def thai_month(d: date, short_year: bool = False) -> str:
    be = d.year + 543
    return f"{MONTHS[d.month - 1]} {be % 100:02d}" if short_year else f"{MONTHS[d.month - 1]} {be}"


def draw_period(fiscal_year: int, round_: str, rng: random.Random) -> tuple[date, date]:
    """A plausible measure period inside the round: the whole round, or whole months in it."""
    first, last = round_bounds(fiscal_year, round_)
    if rng.random() < 0.45:
        return first, last
    months = months_between(first, last)
    i = rng.randrange(len(months))
    j = rng.randrange(i, min(len(months), i + 6))
    return months[i], month_end(months[j])


def period_text(start: date, end: date, fiscal_year: int, round_: str, rng: random.Random) -> str:
    """Write ``start``–``end`` in one of the Thai forms that mean exactly those dates."""
    first, last = round_bounds(fiscal_year, round_)
    whole_fy = (start, end) == round_bounds(fiscal_year, "FY")
    whole_months = start.day == 1 and end == month_end(end)
    forms = ["full", "num"]
    if whole_months:
        forms += ["month_short", "month_long", "month_dot", "month_long", "month_short"]
        if start.year == end.year and start.month != end.month:
            forms.append("month_same_year")
        if start.month == end.month and start.year == end.year:
            forms = ["single_month", "single_month", "full"]
    forms += ["bare", "dot"]
    if whole_fy:
        forms += ["whole_fy", "whole_fy", "fy_named"]
    form = rng.choice(forms)
    sep = rng.choice([" - ", " – ", " ถึง ", " - ", "-"])
    be_fy = str(fiscal_year)
    if form == "whole_fy":
        return "ตลอดปีงบประมาณ"
    if form == "fy_named":
        return rng.choice([f"ตลอดปีงบประมาณ พ.ศ. {be_fy}", f"ปีงบประมาณ พ.ศ. {be_fy}"])
    if form == "single_month":
        return rng.choice(["", "เดือน"]) + thai_month(start)
    if form == "month_short":
        return f"{thai_month(start, True)}{sep}{thai_month(end, True)}"
    if form == "month_long":
        return f"{thai_month(start)}{sep}{thai_month(end)}"
    if form == "month_dot":
        s, e = start.year + 543, end.year + 543
        return f"{MONTHS_DOT[start.month - 1]} {s % 100:02d}{sep}{MONTHS_DOT[end.month - 1]} {e % 100:02d}"
    if form == "month_same_year":
        return f"{MONTHS[start.month - 1]}{sep}{thai_month(end)}"
    if form == "num":
        return f"{thai_date(start, 'num')}{sep}{thai_date(end, 'num')}"
    if form in ("bare", "dot"):
        return f"{thai_date(start, form)}{rng.choice([' ถึง ', ' - '])}{thai_date(end, form)}"
    prefix = rng.choice(["", "", "วันที่ ", "ระหว่างวันที่ "])
    return f"{prefix}{thai_date(start)}{rng.choice([' ถึง ', ' - ', ' – '])}{thai_date(end)}"


def round_phrase(fiscal_year: int, round_: str, rng: random.Random) -> str:
    """How the title states the round, e.g. "รอบ ๖ เดือน (ตุลาคม ๒๕๖๗ - มีนาคม ๒๕๖๘)"."""
    first, last = round_bounds(fiscal_year, round_)
    span = f"{thai_month(first)} - {thai_month(last)}"
    if round_ == "H1":
        return rng.choice(
            [
                "รอบ 6 เดือน",
                f"รอบ 6 เดือน ({span})",
                f"รอบ 6 เดือนแรก (1 ตุลาคม {first.year + 543} - 31 มีนาคม {last.year + 543})",
                f"(เดือน{span})",
                f"รอบ 6 เดือน (เดือน{span})",
            ]
        )
    return rng.choice(
        [
            "",
            "",
            "รอบ 12 เดือน",
            f"({span})",
            f"รอบ 12 เดือน (1 ตุลาคม {first.year + 543} - 30 กันยายน {last.year + 543})",
            "รอบปี",
        ]
    )
