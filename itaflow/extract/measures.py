"""Measure-table rows to Measures: merge continuations, map cells to fields."""

from __future__ import annotations

from dataclasses import dataclass, field

from itaflow.extract.cells import (
    category_heading,
    category_of_item,
    indicator_of,
    seq_number,
    split_responsible,
    status_of,
    strip_enumerator,
)
from itaflow.extract.columns import header_likeness
from itaflow.extract.layout import Row
from itaflow.models import Measure
from itaflow.periods import date_mentions, parse_period
from itaflow.thai import normalize

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


def group_rows(rows: list[Row]) -> list[Group]:
    """One group per measure in document order.

    A row continues the previous measure when it has no sequence number and
    its first (measure) cell is empty: a cell wrapped onto the next row or
    page, or merged cells in Word and Excel.
    """
    numbered_tables = {r.table for r in rows if seq_number(r.get("seq")) is not None}
    groups: list[Group] = []
    for row in rows:
        seq_cell = row.get("seq").strip() if row.table in numbered_tables else ""
        prev = groups[-1].rows[-1] if groups else None
        continues = (
            prev is not None
            and not seq_cell
            and not _lead(row).strip()
            and prev.header.fields == row.header.fields
        )
        if continues:
            groups[-1].rows.append(row)
        else:
            groups.append(Group([row]))
    return groups


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
        raw = {name: text.replace("\n", " ") for name, text in raw.items()}
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
