"""A table without rulings, from where its words sit: space-aligned columns in a PDF.

Columns are the x-ranges covered by the segments (runs of glyphs without a wide
gap) of multi-segment lines; a row starts at a line whose first column begins a
numbered item ("1", "๑.", "2)") or, when nothing is numbered, holds text in the
first column. Lines in between are wrapped continuations and join their cell
with "\\n". Header lines before the first row become one header row.
"""

from __future__ import annotations

import re

from itaflow.read.pdf_text import Glyph, Line, line_text

# "1", "๑.", "2)", "3.การ" start an item; "1.1" is a sub-item inside one.
_ENUM = re.compile(r"^\(?[0-9๐-๙]{1,3}([.)](?![0-9๐-๙])|(\s|$))")
SEGMENT_GAP = 1.0  # x font size: wider than any space between words in one cell


def segments(line: Line) -> list[list[Glyph]]:
    """Split a line's glyphs where the gap is wider than ``SEGMENT_GAP`` em."""
    out: list[list[Glyph]] = []
    right = None
    for g in line.glyphs:
        if g.text.isspace():
            if out:
                out[-1].append(g)  # an explicit space stays in its segment
            continue
        if right is None or g.x0 - right > SEGMENT_GAP * g.size:
            out.append([])
        out[-1].append(g)
        right = g.x1 if right is None else max(right, g.x1)
    return out


def _column_spans(seg_lists: list[list[list[Glyph]]]) -> list[tuple[float, float]]:
    intervals = sorted(
        (min(g.x0 for g in s), max(g.x1 for g in s))
        for segs in seg_lists
        if len(segs) >= 2
        for s in segs
    )
    spans: list[list[float]] = []
    for x0, x1 in intervals:
        if spans and x0 <= spans[-1][1] + 2:
            spans[-1][1] = max(spans[-1][1], x1)
        else:
            spans.append([x0, x1])
    return [(a, b) for a, b in spans]


def _column_of(x0: float, spans: list[tuple[float, float]]) -> int:
    for i in range(len(spans) - 1, -1, -1):
        if x0 >= spans[i][0] - 2:
            return i
    return 0


def columns_table(lines: list[Line]) -> tuple[int, int, list[list[str]]] | None:
    """Find one space-aligned table in ``lines``: ``(start, end, rows)`` or None."""
    segs = [segments(line) for line in lines]
    wide = [i for i, s in enumerate(segs) if len(s) >= 3]
    if len(wide) < 2:
        return None
    start = wide[0]
    end = max(i for i, s in enumerate(segs) if len(s) >= 2) + 1
    while end < len(lines):  # wrapped continuation lines right below the last row
        gap = lines[end].top - lines[end - 1].top
        if gap > 1.8 * lines[end - 1].size or len(segs[end]) != 1:
            break
        end += 1
    spans = _column_spans(segs[start:end])
    if len(spans) < 3:
        return None

    cells: list[list[str]] = []  # per line, text per column
    for i in range(start, end):
        row = [""] * len(spans)
        for s in segs[i]:
            col = _column_of(min(g.x0 for g in s), spans)
            text = line_text(Line(glyphs=s))
            row[col] = f"{row[col]} {text}".strip()
        cells.append(row)

    numbered = [k for k, row in enumerate(cells) if _ENUM.match(row[0])]
    if len(numbered) >= 2:
        starts = set(numbered)
    else:
        starts = {k for k, row in enumerate(cells) if row[0]}
        if len(starts) < 2:
            starts = {k for k, i in enumerate(range(start, end)) if len(segs[i]) >= 2}
    first = min(starts)
    groups: list[list[list[str]]] = [cells[:first]] if first else []
    for k in range(first, len(cells)):
        if k in starts:
            groups.append([])
        groups[-1].append(cells[k])
    rows = [["\n".join(r[c] for r in g if r[c]) for c in range(len(spans))] for g in groups]
    return start, end, [r for r in rows if any(r)]
