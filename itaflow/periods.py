"""Thai dates, fiscal years and reporting rounds.

Fiscal year พ.ศ. N runs from 1 October (N-1) to 30 September N (BE = CE + 543).
Round ``H1`` (รอบ ๖ เดือน) is 1 October – 31 March, round ``FY`` the whole year.

Periods are parsed here rather than with pythainlp's ``thai_strptime``, which
mis-reads months 10–12 and Thai digits. Every form seen in reports is handled:
"๑ ตุลาคม ๒๕๖๗ ถึง ๓๐ กันยายน ๒๕๖๘", "ตุลาคม ๖๗ - มีนาคม ๖๘", "ต.ค. ๖๗ – ก.ย. ๖๘",
"1 มค 67 ถึง 31 มีค 67", "๗ - ๑๐ กุมภาพันธ์ ๒๕๖๖", "ภายในเดือนมกราคม", "1/10/2567",
"ตลอดปีงบประมาณ", "ไตรมาส ๑".
"""

from __future__ import annotations

import calendar
import re
from datetime import date
from typing import Any

from itaflow.thai import to_arabic_digits

BE_OFFSET = 543
ROUNDS = ("H1", "FY")

# (month number, spellings): full name, dotted and undotted abbreviations.
_MONTHS: dict[int, tuple[str, ...]] = {
    1: ("มกราคม", "ม.ค.", "มค."),
    2: ("กุมภาพันธ์", "ก.พ.", "กพ."),
    3: ("มีนาคม", "มี.ค.", "มีค."),
    4: ("เมษายน", "เม.ย.", "เมย."),
    5: ("พฤษภาคม", "พ.ค.", "พค."),
    6: ("มิถุนายน", "มิ.ย.", "มิย."),
    7: ("กรกฎาคม", "ก.ค.", "กค."),
    8: ("สิงหาคม", "ส.ค.", "สค."),
    9: ("กันยายน", "ก.ย.", "กย."),
    10: ("ตุลาคม", "ต.ค.", "ตค."),
    11: ("พฤศจิกายน", "พ.ย.", "พย."),
    12: ("ธันวาคม", "ธ.ค.", "ธค."),
}


def _month_pattern(spelling: str) -> str:
    """Full names match anywhere ("ภายในเดือนมกราคม"); abbreviations only as a
    whole word, with any dots optional and spaces allowed around them, so that
    "พย" inside "พยาบาล" or "ทรัพย์" is not a month."""
    if "." not in spelling:
        return re.escape(spelling)
    letters = [p for p in spelling.split(".") if p]
    body = r"\.?\s?".join(re.escape(p) for p in letters)
    return rf"(?<![ก-ฮะ-ฺเ-๎]){body}\.?(?![ก-ฮะ-ฺเ-๎])"


_MONTH_ALTS = sorted(
    ((_month_pattern(s), m) for m, spellings in _MONTHS.items() for s in spellings),
    key=lambda x: -len(x[0]),
)
_MONTH_RE = "|".join(f"(?P<m{i}>{p})" for i, (p, _) in enumerate(_MONTH_ALTS))
_ANY_MONTH = "|".join(p for p, _ in _MONTH_ALTS)
_ERA = r"(?:(?:พ|ค)\s?\.?\s?ศ\s?\.?)"
_DASH = r"(?:-|–|—|(?:จน)?ถึง(?:\s*วันที่)?|to)"
# [day [- day2]] month [era] [year]; a 2-digit year is 40..99 (๖๗ → 2567) and
# is not the day of a following month ("1 มีนาคม 30 กันยายน 2567").
_ATOM = re.compile(
    rf"(?:(?<!\d)(?P<d1>\d{{1,2}})\s*(?:{_DASH}\s*(?P<d2>\d{{1,2}})\s*)?(?:เดือน\s*)?)?"
    rf"(?:{_MONTH_RE})\s*(?:{_ERA}\s*)?"
    rf"(?P<y>\d{{4}}|[4-9]\d(?!\s*(?:เดือน\s*)?(?:{_ANY_MONTH})))?(?!\d)"
)
_NUMERIC = re.compile(
    r"(?<![\d/.])(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4}|\d{2})(?![\d/])"
)
_WHOLE_YEAR = re.compile(r"ตลอด\s*(?:ทั้ง\s*)?ปี|ทั้ง\s*ปีงบ|ทุกเดือน|ปีงบประมาณ")
_FY_YEAR = re.compile(rf"ปีงบประมาณ\s*(?:{_ERA}\s*)?(\d{{4}})")
_QUARTER = re.compile(r"ไตรมาส(?:ที่)?\s*(\d)(?:\s*(?:-|–|ถึง|และ|,)\s*(?:ไตรมาส(?:ที่)?\s*)?(\d))?")


def be_to_ce(year: int) -> int | None:
    """A written year to CE: 4-digit BE (≥ 2400) or CE (1900–2200), 2-digit BE (๖๗ → 2567)."""
    if year < 100:
        year += 2500
    if year >= 2400:
        return year - BE_OFFSET
    if 1900 <= year <= 2200:
        return year
    return None


def fiscal_year_of(d: date) -> int:
    """The BE fiscal year a CE date falls in (October starts the next one)."""
    return d.year + BE_OFFSET + (1 if d.month >= 10 else 0)


def round_bounds(fiscal_year: int, round_: str) -> tuple[date, date]:
    """First and last day a round covers: H1 = 1 Oct – 31 Mar, FY = 1 Oct – 30 Sep."""
    ce = fiscal_year - BE_OFFSET
    end = date(ce, 3, 31) if round_ == "H1" else date(ce, 9, 30)
    return date(ce - 1, 10, 1), end


def due_date(fiscal_year: int, round_: str, settings: Any) -> date:
    """When a round's reports are due: ``settings.due_h1`` / ``due_fy`` ("MM-DD")
    in the CE year the round ends, or the next year if that day is before the end.
    A per-round ``settings.due_overrides`` entry (an extension) wins."""
    override = (getattr(settings, "due_overrides", None) or {}).get((fiscal_year, round_))
    if override is not None:
        return override
    end = round_bounds(fiscal_year, round_)[1]
    month, day = (
        int(x) for x in (settings.due_h1 if round_ == "H1" else settings.due_fy).split("-")
    )
    due = date(end.year, month, day)
    return due if due > end else date(end.year + 1, month, day)


def latest_closed_round(day: date) -> tuple[int, str]:
    """The most recent round whose period ended before ``day``."""
    fy = fiscal_year_of(day)
    if day > round_bounds(fy, "H1")[1]:
        return fy, "H1"
    return fy - 1, "FY"


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _fy_year(month: int, fiscal_year: int) -> int:
    """CE year of a month inside a fiscal year (Oct–Dec belong to the previous CE year)."""
    return fiscal_year - BE_OFFSET - (1 if month >= 10 else 0)


def _atoms(text: str) -> list[dict[str, int | None]]:
    """Every day/month/year mention in reading order, with its text offsets."""
    found: list[dict[str, int | None]] = []
    for m in _ATOM.finditer(text):
        month = next(_MONTH_ALTS[i][1] for i in range(len(_MONTH_ALTS)) if m.group(f"m{i}"))
        year = be_to_ce(int(m.group("y"))) if m.group("y") else None
        d1 = int(m.group("d1")) if m.group("d1") else None
        d2 = int(m.group("d2")) if m.group("d2") else None
        atom = {"day": d1, "month": month, "year": year, "start": m.start(), "end": m.end()}
        if d2 is not None:  # "๗ - ๑๐ กุมภาพันธ์": a range inside one month
            found.append(atom | {"end": m.start("d2"), "range_to_next": 1})
            atom = atom | {"day": d2, "start": m.start("d2")}
        found.append(atom)
    for m in _NUMERIC.finditer(text):
        day, month, year = int(m.group(1)), int(m.group(2)), be_to_ce(int(m.group(3)))
        if 1 <= month <= 12 and year:
            found.append(
                {"day": day, "month": month, "year": year, "start": m.start(), "end": m.end()}
            )
    found.sort(key=lambda a: a["start"])  # type: ignore[arg-type,return-value]
    for a, b in zip(found, found[1:], strict=False):
        between = text[a["end"] : b["start"]]  # type: ignore[misc]
        if re.fullmatch(rf"\s*{_DASH}\s*", between):
            a["range_to_next"] = 1
    return found


def _fill_years(atoms: list[dict[str, int | None]], fiscal_year: int | None) -> bool:
    """Give each yearless atom a year: from the fiscal year, else from its
    neighbours (a later atom's year, one less if the month comes after it)."""
    for i, atom in enumerate(atoms):
        if atom["year"] is not None:
            continue
        month = atom["month"]
        assert month is not None
        if fiscal_year:
            atom["year"] = _fy_year(month, fiscal_year)
            continue
        later = next((a for a in atoms[i + 1 :] if a["year"]), None)
        earlier = next((a for a in reversed(atoms[:i]) if a["year"]), None)
        if later:
            atom["year"] = later["year"] - (1 if month > later["month"] else 0)  # type: ignore[operator]
        elif earlier:
            atom["year"] = earlier["year"] + (1 if month < earlier["month"] else 0)  # type: ignore[operator]
        else:
            return False
    return True


def _atom_span(atom: dict[str, int | None]) -> tuple[date, date] | None:
    year, month, day = atom["year"], atom["month"], atom["day"]
    if year is None or month is None:
        return None
    last = _month_end(year, month)
    if day is None:
        return date(year, month, 1), last
    if not 1 <= day <= 31:
        return None
    d = date(year, month, min(day, last.day))
    return d, d


def parse_period(
    text: str, fiscal_year: int | None = None, *, dates_only: bool = False
) -> tuple[date, date] | None:
    """The first and last CE day a Thai period text covers, or None.

    "X ถึง Y" gives X's first day and Y's last, as written (a reversed range
    stays reversed for checks to see). Other dates in one text (a steps cell with "ภายในเดือนตุลาคม ๒๕๖๕ ...
    ภายในเดือนธันวาคม ๒๕๖๕") give the span from the earliest to the latest.
    A month alone covers that month; yearless months take their year from
    ``fiscal_year`` (October–December are in the previous CE year) or from a
    neighbouring date. "ตลอดปีงบประมาณ" and quarters need a fiscal year, from
    the argument or written in the text; ``dates_only`` turns those off (for a
    title line, where "ปีงบประมาณ ๒๕๖๘" names the year, not a period).
    """
    if not text:
        return None
    text = to_arabic_digits(text)
    stated_fy = _FY_YEAR.search(text)
    fy = fiscal_year
    if stated_fy and (year := int(stated_fy.group(1))) >= 2400:
        fy = fy or year
    atoms = _atoms(text)
    if atoms and _fill_years(atoms, fiscal_year):
        spans = [s for s in map(_atom_span, atoms) if s]
        if len(spans) == 2 == len(atoms) and atoms[0].get("range_to_next"):
            return spans[0][0], spans[1][1]  # "X ถึง Y" as written, even if Y is before X
        if spans:
            return min(s[0] for s in spans), max(s[1] for s in spans)
    if fy is None or dates_only:
        return None
    if q := _QUARTER.search(text):
        first, last = int(q.group(1)), int(q.group(2) or q.group(1))
        if 1 <= first <= last <= 4:
            start_month, end_month = (first * 3 + 6) % 12 + 1, (last * 3 + 8) % 12 + 1
            start = date(_fy_year(start_month, fy), start_month, 1)
            return start, _month_end(_fy_year(end_month, fy), end_month)
    if _WHOLE_YEAR.search(text):
        return round_bounds(fy, "FY")
    return None


def years_in(text: str) -> list[int]:
    """Every BE year written in a text (4-digit 25xx, or 2-digit after a month)."""
    text = to_arabic_digits(text)
    years = [int(y) for y in re.findall(r"(?<!\d)(25\d\d)(?!\d)", text)]
    years += [
        int(m.group("y")) + 2500
        for m in _ATOM.finditer(text)
        if m.group("y") and len(m.group("y")) == 2
    ]
    return years


def date_mentions(text: str) -> list[str]:
    """The dates written in a text, as written (digits made Arabic), in order."""
    text = to_arabic_digits(text)
    found = [(m.start(), m.group(0).strip()) for m in _ATOM.finditer(text)]
    found += [(m.start(), m.group(0)) for m in _NUMERIC.finditer(text)]
    return [t for _, t in sorted(found)]
