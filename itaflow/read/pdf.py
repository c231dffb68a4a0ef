"""PDF with a text layer: tables from ruling lines (else from aligned columns), text around them.

PDFium (``read.pdf_pdfium``) gives each page's characters and ruling edges;
pdfplumber's table finder turns the edges into cells (its intersections and
cell grouping are well kept and handle merged cells; only its pdfminer-based
page interpretation, the costly part, is not used). The text is rebuilt by
``read.pdf_text`` (Thai-safe order). Each table's cells are filled by placing
every glyph in the cell box that holds its centre.
"""

from __future__ import annotations

import re
import zlib

from pdfplumber.table import TableFinder

from itaflow.models import Block, Document
from itaflow.read import pdf_pdfium
from itaflow.read.pdf_columns import Memory, columns_tables
from itaflow.read.pdf_text import Glyph, glyphs_of, group_lines, line_text, lines_text
from itaflow.read.safety import ENCRYPTED, ZIP_BOMB, Budget, Unreadable, corrupt

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


def _inside(inner: tuple, outer: tuple, tol: float = 2.0) -> bool:
    return (
        inner[0] >= outer[0] - tol
        and inner[1] >= outer[1] - tol
        and inner[2] <= outer[2] + tol
        and inner[3] <= outer[3] + tol
    )


class _Sheet:
    """What pdfplumber's table finder needs of a page when the edges are given."""

    def __init__(self, bbox: tuple[float, float, float, float]) -> None:
        self.bbox = bbox


def _open_ends(vertical: list[dict], horizontal: list[dict]) -> list[dict]:
    """Rulings that close a table cut by a page break.

    Chromium draws no bottom border where a page break cuts a table (nor a top
    one where it goes on): the columns' rulings end at a height no horizontal
    ruling crosses, so the last row would have no cell. Where two or more
    vertical rulings end (or start) at the same height with no horizontal ruling
    there, a line between the outermost of them closes the row.
    """
    out: list[dict] = []
    for key in ("bottom", "top"):
        ends: dict[int, list[dict]] = {}
        for e in vertical:
            ends.setdefault(round(e[key]), []).append(e)
        for y, group in ends.items():
            x0, x1 = min(e["x0"] for e in group), max(e["x1"] for e in group)
            if len(group) < 2 or x1 - x0 < 20:
                continue
            if any(
                abs(h["top"] - y) <= 3 and h["x0"] <= x0 + 3 and h["x1"] >= x1 - 3
                for h in horizontal
            ):
                continue
            out.append(
                {
                    **group[0],
                    "orientation": "h",
                    "object_type": "h_edge",
                    "x0": x0,
                    "x1": x1,
                    "top": float(y),
                    "bottom": float(y),
                    "width": x1 - x0,
                    "height": 0.0,
                }
            )
    return out


def _ruled_tables(edges: list[dict], bbox: tuple[float, float, float, float]) -> list:
    """Tables drawn with rulings: at least 2x2, not a box nested inside another table."""
    vertical = [e for e in edges if e["orientation"] == "v"]
    horizontal = [e for e in edges if e["orientation"] == "h"]
    horizontal += _open_ends(vertical, horizontal)
    if len(vertical) < 2 or len(horizontal) < 2:
        return []
    settings = {
        **_TABLE_SETTINGS,
        "vertical_strategy": "explicit",
        "horizontal_strategy": "explicit",
        "explicit_vertical_lines": vertical,
        "explicit_horizontal_lines": horizontal,
    }
    try:
        found = TableFinder(_Sheet(bbox), settings).tables  # type: ignore[arg-type]
    except (ValueError, IndexError, KeyError, ZeroDivisionError):
        return []
    tables = [t for t in found if len(t.rows) >= 2 and max(len(r.cells) for r in t.rows) >= 2]
    return [
        t
        for t in tables
        if not any(o is not t and _inside(t.bbox, o.bbox) and o.bbox != t.bbox for o in tables)
    ]


def _cell_index(rows: list[list], g: Glyph) -> tuple[int, int] | None:
    for r, row in enumerate(rows):
        for c, box in enumerate(row):
            if box and box[0] - 1 <= g.cx <= box[2] + 1 and box[1] - 1 <= g.mid <= box[3] + 1:
                return r, c
    return None


def _table_grid(table, glyphs: list[Glyph]) -> list[list[str]]:
    """Text of each cell (lines joined by "\\n"); spanned positions stay ""."""
    cells = [row.cells for row in table.rows]  # ``rows`` is recomputed on every access
    n_rows, n_cols = len(cells), max(len(r) for r in cells)
    buckets: dict[tuple[int, int], list[Glyph]] = {}
    for g in glyphs:
        idx = _cell_index(cells, g)
        if idx is not None:
            buckets.setdefault(idx, []).append(g)
    grid = [
        [lines_text(group_lines(buckets.get((r, c), []))) for c in range(n_cols)]
        for r in range(n_rows)
    ]
    grid = [row for row in grid if any(row)]
    keep = [c for c in range(n_cols) if any(row[c] for row in grid)]
    return [[row[c] for c in keep] for row in grid]


def page_blocks(
    chars: list[dict],
    edges: list[dict],
    bbox: tuple[float, float, float, float],
    number: int,
    budget: Budget,
    columns: Memory | None = None,
) -> tuple[list[Block], int]:
    """Blocks of one page in reading order, and how many non-space characters it has.

    ``columns`` carries the columns of tables without rulings from page to page.
    """
    glyphs = glyphs_of(chars)
    n_chars = sum(1 for g in glyphs if not g.text.isspace())
    placed: list[tuple[float, Block]] = []
    rest = glyphs
    for table in _ruled_tables(edges, bbox) if glyphs else []:
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
        used: set[int] = set()
        for found in columns_tables(lines, columns):
            budget.tick(sum(len(r) for r in found.rows))
            placed.append(
                (lines[found.start].top, Block(kind="table", rows=found.rows, page=number))
            )
            used.update(range(found.start, found.end))
        lines = [line for k, line in enumerate(lines) if k not in used]
    for line in lines:
        text = line_text(line)
        if text:
            placed.append((line.top, Block(kind="text", text=text, page=number)))
    placed.sort(key=lambda item: item[0])
    return [block for _, block in placed], n_chars


_STREAM = re.compile(rb"(?<!end)stream\r?\n")


_IMAGE = re.compile(rb"/Subtype\s*/Image\b")
_WIDTH = re.compile(rb"/Width\s+(\d{1,6})\b")
_HEIGHT = re.compile(rb"/Height\s+(\d{1,6})\b")
_MAX_IMAGE_BYTES = 512 * 1024 * 1024


def _stream_dict(data: bytes, start: int) -> bytes:
    """The object header before a ``stream`` keyword, however long its dictionary is."""
    begin = data.rfind(b" obj", 0, start)
    return data[begin + 4 : start] if begin >= 0 else data[max(0, start - 4096) : start]


def _image_allowance(head: bytes) -> int | None:
    """What a real image stream may inflate to: its declared pixels (4 bytes each, plus
    a predictor byte per row). None when the dictionary does not describe an image."""
    if not _IMAGE.search(head):
        return None
    width, height = _WIDTH.search(head), _HEIGHT.search(head)
    if not (width and height):
        return 0  # an "image" without dimensions gets no allowance: counted as content
    w, h = int(width.group(1)), int(height.group(1))
    return min(w * h * 4 + h, _MAX_IMAGE_BYTES)


def _inflated_size(data: bytes, pos: int, ceiling: int) -> int:
    """Inflate a stream chunk by chunk, keeping nothing; stop just past ``ceiling``.

    The stream is done when the decompressor reaches its end (``eof``), whatever
    input is left: the bytes after a stream are the rest of the file, and feeding
    them again (``unconsumed_tail`` survives ``eof``) would never end.
    """
    inflater = zlib.decompressobj()
    total = 0
    pending = b""
    try:
        while not inflater.eof and total <= ceiling:
            if not pending:
                if pos >= len(data):
                    break
                pending = data[pos : pos + 65536]
                pos += len(pending)
            total += len(inflater.decompress(pending, 1 << 20))
            pending = inflater.unconsumed_tail
    except zlib.error:
        pass  # damaged or not Flate: the parser will say so if it matters
    return total


def check_streams(data: bytes, limit: int) -> None:
    """Refuse a PDF whose Flate streams inflate past ``limit`` bytes (a decompression bomb).

    pdfminer inflates a stream in one call with no ceiling, so the sizes are
    counted here first, keeping nothing. Every stream is tried, whatever its
    dictionary says (a bomb need not announce its filter). An image stream may be
    as large as its declared pixels, since scans are legitimately large; beyond
    that it is a bomb disguised as an image.
    """
    total = 0
    for m in _STREAM.finditer(data):
        allowance = _image_allowance(_stream_dict(data, m.start()))
        if allowance:
            if _inflated_size(data, m.end(), allowance) > allowance:
                raise Unreadable(ZIP_BOMB + f" (PDF image stream > {allowance:,} bytes)")
            continue
        total += _inflated_size(data, m.end(), limit - total)
        if total > limit:
            raise Unreadable(ZIP_BOMB + f" (PDF streams > {limit:,} bytes)")


def _open(data: bytes):
    """The document in PDFium, or the reason it cannot be read."""
    import pypdfium2 as pdfium

    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise Unreadable(ENCRYPTED) from exc
        raise corrupt("PDF", str(exc)) from exc


# What a browser prints in the page margins: date and time (with the page's
# title) at the top, the address and "page/pages" at the bottom.
_BROWSER_LINE = re.compile(
    r"^\d{1,2}/\d{1,2}/\d{2,4},? \d{1,2}:\d{2}(?: ?[AP]M)?\b|^(?:file|https?)://\S+ \d+/\d+$"
)


def _without_browser_margins(pages: list[list[Block]]) -> list[list[Block]]:
    """Drop the header and footer a browser prints on every page: lines first or
    last on their page that look like one, and read the same (digits aside) on
    every page. Their dates and title would read as the report's own."""
    if len(pages) < 2:
        return pages

    def key(b: Block) -> str:
        return re.sub(r"\d+", "#", b.text)

    ends = [
        {key(b) for b in (page[0], page[-1]) if b.kind == "text" and _BROWSER_LINE.search(b.text)}
        for page in pages
        if page
    ]
    common = set.intersection(*ends) if ends and len(ends) == len(pages) else set()
    if not common:
        return pages
    out = []
    for page in pages:
        first, last = 0, len(page)
        if page[0].kind == "text" and key(page[0]) in common:
            first = 1
        if last > first and page[-1].kind == "text" and key(page[-1]) in common:
            last -= 1
        out.append(page[first:last])
    return out


def read_pdf(data: bytes, budget: Budget) -> Document:
    check_streams(data, budget.limits.max_unzipped_bytes)
    pdf = _open(data)
    try:
        n_pages = len(pdf)
        budget.pages(n_pages)  # from the page tree alone, before any page is parsed
        if n_pages == 0:
            raise corrupt("PDF", "no pages")
        pages: list[list[Block]] = []
        n_chars = has_images = 0
        columns = Memory()
        for number in range(1, n_pages + 1):
            budget.tick()
            page = pdf[number - 1]
            try:
                bbox = (0.0, 0.0, page.get_width(), page.get_height())
                chars = pdf_pdfium.chars(page)
                edges = pdf_pdfium.edges(page) if chars else []
                page_out, count = page_blocks(chars, edges, bbox, number, budget, columns)
                has_images += pdf_pdfium.has_image(page)
            finally:
                page.close()
            pages.append(page_out)
            n_chars += count
    finally:
        pdf.close()
    blocks = [b for page in _without_browser_margins(pages) for b in page]
    if n_chars < 5 * n_pages or not blocks:  # scanners add no text, or a stray page number
        raise Unreadable(SCANNED if has_images or n_chars == 0 else NO_TEXT)
    return Document(format="pdf", blocks=blocks, pages=n_pages)
