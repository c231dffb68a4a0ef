"""Word ``.docx``: body paragraphs and tables in body order.

python-docx opens the package (its XML parser does not resolve entities); the
body XML is walked directly because python-docx's own table API repeats merged
cells and hides their span. Headers and footers are never visited.
"""

from __future__ import annotations

import io
import zipfile

from docx import Document as open_docx
from docx.oxml.ns import qn

from itaflow.models import Block, Document
from itaflow.read.html_doc import tidy_lines
from itaflow.read.safety import Budget, check_zip, corrupt

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
_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"


def read_docx(data: bytes, budget: Budget) -> Document:
    try:
        check_zip(zipfile.ZipFile(io.BytesIO(data)), budget.limits)
        body = open_docx(io.BytesIO(data)).element.body
    except zipfile.BadZipFile as exc:
        raise corrupt("Word", str(exc)) from exc
    except (KeyError, ValueError, OSError, SyntaxError) as exc:  # lxml errors subclass SyntaxError
        raise corrupt("Word", str(exc)) from exc
    blocks: list[Block] = []
    for el in _children(body):
        budget.tick()
        if el.tag == _P:
            text = tidy_lines(paragraph_text(el))
            blocks.extend(Block(kind="text", text=line) for line in text.split("\n") if line)
        elif el.tag == _TBL:
            rows = table_rows(el, budget)
            if rows:
                blocks.append(Block(kind="table", rows=rows))
    return Document(format="docx", blocks=blocks)


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
