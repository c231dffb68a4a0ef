"""Read any submitted file into a :class:`~itaflow.models.Document`; never raise.

``read_path(path, limits)`` and ``read_bytes(data, name, limits)`` detect the
format from the bytes (magic numbers, zip members; the file name is only used
in messages), pick one reader module, and return blocks in reading order.
Cell and line text is *raw*: decoded and de-HTML'd, but not Thai-normalised
(``itaflow.thai`` does that). Any failure gives a Document with no blocks and
one ``unreadable_file`` problem whose message is "<Thai reason> / <English reason>".

What the blocks look like, per ``Document.format``:

- ``txt`` / ``md`` (``read.text``): one ``text`` block per non-blank plain line
  (markdown ``**``/``#`` markers removed, spaces collapsed). Consecutive
  tab-separated lines, or consecutive markdown pipe lines (``|---|`` separator
  rows skipped), form one ``table`` block; a blank line, a plain line or a change
  of style ends it. Header rows stay in the table as its first row, so a file
  with a header repeated before every measure gives one table per measure.
  Cells holding HTML (``<p>``, ``<br>``, entities) become plain text with one
  line per paragraph, joined by "\n"; Excel-quoted cells spanning lines are
  joined back into their row. ``md`` when pipe rows outnumber tab rows.
  ``encoding`` is the detected encoding (utf-8, utf-8-sig, utf-16-le/be, cp874 ...).
  A text file containing ``<table>`` or starting like an HTML page is read as ``html``.
- ``html`` (``read.html_doc``): each ``<table>`` is a ``table`` block (nested
  tables flattened into the enclosing cell, one line per row; rowspan/colspan laid
  out on the grid); other block elements give one ``text`` block per line.
  Scripts, styles and ``<head>`` are dropped; nothing is fetched.
- ``docx`` (``read.word``): body paragraphs (``text``, one block per line) and
  tables (``table``) in body order, content controls looked through; headers and
  footers ignored; a cell's paragraphs joined by "\n"; nested tables flattened
  into their cell, one line per row; Wingdings tick boxes kept as U+F0xx.
- ``xlsx`` / ``xls`` (``read.excel``): one ``table`` block per visible sheet
  (hidden sheets skipped), all rows including title rows above the header
  (fully empty rows and columns dropped, so column A may vanish); formulas give
  their cached value, never the formula text (no cached value: ""); dates as
  ISO ``YYYY-MM-DD``; whole numbers without ".0".
- ``pdf`` (``read.pdf``): per page, text lines above/below/between tables as
  ``text`` blocks and each table as a ``table`` block, all with ``page`` set
  (1-based), ``Document.pages`` the page count. Tables come from ruling lines
  when the page has them (cell shading ignored), else from word x-positions
  (at most one such table per page); a cell wrapped over several lines is one
  cell with "\n" between lines. Each page's table is its own block: a header
  repeated on every page comes again as that block's first row(s), and a row
  broken by the page end continues as the next page's first data row with ""
  where nothing continued. Page numbers stay as text blocks. Broken glyphs
  (กำร) and private-use tick boxes come through as they are; ``/ActualText``
  (Typst, Word) is honoured so such PDFs read as written.

In every table block, rows are lists of ``str`` of equal length; a merged cell
holds its text in its first (top-left) position and "" in the others; fully
empty rows are dropped. A readable Document always has at least one block.
"""

from __future__ import annotations

from pathlib import Path

from itaflow.models import Block, Document, Finding
from itaflow.read import safety
from itaflow.read.encoding import decode
from itaflow.read.safety import Budget, Unreadable
from itaflow.read.sniff import sniff
from itaflow.settings import Limits

__all__ = ["read_bytes", "read_path"]

DEFAULT_LIMITS = Limits()


def refused_document(fmt: str, reason: str, encoding: str | None = None) -> Document:
    """The Document for a file we refuse: no blocks, one ``unreadable_file`` error."""
    return Document(
        format=fmt,  # type: ignore[arg-type]
        encoding=encoding,
        problems=[Finding("unreadable_file", "error", reason)],
    )


def read_path(path: Path, limits: Limits = DEFAULT_LIMITS) -> Document:
    """Read the file at ``path``; size is checked before a single byte is loaded."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > limits.max_file_bytes:
            return refused_document("unknown", safety.too_large(size, limits.max_file_bytes).reason)
        data = path.read_bytes()
    except OSError as exc:
        return refused_document(
            "unknown", f"เปิดไฟล์ไม่ได้ / cannot open the file: {type(exc).__name__}"
        )
    return read_bytes(data, path.name, limits)


def read_bytes(data: bytes, name: str = "", limits: Limits = DEFAULT_LIMITS) -> Document:
    """Read a file given as bytes; ``name`` is only for messages."""
    fmt = "unknown"
    try:
        if not data or not data.strip():
            raise Unreadable(safety.EMPTY)
        if len(data) > limits.max_file_bytes:
            raise safety.too_large(len(data), limits.max_file_bytes)
        kind, detail = sniff(data)
        fmt = kind if kind in ("pdf", "docx", "xlsx", "xls") else "unknown"
        if kind == "zip":
            fmt = {"Word": "docx", "Excel": "xlsx"}.get(detail, "unknown")
        doc = _read_kind(kind, detail, data, Budget(limits))
        if not doc.blocks:
            raise Unreadable(safety.NO_CONTENT)
        return doc
    except Unreadable as exc:
        return refused_document(fmt, exc.reason)
    except Exception as exc:  # a reader bug or a library choking on a hostile file
        kind = {"docx": "Word", "xlsx": "Excel", "xls": "Excel", "pdf": "PDF"}.get(fmt, "")
        return refused_document(fmt, safety.corrupt(kind, repr(exc)).reason)


def _read_kind(kind: str, detail: str, data: bytes, budget: Budget) -> Document:
    """Hand the bytes to the reader module of their kind (imported only when needed)."""
    if kind == "text":
        return _read_text(data, budget)
    if kind == "docx":
        from itaflow.read.word import read_docx

        return read_docx(data, budget)
    if kind == "xlsx":
        from itaflow.read.excel import read_xlsx

        return read_xlsx(data, budget)
    if kind == "xls":
        from itaflow.read.excel import read_xls

        return read_xls(data, budget)
    if kind == "pdf":
        from itaflow.read.pdf import read_pdf

        return read_pdf(data, budget)
    raise Unreadable(_refusal(kind, detail))


def _refusal(kind: str, detail: str) -> str:
    if kind == "encrypted":
        return safety.ENCRYPTED
    if kind == "doc":
        return (
            "ไฟล์ Word รุ่นเก่า (.doc) ไม่รองรับ กรุณาบันทึกเป็น .docx หรือ PDF แล้วส่งใหม่"
            " / legacy Word .doc is not supported; save as .docx or PDF and resend"
        )
    if kind == "zip" and detail:
        return safety.corrupt(detail, "zip central directory missing (truncated?)").reason
    if kind == "binary" and detail:
        return f"{safety.NOT_A_DOCUMENT}: {detail}"
    return safety.NOT_A_DOCUMENT


def _read_text(data: bytes, budget: Budget) -> Document:
    from itaflow.read.html_doc import html_to_blocks
    from itaflow.read.text import text_to_blocks

    decoded = decode(data)
    if decoded is None:
        raise Unreadable(safety.NOT_A_DOCUMENT)
    text, encoding = decoded
    if not text.strip():
        raise Unreadable(safety.EMPTY)
    blocks: list[Block]
    if _is_html(text):
        blocks, fmt = html_to_blocks(text, budget, keep_newlines=not _is_page(text)), "html"
    else:
        blocks, fmt = text_to_blocks(text, budget)
    return Document(format=fmt, blocks=blocks, encoding=encoding)  # type: ignore[arg-type]


def _is_page(text: str) -> bool:
    head = text[:2048].lstrip("\ufeff \t\r\n").lower()
    return head.startswith(("<!doctype html", "<html", "<?xml")) and "<html" in text[:4096].lower()


def _is_html(text: str) -> bool:
    """A whole HTML page, or text carrying an HTML ``<table>`` (not just ``<p>`` inside cells)."""
    return _is_page(text) or "<table" in text[:1_000_000].lower()
