"""Measure-table rows to Measures: merge continuations, map cells to fields."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from itaflow.extract.cells import (
    UNIT_HEADS,
    UNIT_START,
    category_heading,
    category_of_item,
    indicator_of,
    seq_number,
    split_responsible,
    status_of,
    strip_enumerator,
    visible,
)
from itaflow.extract.columns import header_likeness
from itaflow.extract.layout import Row
from itaflow.models import Measure
from itaflow.periods import date_mentions, parse_period
from itaflow.thai import normalize, to_arabic_digits

# Raw fields kept in ``Measure.raw`` (beyond the Measure fields).
RAW_FIELDS = (
    "seq",
    "measure",
    "issue",
    "steps",
    "responsible",
    "period",
    "monitoring",
    "result",
    "outcome",
    "category",
)


@dataclass
class Group:
    """The rows of one measure (a data row and its continuation rows)."""

    rows: list[Row] = field(default_factory=list)

    def raw(self, name: str) -> str:
        return "\n".join(t for r in self.rows if (t := r.get(name).strip()))


def _lead(row: Row) -> str:
    h = row.header
    for name in ("measure", "issue", "steps"):
        if (col := h.col(name)) is not None:
            return row.cells[col] if col < len(row.cells) else ""
    return next((c for c in row.cells if c.strip()), "")


_CUT_END = re.compile(r"(?:-|–|ถึง)\s*(?:[\d๐-๙]{1,2})?\s*$")  # "๑ ต.ค. ๖๘ -", "... ถึง ๓๐"
_CUT_START = re.compile(
    r"^\s*(?:-|–|ถึง|(?:25|๒๕)[0-9๐-๙]{2}(?![0-9๐-๙]))"
)  # or the year of a cut date


def _period_cut(above: str, below: str) -> bool:
    """A period cell cut in two by a page break."""
    return bool(below.strip() and above.strip()) and bool(
        _CUT_END.search(above) or _CUT_START.match(below)
    )


_ITEM = re.compile(r"(?:^|\s)\(?([0-9๐-๙]{1,2})[.)](?![0-9๐-๙])")


def _item_numbers(text: str) -> list[int]:
    return [int(to_arabic_digits(m.group(1))) for m in _ITEM.finditer(text)]


def _list_goes_on(above: Row, below: Row) -> bool:
    """A numbered list cut by the page: a cell below starts with item n (n ≥ 2)
    where the same cell above ended with item n - 1 (a new measure starts at 1)."""
    for col, text in enumerate(below.cells):
        first = _item_numbers(text.lstrip()[:6])
        if not first or first[0] < 2 or col >= len(above.cells):
            continue
        before = _item_numbers(above.cells[col])
        if before and before[-1] == first[0] - 1:
            return True
    return False


def _unit_cut(above: str) -> bool:
    """A responsible cell that ends in a bare unit head ("สำนัก", "กอง"): its name
    went to the next page."""
    lines = [t for t in above.strip().split("\n") if t.strip()]
    last = lines[-1].split()[-1] if lines else ""
    return last.lstrip("-•0123456789๐๑๒๓๔๕๖๗๘๙.)( ") in UNIT_HEADS


def _split_by_page(row: Row, prev: Row, numbered_leads: bool) -> bool:
    """A PDF row cut by a page break, continued at the top of the next page's
    table (under its repeated header) with text in its first cell too.

    Told apart from a new measure by: no number where the document numbers its
    measures; a period cell cut mid-range; or no responsible unit and no period
    where the row above has one (or only the tail of a unit's name: "ตรวจสอบภายใน").
    """
    if not (row.page and prev.page and row.page > prev.page and row.table != prev.table):
        return False
    if strip_enumerator(_lead(row).strip())[1] is not None:
        return False
    if numbered_leads or _period_cut(prev.get("period"), row.get("period")):
        return True
    if _unit_cut(prev.get("responsible")) or _list_goes_on(prev, row):
        return True
    if row.header.has("period") and (row.get("period").strip() or not prev.get("period").strip()):
        return False
    resp = row.get("responsible").strip()
    return not resp or not UNIT_START.match(resp)


def _numbered_above(group: Group, row: Row) -> bool:
    """A row cut from a numbered measure: the table has a ลำดับ column, the
    measure above has a number there and this row has none (every real row
    has one), and its measure cell does not start with the next number."""
    if not row.header.has("seq") or visible(row.get("seq")).strip():
        return False
    above = seq_number(group.rows[0].get("seq"))
    return above is not None and strip_enumerator(_lead(row).strip())[1] != above + 1


def _seq_cut(groups: list[Group], row: Row) -> bool:
    """A ลำดับ number cut by a page break ("๑" at the foot of a page, "๗." at the
    top of the next): the two pieces read together are the number of the
    measure above, one more than the measure before it."""
    prev = groups[-1].rows[-1]
    if not (row.page and prev.page and row.page > prev.page and len(groups[-1].rows) == 1):
        return False
    head, tail = _seq_text(prev.get("seq")), _seq_text(row.get("seq"))
    joined = seq_number(head + tail)
    if joined is None or not head or joined == seq_number(head):
        return False
    before = seq_number(_seq_text(groups[-2].rows[0].get("seq"))) if len(groups) > 1 else 0
    return before is not None and joined == before + 1


def _seq_text(cell: str) -> str:
    """A ลำดับ cell without the line breaks a narrow column put inside its number."""
    return "".join(visible(cell).split())


def group_rows(rows: list[Row]) -> list[Group]:
    """One group per measure in document order.

    A row continues the previous measure when it has no sequence number and
    its first (measure) cell is empty (a cell wrapped onto the next row or
    page, or merged cells in Word and Excel), when it comes without a number
    under a numbered measure (its measure cell cut by a page break), or when
    a page break cut it in a table without a ลำดับ column.
    """
    numbered_tables = {r.table for r in rows if seq_number(r.get("seq")) is not None}
    # a row opening a table on a later page may be a cut measure: no evidence either way
    opening = {
        id(r)
        for p, r in zip(rows, rows[1:], strict=False)
        if r.table != p.table and r.page != p.page
    }
    leads = [
        lead
        for r in rows
        if (lead := _lead(r).strip())
        and (id(r) not in opening or strip_enumerator(lead)[1] is not None)
    ]
    enumerated = sum(1 for lead in leads if strip_enumerator(lead)[1] is not None)
    numbered_leads = bool(leads) and enumerated >= 0.8 * len(leads) and enumerated >= 2
    groups: list[Group] = []
    for row in rows:
        seq_cell = row.get("seq").strip() if row.table in numbered_tables else ""
        prev = groups[-1].rows[-1] if groups else None
        continues = (
            prev is not None
            and prev.header.fields == row.header.fields
            and (
                (
                    not seq_cell
                    and (
                        not _lead(row).strip()
                        or _numbered_above(groups[-1], row)
                        or _split_by_page(row, prev, numbered_leads)
                    )
                )
                or (bool(seq_cell) and _seq_cut(groups, row))
            )
        )
        if continues:
            groups[-1].rows.append(row)
        else:
            groups.append(Group([row]))
    return groups


_D = "[0-9๐-๙]"
# a narrow period column wraps inside a date: "๑/๑๐/๒๕๖" + "๗", "๓๑/๓" + "/๒๕๖๘", "๓" + "๑/๓"
_CUT_DATE = re.compile(
    rf"(/{_D}*)\n(?={_D}|/)|({_D})\n(?=/)|(?<!{_D})({_D}{{3}})\n(?={_D}(?!{_D}))"
    rf"|(?<!{_D})({_D})\n(?={_D}{{1,2}}/)"  # "๓" + "๑/๓/๒๕๖๗"
)


def _join_cut_dates(text: str) -> str:
    return _CUT_DATE.sub(lambda m: next(g for g in m.groups() if g is not None), text)


@dataclass
class Built:
    measure: Measure
    period_source: str | None
    header_like: bool
    after_repeated_header: bool


def build(group: Group, seq: int, fiscal_year: int | None, soft_breaks: bool = False) -> Built:
    """One Measure from its rows; text normalised, originals in ``raw``.

    ``soft_breaks``: line breaks inside cells are wrapping, not paragraphs (PDF
    text layers), so they become spaces (and vanish inside words).
    """
    raw = {name: text for name in RAW_FIELDS if (text := group.raw(name))}
    if soft_breaks:
        raw = {
            name: (_join_cut_dates(text) if name == "period" else text).replace("\n", " ")
            for name, text in raw.items()
        }
    first = group.rows[0]
    measure_text = normalize(raw.get("measure", "")) or normalize(raw.get("issue", ""))
    measure_text, _ = strip_enumerator(measure_text)
    steps = normalize(raw.get("steps", ""))

    if first.header.has("period"):
        period_text, source = normalize(raw.get("period", "")), "column"
    elif first.header.has("monitoring"):
        period_text, source = normalize(raw.get("monitoring", "")), "monitoring"
    else:
        period_text, source = " ; ".join(date_mentions(steps)), "steps"
    span = parse_period(period_text, fiscal_year) if period_text else None

    result = normalize(raw.get("result", ""))
    outcome = normalize(raw.get("outcome", ""))
    status = status_of(result)
    if status == "unknown" and not result:
        status = status_of(outcome)
    indicator = indicator_of(raw.get("measure", ""), raw.get("issue", ""), steps)
    category = (
        first.category or category_heading(raw.get("category", "")) or category_of_item(indicator)
    )
    measure = Measure(
        seq=seq,
        category=category,
        indicator=indicator,
        measure=measure_text,
        steps=steps,
        responsible=split_responsible(raw.get("responsible", "")),
        period_text=period_text,
        period_start=span[0] if span else None,
        period_end=span[1] if span else None,
        result=result,
        outcome=outcome,
        status=status,  # type: ignore[arg-type]
        raw=raw,
    )
    return Built(
        measure=measure,
        period_source=source if period_text else None,
        header_like=header_likeness(first.cells) >= 0.5,
        after_repeated_header=first.after_repeated_header,
    )
