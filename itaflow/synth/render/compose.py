"""Lay a record out as a document: title, agency lines, tables of cells, signature.

Format writers only place what ``compose`` decides, so every format says the same
thing and differs only in how it is stored. Choices that vary between real reports
(column titles and order, a ลำดับ column, where tables split, how units are listed)
are drawn from the record's own seed, so a record always renders the same way.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from itaflow.models import Measure, SubmissionRecord
from itaflow.synth import vocab
from itaflow.synth.periods import thai_digits

ORDERS = (
    ("measure", "steps", "responsible", "period", "result", "outcome"),
    ("measure", "steps", "period", "responsible", "result", "outcome"),
    ("measure", "steps", "responsible", "period", "outcome", "result"),
)


@dataclass
class Row:
    kind: str  # "data" | "group" (a ด้าน heading spanning the table) | "header" (repeated as data)
    cells: list[str]  # "data"/"header": one per column; "group": the heading text only
    measure: Measure | None = None


@dataclass
class Table:
    heading: str | None  # a line printed just before the table (ด้าน IIT), if any
    header: list[str]
    fields: list[str]
    rows: list[Row] = field(default_factory=list)


@dataclass
class Doc:
    title: list[str]
    agency: list[str]
    intro: list[str]
    tables: list[Table]
    signature: list[str]
    agency_after_first_table: bool = False
    measure_list: list[str] = field(default_factory=list)  # numbered list of measures in the intro


def rng_for(record: SubmissionRecord, salt: str) -> random.Random:
    return random.Random(f"{record.evidence['synth']['seed']}:{salt}")


def _digits(record: SubmissionRecord, text: str) -> str:
    return thai_digits(text) if record.evidence["synth"].get("digits") == "thai" else text


def join_units(units: list[str], rng: random.Random) -> str:
    """The ways officers list several responsible units in one cell."""
    if len(units) == 1:
        return units[0]
    style = rng.choice(["slash", "dash", "comma", "lines", "and", "slash_tight"])
    if style == "and" and not any("และ" in u for u in units):
        return ", ".join(units[:-1]) + " และ" + units[-1] if len(units) > 2 else " และ".join(units)
    if style == "dash":
        return " ".join(f"-{u}" for u in units)
    if style == "comma":
        return ", ".join(units)
    if style == "lines":
        return "\n".join(units)
    if style == "slash_tight":
        return "/".join(units)
    return " / ".join(units)


def columns(
    record: SubmissionRecord, rng: random.Random, with_seq: bool
) -> tuple[list[str], list[str]]:
    """Field per column and its title; a field empty in every measure has no column."""
    order = list(rng.choice(ORDERS))
    present = [
        f
        for f in order
        if any(_cell_value(m, f) for m in record.measures) or f in ("measure", "steps")
    ]
    fields = (["seq"] if with_seq else []) + present
    titles = [rng.choice(vocab.COLUMN_TITLES[f]) for f in fields]
    return fields, titles


def _cell_value(m: Measure, f: str) -> str:
    if f == "period":
        return m.period_text
    if f == "responsible":
        return "\n".join(m.responsible)
    return getattr(m, f)


def cells(
    record: SubmissionRecord, m: Measure, fields: list[str], index: int, rng: random.Random
) -> list[str]:
    enum = record.evidence["synth"].get("enum", "")
    out = []
    for f in fields:
        if f == "seq":
            out.append(_digits(record, f"{index}."))
        elif f == "measure":
            prefix = _digits(record, enum.replace("1", str(index))) if enum else ""
            out.append(prefix + m.measure)
        elif f == "responsible":
            out.append(join_units(m.responsible, rng))
        else:
            out.append(_cell_value(m, f))
    return out


def compose(record: SubmissionRecord, split: str, with_seq: bool | None = None) -> Doc:
    """The document of ``record``; ``split`` is "one" table, one per "group", per "measure" or per "pairs"."""
    syn = record.evidence["synth"]
    rng = rng_for(record, "compose")
    if with_seq is None:
        with_seq = rng.random() < 0.4
    fields, header = columns(record, rng, with_seq)
    grouped = syn.get("grouped", False)
    headings = {c: rng.choice(vocab.CATEGORY_HEADINGS[c]) for c in ("IIT", "EIT", "OIT")}
    tables: list[Table] = []
    current: Table | None = None
    last_cat: str | None = None
    header_rows = set(syn.get("header_rows", []))
    for i, m in enumerate(record.measures):
        new_group = grouped and m.category != last_cat
        heading = None
        if new_group:
            n = ("IIT", "EIT", "OIT").index(m.category) + 1 if m.category else 0
            heading = _digits(record, f"{n}.") + rng.choice(["", " "]) + headings[m.category]
        start_new = (
            current is None
            or split == "measure"
            or (split == "pairs" and len(current.rows) >= 2)
            or (split == "group" and new_group)
        )
        if start_new:
            current = Table(
                heading=heading if split != "one" else None, header=header, fields=fields
            )
            tables.append(current)
            if heading and split == "one":
                current.rows.append(Row("group", [heading]))
        elif heading:
            if split == "pairs":
                current = Table(heading=heading, header=header, fields=fields)
                tables.append(current)
            else:
                current.rows.append(Row("group", [heading]))
        if i in header_rows:
            current.rows.append(Row("header", list(header)))
        current.rows.append(Row("data", cells(record, m, fields, i + 1, rng), m))
        last_cat = m.category
    return Doc(
        title=list(syn["title"]),
        agency=list(syn["agency_lines"]),
        intro=list(syn["intro"]),
        tables=tables,
        signature=list(syn["signature"]),
    )
