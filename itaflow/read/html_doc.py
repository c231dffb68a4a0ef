"""HTML to blocks with the standard library parser: nothing is fetched or executed.

Used for whole HTML files (tables become table blocks, other block elements
text blocks) and for the HTML fragments found inside cells of text tables
(``<p>`` paragraphs become lines separated by "\\n", entities are unescaped).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from itaflow.models import Block
from itaflow.read.safety import Budget

_SKIP = {
    "script",
    "style",
    "head",
    "title",
    "noscript",
    "template",
    "svg",
    "math",
    "object",
    "iframe",
}
_BREAK = {
    "p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article",
    "header", "footer", "blockquote", "pre", "hr", "dt", "dd", "dl", "address", "figure", "main",
    "nav", "aside", "caption", "form", "fieldset", "body", "html",
}  # fmt: skip
_VOID = {"br", "hr", "img", "meta", "link", "input", "col", "area", "base", "wbr", "source"}
_WS = re.compile(r"[ \t\r\n\f\v\u00a0\u200b]+")
_TAG = re.compile(r"</?[a-zA-Z][^<>]*>|&(#\d+|#x[0-9a-fA-F]+|[a-zA-Z]{2,8});")


def has_markup(text: str) -> bool:
    """True when ``text`` holds an HTML tag or entity worth parsing."""
    return bool(_TAG.search(text))


def tidy_lines(text: str) -> str:
    """Collapse spaces inside each line, drop empty lines."""
    lines = (_WS.sub(" ", line).strip() for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


@dataclass
class _Cell:
    parts: list[str] = field(default_factory=list)
    colspan: int = 1
    rowspan: int = 1

    def text(self) -> str:
        return tidy_lines("".join(self.parts))


@dataclass
class _Table:
    rows: list[list[_Cell]] = field(default_factory=list)
    cell: _Cell | None = None
    loose: list[str] = field(default_factory=list)  # caption and text outside cells

    def new_row(self) -> None:
        self.cell = None
        self.rows.append([])

    def new_cell(self, colspan: int, rowspan: int) -> _Cell:
        if not self.rows:
            self.rows.append([])
        self.cell = _Cell(colspan=colspan, rowspan=rowspan)
        self.rows[-1].append(self.cell)
        return self.cell

    def grid(self) -> list[list[str]]:
        """Lay spanned cells out: text once in the first position, "" in the others."""
        grid: list[list[str]] = []
        taken: set[tuple[int, int]] = set()
        for r, row in enumerate(self.rows):
            out: list[str] = []
            c = 0
            for cell in row:
                while (r, c) in taken:
                    out.append("")
                    c += 1
                out.append(cell.text())
                out.extend([""] * (cell.colspan - 1))
                for dr in range(1, cell.rowspan):
                    for dc in range(cell.colspan):
                        taken.add((r + dr, c + dc))
                c += cell.colspan
            while (r, c) in taken:
                out.append("")
                c += 1
            grid.append(out)
        width = max((len(row) for row in grid), default=0)
        return [row + [""] * (width - len(row)) for row in grid if any(row)]


def _span(attrs: list[tuple[str, str | None]], name: str) -> int:
    for key, value in attrs:
        if key == name and value:
            m = re.match(r"\s*(\d+)", value)
            if m:
                return max(1, min(int(m.group(1)), 100))
    return 1


class _Parser(HTMLParser):
    def __init__(self, budget: Budget | None, keep_newlines: bool) -> None:
        super().__init__(convert_charrefs=True)
        self.budget = budget
        self.keep_newlines = keep_newlines
        self.blocks: list[Block] = []
        self.line: list[str] = []
        self.tables: list[_Table] = []
        self.skip = 0

    # --- sinks -------------------------------------------------------------
    def _emit(self, text: str) -> None:
        if self.tables:
            table = self.tables[-1]
            if table.cell is not None:
                table.cell.parts.append(text)
            else:
                table.loose.append(text)
        else:
            self.line.append(text)

    def _break(self) -> None:
        if self.tables:
            self._emit("\n")
            return
        text = tidy_lines("".join(self.line))
        self.line = []
        for line in text.split("\n"):
            if line:
                self.blocks.append(Block(kind="text", text=line))

    # --- parser events -----------------------------------------------------
    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP:
            if tag not in _VOID:
                self.skip += 1
            return
        if self.skip:
            return
        if tag == "table":
            if not self.tables:
                self._break()
            self.tables.append(_Table())
        elif tag == "tr" and self.tables:
            self.tables[-1].new_row()
        elif tag in ("td", "th") and self.tables:
            self.tables[-1].new_cell(_span(attrs, "colspan"), _span(attrs, "rowspan"))
            if self.budget is not None:
                self.budget.tick(1)
        elif tag in _BREAK:
            self._break()
        elif tag in ("td", "th"):
            self._emit(" ")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BREAK and not self.skip:
            self._break()

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self.skip = max(0, self.skip - 1)
            return
        if self.skip:
            return
        if tag == "table" and self.tables:
            self._close_table()
        elif tag in ("td", "th") and self.tables:
            self.tables[-1].cell = None
        elif tag in _BREAK:
            self._break()

    def handle_data(self, data: str) -> None:
        if self.skip:
            return
        if self.keep_newlines and not self.tables and "\n" in data:
            pieces = data.split("\n")
            for i, piece in enumerate(pieces):
                if i:
                    self._break()
                self._emit(piece)
            return
        self._emit(data)

    def _close_table(self) -> None:
        table = self.tables.pop()
        grid = table.grid()
        loose = tidy_lines("".join(table.loose))
        if self.tables:  # nested: flatten into the enclosing cell, one line per row
            flat = "\n".join(" ".join(c for c in row if c) for row in grid)
            self._emit("\n" + "\n".join(x for x in (loose, flat) if x) + "\n")
            return
        for line in loose.split("\n") if loose else []:
            self.blocks.append(Block(kind="text", text=line))
        if grid:
            self.blocks.append(Block(kind="table", rows=grid))

    def finish(self) -> list[Block]:
        self.close()
        while self.tables:
            self._close_table()
        self._break()
        return self.blocks


def html_to_blocks(
    text: str, budget: Budget | None = None, keep_newlines: bool = False
) -> list[Block]:
    """Blocks of an HTML document; ``keep_newlines`` for text files with some HTML in them."""
    parser = _Parser(budget, keep_newlines)
    parser.feed(text)
    return parser.finish()


def fragment_to_text(fragment: str) -> str:
    """Text of an HTML fragment (a table cell): paragraphs and <br> become "\\n"."""
    parser = _Parser(None, keep_newlines=False)
    parser.feed(fragment)
    lines: list[str] = []
    for block in parser.finish():
        if block.kind == "text":
            lines.append(block.text)
        else:
            lines.extend(" ".join(c for c in row if c) for row in block.rows)
    return "\n".join(lines)
