"""Whether the years a report states agree: its title, its fiscal year and its periods.

Feeds ``fiscal_year_inconsistent``: a report for 2568 whose title says 2566, or whose
periods mostly fall in another year, was copied from an older report.
"""

from __future__ import annotations

from datetime import date

from itaflow import periods
from itaflow.evidence.title_years import title_fiscal_years
from itaflow.models import SubmissionRecord


def _plausible_year(year: int) -> bool:
    return 2540 <= year <= date.today().year + periods.BE_OFFSET + 2


def fiscal_year_consistency(record: SubmissionRecord) -> tuple[bool | None, set[int], int | None]:
    """Whether the years a report states agree: title, extracted fiscal year, and
    the fiscal year most periods fall in. Returns (consistent, title years,
    dominant period fiscal year); consistent is None when no year is stated."""
    ev = record.evidence
    title_fys = (
        set(ev["title_years"]) if "title_years" in ev else title_fiscal_years(record.title or "")
    )
    stated = title_fys | ({record.fiscal_year} if record.fiscal_year else set())
    period_fys = [periods.fiscal_year_of(m.period_end) for m in record.measures if m.period_end]
    dominant = max(set(period_fys), key=period_fys.count) if period_fys else None
    if not stated and dominant is None:
        return None, title_fys, dominant
    if len(stated) > 1 or not all(_plausible_year(y) for y in stated):
        return False, title_fys, dominant
    fy = next(iter(stated), None)
    if fy is not None and dominant is not None:
        off = sum(1 for y in period_fys if y != fy)
        if off >= 2 and off > len(period_fys) / 2:
            return False, title_fys, dominant
    return True, title_fys, dominant
