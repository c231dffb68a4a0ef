"""Word ``.docx``: body paragraphs and tables in body order, streamed.

The package's limits (entries, inflated size per part, compression ratio) are
checked on the zip's central directory before anything is inflated; the main
part is then parsed with ``iterparse`` one body element at a time, each cleared
once read, so a document of 200 MB of empty paragraphs never becomes a tree in
memory. The parser resolves no entities and loads no DTD or network resource.
python-docx's own table API is not used: it repeats merged cells and hides their
span. Headers and footers are never visited.
"""

from __future__ import annotations

import io
import posixpath
import zipfile
from collections.abc import Iterator

from lxml import etree

from itaflow.models import Block, Document
from itaflow.read.html_doc import tidy_lines
from itaflow.read.safety import Budget, Unreadable, check_zip, corrupt


def qn(tag: str) -> str:
    """``w:p`` to its Clark name (python-docx's helper, without importing python-docx)."""
    prefix, local = tag.split(":")
    return f"{{{_NS[prefix]}}}{local}"


_NS = {
    "w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
}
_OFFICE_DOC = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
_STRICT_DOC = "http://purl.oclc.org/ooxml/officeDocument/relationships/officeDocument"
_RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"

_P, _TBL, _TR, _TC, _SDT, _SDT_CONTENT = (
    qn("w:p"), qn("w:tbl"), qn("w:tr"), qn("w:tc"), qn("w:sdt"), qn("w:sdtContent"),
)  # fmt: skip
_T, _TAB, _BR, _CR, _SYM, _DEL = (
    qn("w:t"),
    qn("w:tab"),
    qn("w:br"),
    qn("w:cr"),
    qn("w:sym"),
    qn("w:del"),
)
_BODY = qn("w:body")
_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"


def _safe_parser_args() -> dict:
    return {"resolve_entities": False, "no_network": True, "load_dtd": False, "huge_tree": False}


def main_part(zf: zipfile.ZipFile) -> str:
    """The main document part named by the package relationships (usually word/document.xml)."""
    names = set(zf.namelist())
    if "_rels/.rels" in names:
        rels = etree.fromstring(zf.read("_rels/.rels"), etree.XMLParser(**_safe_parser_args()))
        for rel in rels.iter(_RELS):
            if rel.get("Type") in (_OFFICE_DOC, _STRICT_DOC):
                target = posixpath.normpath(rel.get("Target", "").lstrip("/"))
                if target in names:
                    return target
    if "word/document.xml" in names:
        return "word/document.xml"
    raise corrupt("Word", "no main document part")


def read_docx(data: bytes, budget: Budget) -> Document:
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        check_zip(zf, budget.limits)
        blocks = list(_stream_blocks(zf, main_part(zf), budget))
    except Unreadable:
        raise
    except zipfile.BadZipFile as exc:
        raise corrupt("Word", str(exc)) from exc
    except (
        KeyError,
        ValueError,
        OSError,
        SyntaxError,
        EOFError,
    ) as exc:  # lxml errors subclass SyntaxError
        raise corrupt("Word", str(exc)) from exc
    return Document(format="docx", blocks=blocks)


def _stream_blocks(zf: zipfile.ZipFile, name: str, budget: Budget) -> Iterator[Block]:
    """Blocks of each body child as soon as it is parsed; the child is freed after."""
    with zf.open(name) as fh:
        body = None
        pending = 0  # elements of the body child being parsed (held in memory until it ends)
        for event, el in etree.iterparse(fh, events=("start", "end"), **_safe_parser_args()):
            if event == "start":
                if el.tag == _BODY:
                    body = el
                pending += 1
                if pending % 10_000 == 0:
                    budget.tick()
                    if pending > MAX_ELEMENTS_PER_BLOCK:
                        raise too_complex()
                continue
            if body is None or el.getparent() is not body:
                continue
            budget.tick()
            yield from _element_blocks(el, budget)
            pending = 0
            el.clear()
            while el.getprevious() is not None:
                del body[0]


# One paragraph or table of a real report holds a few thousand elements; a table of
# 300 measures about 100,000. Past this the document is refused before memory grows.
MAX_ELEMENTS_PER_BLOCK = 500_000


def too_complex() -> Unreadable:
    return Unreadable(
        "เอกสาร Word มีโครงสร้างซับซ้อนผิดปกติ (ตารางหรือย่อหน้าเดียวมีองค์ประกอบเกิน"
        f" {MAX_ELEMENTS_PER_BLOCK:,} รายการ) ระบบไม่เปิดอ่าน"
        f" / Word document abnormally complex (one table or paragraph holds more than"
        f" {MAX_ELEMENTS_PER_BLOCK:,} elements); not read"
    )


def _element_blocks(el, budget: Budget) -> Iterator[Block]:
    for child in _children_of(el):
        if child.tag == _P:
            text = tidy_lines(paragraph_text(child))
            yield from (Block(kind="text", text=line) for line in text.split("\n") if line)
        elif child.tag == _TBL:
            rows = table_rows(child, budget)
            if rows:
                yield Block(kind="table", rows=rows)


def _children_of(el):
    """The element itself, or what a body-level content control (``w:sdt``) holds."""
    if el.tag == _SDT:
        content = el.find(_SDT_CONTENT)
        if content is not None:
            yield from _children(content)
    else:
        yield el


def _children(el):
    """Block-level children, looking through content controls (``w:sdt``)."""
    for child in el:
        if child.tag == _SDT:
            content = child.find(_SDT_CONTENT)
            if content is not None:
                yield from _children(content)
        else:
            yield child


def paragraph_text(p) -> str:
    """Text of a paragraph: runs, tabs, breaks and Wingdings symbols (tick boxes stay U+F0xx)."""
    parts: list[str] = []
    for node in p.iter(_T, _TAB, _BR, _CR, _SYM):
        if any(a.tag in (_FALLBACK, _DEL) for a in node.iterancestors()):
            continue  # the VML copy of a text box, or deleted tracked text
        if node.tag == _T:
            parts.append(node.text or "")
        elif node.tag == _TAB:
            parts.append(" ")
        elif node.tag == _SYM:
            code = node.get(qn("w:char")) or ""
            try:
                parts.append(chr(int(code, 16)))
            except ValueError:
                continue
        else:
            parts.append("\n")
    return "".join(parts)


def _cell_text(tc) -> str:
    """A cell's paragraphs one per line; a nested table flattened one line per row."""
    lines: list[str] = []
    for el in _children(tc):
        if el.tag == _P:
            lines.append(paragraph_text(el))
        elif el.tag == _TBL:
            for row in table_rows(el, None):
                lines.append(" ".join(c.replace("\n", " ") for c in row if c))
    return tidy_lines("\n".join(lines))


def _int_val(parent, path: str, default: int) -> int:
    el = parent.find(path) if parent is not None else None
    try:
        return max(0, min(int(el.get(qn("w:val"))), 1000)) if el is not None else default
    except (TypeError, ValueError):
        return default


def table_rows(tbl, budget: Budget | None) -> list[list[str]]:
    """Grid of a ``w:tbl``: spanned cells hold their text once, first (top-left) position."""
    grid: list[list[str]] = []
    for tr in _children(tbl):
        if tr.tag != _TR:
            continue
        row: list[str] = [""] * _int_val(tr.find(qn("w:trPr")), qn("w:gridBefore"), 0)
        for tc in _children(tr):
            if tc.tag != _TC:
                continue
            props = tc.find(qn("w:tcPr"))
            span = max(1, _int_val(props, qn("w:gridSpan"), 1))
            vmerge = props.find(qn("w:vMerge")) if props is not None else None
            continued = vmerge is not None and vmerge.get(qn("w:val"), "continue") == "continue"
            row.append("" if continued else _cell_text(tc))
            row.extend([""] * (span - 1))
        if budget is not None:
            budget.tick(len(row))
        grid.append(row)
    width = max((len(r) for r in grid), default=0)
    return [r + [""] * (width - len(r)) for r in grid if any(r)]
