"""What a report's title states about time: its fiscal year(s) and its period.

One definition for both stages: extraction records them (``record.evidence``
``title_years``, ``title_period``) and the fiscal-year check reads ``title_years``
(``checks.fiscal_years``), computing it here for a record that was never extracted.
"""

from __future__ import annotations

import re

from itaflow import periods, thai

_FY_WRITTEN = re.compile(
    r"(?:(?:ปี\s*)?งบประมาณ|ประจำปี)\s*(?:พ\s?\.?\s?ศ\s?\.?)?\s*(\d{4}|\d{2})(?!\d)"
)
_ASSESSMENT_LINE = re.compile(r"ประเมิน|ITA|วิเคราะห์")


def title_fiscal_years(title: str) -> set[int]:
    """Fiscal years a title states: "ปีงบประมาณ พ.ศ. ๒๕๖๖" and the fiscal year(s)
    of a written round range "(ตุลาคม ๒๕๖๕ - มีนาคม ๒๕๖๖)". Lines about the ITA
    assessment are left out: a report for 2567 rightly cites the 2566 assessment."""
    lines = [
        thai.to_arabic_digits(line)
        for line in title.splitlines()
        if line.strip() and not _ASSESSMENT_LINE.search(line)
    ]
    years = {int(y) + (2500 if len(y) == 2 else 0) for y in _FY_WRITTEN.findall(" ".join(lines))}
    for line in lines:
        span = periods.parse_period(line)
        if span and 0 <= (span[1] - span[0]).days <= 366:
            years |= {periods.fiscal_year_of(span[0]), periods.fiscal_year_of(span[1])}
    return years


def title_period(title: str) -> list[str] | None:
    """[start, end] ISO dates of the period the title writes, or None."""
    span = periods.parse_period(" ".join(title.splitlines()), dates_only=True)
    return [span[0].isoformat(), span[1].isoformat()] if span else None
