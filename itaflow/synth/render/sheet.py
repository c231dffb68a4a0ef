"""A document as paragraphs and ruled grids, the one shape every outside producer is fed.

LibreOffice and Chromium get the same pieces, so a record (through ``compose``) or a
read document (its ``Block``s, for the producer fixtures) says the same thing in every
producer's file; only fonts, page and table mechanics differ.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from itaflow.models import Block
from itaflow.synth.render.compose import Doc


@dataclass
class Para:
    text: str
    align: Literal["left", "center", "right"] = "left"
    bold: bool = False


@dataclass
class Grid:
    """A ruled table: the header (repeated on every page) and rows of kind data or group."""

    header: list[str]
    rows: list[tuple[str, list[str]]] = field(default_factory=list)  # ("data"|"group", cells)
    fields: list[str] | None = None  # the record field of each column, when known

    def split_columns(self) -> list[bool]:
        """Columns whose items may each get their own row (steps, result), the others merged."""
        return [f in ("steps", "result") for f in self.fields or [""] * len(self.header)]

    def weights(self) -> list[float]:
        """Relative column widths from how much each column holds, as an author would drag them."""
        n = len(self.header)
        size = [len(h) / 2 for h in self.header]
        for kind, cells in self.rows:
            if kind == "data":
                for i, c in enumerate(cells[:n]):
                    size[i] += len(c) / max(1, len(self.rows))
        return [min(max(s, 8.0), 60.0) ** 0.7 for s in size]


Piece = Para | Grid


def from_doc(doc: Doc) -> list[Piece]:
    """A composed record: centred title and agency, intro, a grid per table, signature."""
    out: list[Piece] = [Para(t, "center", True) for t in doc.title]
    out += [Para(t, "center") for t in doc.agency]
    out += [Para(t) for t in doc.intro]
    for t in doc.tables:
        if t.heading:
            out.append(Para(t.heading, bold=True))
        grid = Grid(list(t.header), fields=list(t.fields))
        for row in t.rows:
            grid.rows.append(("group" if row.kind == "group" else "data", list(row.cells)))
        out.append(grid)
    out += [Para(t, "right") for t in doc.signature]
    return out


def guess_fields(header: list[str]) -> list[str]:
    """Which header titles are the steps and result columns (the ones split into item rows)."""
    flat = ["".join(h.split()) for h in header]
    return [
        "steps"
        if any(w in h for w in ("ขั้นตอน", "วิธี"))
        else "result"
        if any(w in h for w in ("ผลการดำเนิน", "สรุปผล"))
        else ""
        for h in flat
    ]


def from_blocks(blocks: list[Block]) -> list[Piece]:
    """A read document: short lines before the first table centred (title), tables as
    grids with their first row as header, short lines after the last one right-aligned."""
    out: list[Piece] = []
    tables = [i for i, b in enumerate(blocks) if b.kind == "table" and b.rows]
    first, last = (tables[0], tables[-1]) if tables else (len(blocks), len(blocks))
    for i, b in enumerate(blocks):
        if b.kind == "table":
            if not b.rows:
                continue
            width = max(len(r) for r in b.rows)
            rows = [list(r) + [""] * (width - len(r)) for r in b.rows]
            out.append(Grid(rows[0], [("data", r) for r in rows[1:]], guess_fields(rows[0])))
        elif b.text.strip():
            title = i < first and len(b.text) < 90
            align = "center" if title else "right" if i > last and len(b.text) < 60 else "left"
            out.append(Para(b.text, align, title))
    return out


__all__ = ["Grid", "Para", "Piece", "from_blocks", "from_doc", "guess_fields"]
