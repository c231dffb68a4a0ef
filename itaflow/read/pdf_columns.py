"""Tables without rulings, from where their words sit: space-aligned columns in a PDF.

A line splits into segments where glyphs are further apart than a word space;
the x-ranges of the segments of multi-segment lines, merged where they overlap,
are the columns. Reports repeat their header on every page, so what was seen
under one header is remembered for the whole document (``Memory``) and every
page under that header gets the same columns.

Rows: cells are padded, so a new row starts where the gap between two lines is
wider than the line pitch inside a cell; the lines before the first row are the
header. Without such gaps a row starts at a numbered first cell ("1", "๑.",
"2)") or, when nothing is numbered, at text in the first column. Lines inside a
row are wrapped cell text and join their cell with "\\n".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TypeVar

from itaflow.read.pdf_text import Glyph, Line, line_text

# "1", "๑.", "2)", "3.การ" start an item; "1.1" is a sub-item inside one.
_ENUM = re.compile(r"^\(?[0-9๐-๙]{1,3}([.)](?![0-9๐-๙])|(\s|$))")
SEGMENT_GAP = 0.5  # x font size: a word space is ~0.25, the padding between cells ≥ 0.8
WORD_GAP = 0.15  # x font size: where a segment that straddles two columns may be cut
ROW_GAP = 0.15  # x font size beyond the line pitch: the padding that separates rows
MIN_PITCH = 0.8  # x font size: lines closer than this are one line set in two fonts
GUTTER = 3.0  # points: text this close to a known column's neighbour would join them
PARAGRAPH = 0.6  # share of the table's width: a single line this wide is body text

Span = tuple[float, float]
T = TypeVar("T")


@dataclass
class Seen:
    """A table as earlier pages showed it under one header."""

    spans: list[Span]  # where the body's text sits, merged
    pitch: float  # line pitch inside a cell, in points
    row_gap: float | None  # distance from a row's last line to the next row's first
    by_gap: bool  # rows were told apart by the padding between them


@dataclass
class Memory:
    """What earlier pages of one document taught, per header text."""

    tables: dict[str, Seen] = field(default_factory=dict)
    last: str | None = None


@dataclass
class Found:
    """One table: lines ``start:end`` of the page made it; ``rows`` of equal width."""

    start: int
    end: int
    rows: list[list[str]]


def segments(line: Line, gap: float = SEGMENT_GAP) -> list[list[Glyph]]:
    """Split a line's glyphs where the gap is wider than ``gap`` em."""
    out: list[list[Glyph]] = []
    right = None
    for g in line.glyphs:
        if g.text.isspace():
            if out:
                out[-1].append(g)  # an explicit space stays in its segment
            continue
        if right is None or g.x0 - right > gap * g.size:
            out.append([])
        out[-1].append(g)
        right = g.x1 if right is None else max(right, g.x1)
    return out


def _extent(seg: list[Glyph]) -> Span:
    return min(g.x0 for g in seg), max(g.x1 for g in seg)


def _merge(intervals: list[Span]) -> list[Span]:
    spans: list[list[float]] = []
    for x0, x1 in sorted(intervals):
        if spans and x0 <= spans[-1][1] + 2:
            spans[-1][1] = max(spans[-1][1], x1)
        else:
            spans.append([x0, x1])
    return [(a, b) for a, b in spans]


def _overlap(a: Span, b: Span) -> float:
    return min(a[1], b[1]) - max(a[0], b[0])


def _column_of(ext: Span, spans: list[Span]) -> int:
    """The column overlapping ``ext`` most; the nearest one when it sits in a gutter."""
    return max(range(len(spans)), key=lambda i: _overlap(ext, spans[i]))


def _crossed(ext: Span, spans: list[Span]) -> int:
    return sum(1 for s in spans if _overlap(ext, s) > 0)


def _drop(lines: list[Line], k: int) -> float:
    """How far line ``k`` sits below line ``k - 1``, by their glyphs' median
    middles (a superscript or a taller mark does not move a line)."""

    def middle(line: Line) -> float:
        mids = sorted(g.mid for g in line.glyphs if not g.text.isspace())
        return mids[len(mids) // 2]

    return middle(lines[k]) - middle(lines[k - 1])


def _pitch(gaps: list[float], size: float, known: float | None) -> float:
    """The line pitch inside a cell: the smallest gap that is a real line break."""
    real = [g for g in gaps if g >= MIN_PITCH * size]
    candidates = real + ([known] if known else [])
    return min(candidates) if candidates else 1.2 * size


def _region(
    lines: list[Line], segs: list[list[list[Glyph]]], i: int, known: dict[str, Seen]
) -> tuple[int, int] | None:
    """The next run of table lines at or after line ``i``: from a line of 3+
    segments to the last multi-segment line before a paragraph of body text.
    It needs two lines of 3+ segments, or one that is a header seen before."""
    while i < len(lines):
        start = next((k for k in range(i, len(lines)) if len(segs[k]) >= 3), None)
        if start is None:
            return None
        left = min(_extent(s)[0] for s in segs[start])
        right = max(_extent(s)[1] for s in segs[start])
        last, wide, k = start, 1, start + 1
        while k < len(lines):
            if len(segs[k]) >= 2:
                last, wide = k, wide + (len(segs[k]) >= 3)
                left = min(left, _extent(segs[k][0])[0])
                right = max(right, _extent(segs[k][-1])[1])
            elif k + 1 < len(lines) and len(segs[k + 1]) == 1:
                x0, x1 = _extent(segs[k][0])
                if x1 - x0 > PARAGRAPH * (right - left):
                    break  # two lines of running text: the table ended above them
            k += 1
        if wide >= 2 or line_text(lines[start]) in known:
            return start, last + 1
        i = k  # nothing but single segments between ``last`` and ``k``
    return None


def _title_above(segs: list[list[Glyph]], left: float, width: float, size: float) -> bool:
    """Whether a line just above a table's first wide line can be the top of
    its header (titles centred vertically): several segments, or one that is
    not running text starting at the table's left edge."""
    if len(segs) >= 2:
        return True
    x0, x1 = _extent(segs[0])
    return x0 > left + size and x1 - x0 < PARAGRAPH * width


def _cells(segs: list[list[Glyph]], spans: list[Span]) -> list[str]:
    """A line's text per column. A lone segment over several columns (a group
    heading) stays in the column it starts in; a segment of a multi-segment
    line that straddles a gutter is cut into words, each to its own column."""
    row: list[list[str]] = [[] for _ in spans]
    for seg in segs:
        ext = _extent(seg)
        if len(segs) == 1 and _crossed(ext, spans) > 1:
            col = next(i for i, s in enumerate(spans) if _overlap(ext, s) > 0)
            row[col].append(line_text(Line(glyphs=seg)))
            continue
        pieces = segments(Line(glyphs=seg), WORD_GAP) if _crossed(ext, spans) > 1 else [seg]
        for piece in pieces:
            row[_column_of(_extent(piece), spans)].append(line_text(Line(glyphs=piece)))
    return [" ".join(t for t in texts if t) for texts in row]


def _with_titles(spans: list[Span], titles: list[Span], size: float) -> list[Span]:
    """Add the header's titles to the columns found in the body.

    A centred title can sit in a gutter beside its column's text ("ที่" over
    "๗."): it joins the column clearly nearest to it; a title with no text
    near it below is a column of its own (empty on this page).
    """
    out = [list(s) for s in spans]
    for t in sorted(titles):
        if any(_overlap(t, s) > 0 for s in out):
            continue
        left = max((s for s in out if s[1] <= t[0]), key=lambda s: s[1], default=None)
        right = min((s for s in out if s[0] >= t[1]), key=lambda s: s[0], default=None)
        dl = t[0] - left[1] if left else float("inf")
        dr = right[0] - t[1] if right else float("inf")
        if left and dl < dr / 2 and (right or dl < size):
            left[1] = t[1]
        elif right and dr < dl / 2 and (left or dr < size):
            right[0] = t[0]
        else:
            out.append(list(t))
            out.sort()
    return [(a, b) for a, b in out]


def _rows(items: list[T], starts: set[int]) -> list[list[T]]:
    """Lines grouped into rows; lines before the first start make the header row."""
    groups: list[list[T]] = []
    for k, item in enumerate(items):
        if k in starts or not groups:
            groups.append([])
        groups[-1].append(item)
    return groups


def _row_starts(cells: list[list[str]]) -> set[int]:
    """Row starts where no padding tells rows apart: a numbered first cell, else
    text in the first column."""
    numbered = {k for k, row in enumerate(cells) if _ENUM.match(row[0])}
    if len(numbered) >= 2:
        return numbered
    starts = {k for k, row in enumerate(cells) if row[0]}
    return starts if len(starts) >= 2 else {0}


def _table(
    lines: list[Line],
    segs: list[list[list[Glyph]]],
    region: tuple[int, int],
    lowest: int,
    memory: Memory,
    first_on_page: bool,
) -> Found | None:
    """The table in ``region`` of lines, grown up to its header's top line (not
    above ``lowest``) and down over the single-column lines of its last row."""
    start, end = region
    header = line_text(lines[start])
    seen = memory.tables.get(header)
    if seen is None and memory.last and first_on_page:
        last = memory.tables[memory.last]  # a page of that table without its header?
        if len(_merge(_intervals(segs, start, end, set()) + last.spans)) == len(last.spans):
            header, seen = memory.last, last
    size = max(lines[start].size, 1.0)
    inner = [_drop(lines, k) for k in range(start + 1, end)]
    pitch = _pitch(inner, size, seen.pitch if seen else None)
    near = pitch + ROW_GAP * size  # farther apart than this, two lines are two rows
    wider = [g for g in inner if g > near] + ([seen.row_gap] if seen and seen.row_gap else [])
    row_gap = min(wider, default=None)
    left = min(_extent(s[0])[0] for s in segs[start:end])
    width = max(_extent(s[-1])[1] for s in segs[start:end]) - left
    while (
        start > lowest
        and _drop(lines, start) <= near
        and _title_above(segs[start - 1], left, width, size)
    ):
        start -= 1
    # single-column lines below: wrapped text of the last row, or a row of its
    # own one row's padding below (a signature sits farther away)
    while end < len(lines) and len(segs[end]) == 1:
        if _drop(lines, end) > (row_gap or pitch) + ROW_GAP * size:
            break
        end += 1
    gaps = [0.0] + [_drop(lines, k) for k in range(start + 1, end)]
    padded = {k for k, g in enumerate(gaps) if k and g > near}
    by_gap = len(padded) >= 2 or bool(padded and seen and seen.by_gap)
    known = seen.spans if seen else []

    def layout(titled: set[int]) -> tuple[list[Span], list[Span], list[list[str]]]:
        # text set close across a gutter must not join columns an earlier page told apart
        found = [
            iv
            for iv in _intervals(segs, start, end, titled)
            if _crossed((iv[0] - GUTTER, iv[1] + GUTTER), known) <= 1
        ]
        body = _merge(found + known)
        spans = _with_titles(body, [_extent(s) for k in sorted(titled) for s in segs[k]], size)
        return body, spans, [_cells(segs[k], spans) for k in range(start, end)]

    if by_gap:
        starts = padded
        body, spans, cells = layout(_titled(lines, start, end, starts))
    else:  # rows start at numbers in the first column: find them, then the header above
        body, spans, cells = layout(set())
        starts = _row_starts(cells)
        if titled := _titled(lines, start, end, starts):
            body, spans, cells = layout(titled)
            starts = _row_starts(cells)
    if len(spans) < 3:
        return None
    memory.tables[header] = Seen(body, pitch, row_gap if by_gap else None, by_gap)
    memory.last = header
    rows = [
        ["\n".join(r[c] for r in g if r[c]) for c in range(len(spans))]
        for g in _rows(cells, starts)
    ]
    return Found(start, end, [r for r in rows if any(r)])


def _intervals(segs: list[list[list[Glyph]]], start: int, end: int, skip: set[int]) -> list[Span]:
    """Where the segments of multi-segment lines sit (a lone segment may span columns)."""
    return [
        _extent(s)
        for k in range(start, end)
        if len(segs[k]) >= 2 and k not in skip
        for s in segs[k]
    ]


def _titled(lines: list[Line], start: int, end: int, starts: set[int]) -> set[int]:
    """The header's lines (those before the first row) and those of its repeats.

    They are no evidence for the columns: titles are centred, while the body's
    text starts at its column's edge.
    """
    groups = _rows(list(range(start, end)), starts)
    if not groups or 0 in starts:
        return set()
    texts = [" ".join(line_text(lines[k]) for k in g) for g in groups]
    return {k for g, text in zip(groups, texts, strict=True) if text == texts[0] for k in g}


def columns_tables(lines: list[Line], memory: Memory | None = None) -> list[Found]:
    """Every space-aligned table in a page's ``lines``, top to bottom.

    Pass one ``memory`` for all pages of a document so that a table continued
    over pages keeps its columns.
    """
    memory = memory if memory is not None else Memory()
    segs = [segments(line) for line in lines]
    found: list[Found] = []
    i = 0
    while i < len(lines) and (region := _region(lines, segs, i, memory.tables)) is not None:
        table = _table(lines, segs, region, i, memory, first_on_page=not found)
        if table is not None:
            found.append(table)
        i = table.end if table is not None else region[1]
    return found
