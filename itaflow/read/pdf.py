"""PDF with a text layer: tables from ruling lines (else from aligned columns), text around them.

Text is rebuilt from pdfplumber's characters rather than its ``extract_text``:
Thai vowels and tone marks are zero-width glyphs whose x-position is unreliable,
so sorting by x scrambles them (วเิคราะห์) and gap-based spacing splits words
(เจ้าหน้าท ี่). Here a combining mark stays with the character before it in
the content stream, lines are grouped on base characters only, and a space is
inserted only for a real gap between base characters. Glyphs themselves are
never altered: broken forms (กำร) and private-use tick boxes (U+F0FE ...) pass
through for the checks to see.
"""

from __future__ import annotations

import io
import unicodedata
from dataclasses import dataclass, field

import pdfplumber

from itaflow.models import Block, Document
from itaflow.read.pdf_actualtext import prepare_layout
from itaflow.read.pdf_columns import columns_table
from itaflow.read.safety import ENCRYPTED, Budget, Unreadable, corrupt

SCANNED = (
    "ไฟล์ PDF เป็นภาพสแกน ไม่มีชั้นข้อความ ระบบอ่านข้อความไม่ได้ กรุณาส่งไฟล์ต้นฉบับ Word/Excel"
    " / scanned PDF without a text layer; send the original Word/Excel file"
)
NO_TEXT = "ไฟล์ PDF ไม่มีข้อความ / the PDF contains no text"

_TABLE_SETTINGS = {
    "vertical_strategy": "lines",
    "horizontal_strategy": "lines",
    "snap_tolerance": 3,
    "join_tolerance": 3,
    "intersection_tolerance": 3,
}


@dataclass
class Glyph:
    """A base character with the combining marks that follow it in the content stream."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float

    @property
    def mid(self) -> float:
        return (self.top + self.bottom) / 2

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2


@dataclass
class Line:
    glyphs: list[Glyph] = field(default_factory=list)
    mid: float = 0.0
    size: float = 0.0

    @property
    def x0(self) -> float:
        return min(g.x0 for g in self.glyphs)

    @property
    def x1(self) -> float:
        return max(g.x1 for g in self.glyphs)

    @property
    def top(self) -> float:
        return min(g.top for g in self.glyphs)


def _is_mark(text: str) -> bool:
    return bool(text) and all(unicodedata.category(ch) in ("Mn", "Me") for ch in text)


def glyphs_of(chars: list[dict]) -> list[Glyph]:
    """Characters in stream order, each combining mark folded into the glyph before it."""
    out: list[Glyph] = []
    for c in chars:
        text = c.get("text") or ""
        if not text:
            continue
        if out and _is_mark(text):
            out[-1].text += text
            continue
        size = float(c.get("size") or 0) or max(float(c["bottom"]) - float(c["top"]), 1.0)
        out.append(
            Glyph(text, float(c["x0"]), float(c["x1"]), float(c["top"]), float(c["bottom"]), size)
        )
    return out


def group_lines(glyphs: list[Glyph]) -> list[Line]:
    """Glyphs into lines top to bottom, each line sorted left to right."""
    lines: list[Line] = []
    for g in sorted(glyphs, key=lambda g: g.mid):
        if lines and abs(g.mid - lines[-1].mid) <= max(lines[-1].size, g.size) * 0.4:
            lines[-1].glyphs.append(g)
        else:
            lines.append(Line([g], g.mid, g.size))
    for line in lines:
        line.glyphs.sort(key=lambda g: g.x0)
    return [line for line in lines if line_text(line)]


def line_text(line: Line, gap: float = 0.25) -> str:
    """A line's text; a space wherever base glyphs are ``gap`` x font size apart."""
    parts: list[str] = []
    right: float | None = None
    for g in line.glyphs:
        if g.text.isspace():
            parts.append(" ")
            continue
        if right is not None and g.x0 - right > max(1.0, gap * g.size):
            parts.append(" ")
        parts.append(g.text)
        right = g.x1 if right is None else max(right, g.x1)
    return " ".join("".join(parts).split())


def lines_text(lines: list[Line]) -> str:
    return "\n".join(t for t in (line_text(line) for line in lines) if t)


def _keep_object(obj: dict) -> bool:
    """Drop filled, unstroked boxes (cell shading, text highlights): they are not rulings."""
    if obj.get("object_type") == "rect":
        thin = min(obj["x1"] - obj["x0"], obj["bottom"] - obj["top"]) < 2.5
        return bool(obj.get("stroke")) or thin
    return True


def _inside(inner: tuple, outer: tuple, tol: float = 2.0) -> bool:
    return (
        inner[0] >= outer[0] - tol
        and inner[1] >= outer[1] - tol
        and inner[2] <= outer[2] + tol
        and inner[3] <= outer[3] + tol
    )


MAX_RULINGS = 5_000  # more drawn objects than this on a page is a drawing, not a table


def _ruled_tables(page) -> list:
    """Tables drawn with rulings: at least 2x2, not a box nested inside another table."""
    if len(page.rects) + len(page.lines) + len(page.curves) > MAX_RULINGS:
        return []
    try:
        found = page.filter(_keep_object).find_tables(_TABLE_SETTINGS)
    except (ValueError, IndexError, KeyError, ZeroDivisionError):
        return []
    tables = [t for t in found if len(t.rows) >= 2 and max(len(r.cells) for r in t.rows) >= 2]
    return [
        t
        for t in tables
        if not any(o is not t and _inside(t.bbox, o.bbox) and o.bbox != t.bbox for o in tables)
    ]


def _cell_index(table, g: Glyph) -> tuple[int, int] | None:
    for r, row in enumerate(table.rows):
        for c, box in enumerate(row.cells):
            if box and box[0] - 1 <= g.cx <= box[2] + 1 and box[1] - 1 <= g.mid <= box[3] + 1:
                return r, c
    return None


def _table_grid(table, glyphs: list[Glyph]) -> list[list[str]]:
    """Text of each cell (lines joined by "\\n"); spanned positions stay ""."""
    n_rows, n_cols = len(table.rows), max(len(r.cells) for r in table.rows)
    buckets: dict[tuple[int, int], list[Glyph]] = {}
    for g in glyphs:
        idx = _cell_index(table, g)
        if idx is not None:
            buckets.setdefault(idx, []).append(g)
    grid = [
        [lines_text(group_lines(buckets.get((r, c), []))) for c in range(n_cols)]
        for r in range(n_rows)
    ]
    grid = [row for row in grid if any(row)]
    keep = [c for c in range(n_cols) if any(row[c] for row in grid)]
    return [[row[c] for c in keep] for row in grid]


def page_blocks(page, number: int, budget: Budget) -> tuple[list[Block], int]:
    """Blocks of one page in reading order, and how many non-space characters it has."""
    glyphs = glyphs_of(page.chars)
    n_chars = sum(1 for g in glyphs if not g.text.isspace())
    placed: list[tuple[float, Block]] = []
    rest = glyphs
    for table in _ruled_tables(page):
        x0, top, x1, bottom = table.bbox
        inside = [g for g in rest if x0 - 1 <= g.cx <= x1 + 1 and top - 1 <= g.mid <= bottom + 1]
        rows = _table_grid(table, inside)
        if not rows:
            continue
        budget.tick(sum(len(r) for r in rows))
        ids = {id(g) for g in inside}
        rest = [g for g in rest if id(g) not in ids]
        placed.append((top, Block(kind="table", rows=rows, page=number)))
    lines = group_lines(rest)
    if not placed:
        found = columns_table(lines, line_text)
        if found is not None:
            start, end, rows = found
            budget.tick(sum(len(r) for r in rows))
            placed.append((lines[start].top, Block(kind="table", rows=rows, page=number)))
            lines = lines[:start] + lines[end:]
    for line in lines:
        text = line_text(line)
        if text:
            placed.append((line.top, Block(kind="text", text=text, page=number)))
    placed.sort(key=lambda item: item[0])
    return [block for _, block in placed], n_chars


def read_pdf(data: bytes, budget: Budget) -> Document:
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

    try:
        pdf = pdfplumber.open(io.BytesIO(data))
        n_pages = len(pdf.pages)
    except (PDFPasswordIncorrect, PDFEncryptionError) as exc:
        raise Unreadable(ENCRYPTED) from exc
    except Exception as exc:  # pdfminer raises many types on damaged files
        if "password" in repr(exc).lower() or "encrypt" in repr(exc).lower():
            raise Unreadable(ENCRYPTED) from exc
        raise corrupt("PDF", repr(exc)) from exc
    blocks: list[Block] = []
    n_chars = has_images = 0
    with pdf:
        budget.pages(n_pages)
        if n_pages == 0:
            raise corrupt("PDF", "no pages")
        for number, page in enumerate(pdf.pages, start=1):
            budget.tick()
            prepare_layout(page)
            page_out, chars = page_blocks(page, number, budget)
            blocks.extend(page_out)
            n_chars += chars
            has_images += len(page.images)
            page.close()
    if n_chars < 5 * n_pages or not blocks:  # scanners add no text, or a stray page number
        raise Unreadable(SCANNED if has_images or n_chars == 0 else NO_TEXT)
    return Document(format="pdf", blocks=blocks, pages=n_pages)
