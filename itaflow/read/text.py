"""Plain-text submissions: tab-separated rows, markdown pipe tables, HTML inside cells.

This is how the office receives converted files: a title in plain lines, then
tables as tab-separated rows or markdown pipe rows whose cells may hold HTML
``<p>`` paragraphs. Consecutive rows of one style form one table; a blank line,
a plain line or a change of style ends it.

Excel's "Unicode Text" export (UTF-16, tab-separated) wraps a cell holding line
breaks, tabs or quotes in double quotes, so one row spans several physical
lines; those are joined back into one row first.
"""

from __future__ import annotations

import re

from itaflow.models import Block
from itaflow.read.html_doc import fragment_to_text, has_markup, tidy_lines
from itaflow.read.safety import Budget

_SEPARATOR = re.compile(r"^\s*\|?\s*:?-{1,}:?\s*(\|\s*:?-{1,}:?\s*)*\|?\s*$")
_PIPE_SPLIT = re.compile(r"(?<!\\)\|")
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+")
_BOLD = re.compile(r"\*\*|__")


def clean_cell(cell: str) -> str:
    """Cell text as read: HTML paragraphs to "\\n", entities unescaped, bold markers dropped."""
    cell = cell.replace("\\|", "|")
    if has_markup(cell):
        cell = fragment_to_text(cell)
    return tidy_lines(_BOLD.sub("", cell))


def clean_line(line: str) -> str:
    """A plain line without markdown heading and bold markers."""
    line = _BOLD.sub("", _HEADING.sub("", line))
    if has_markup(line):
        line = fragment_to_text(line)
    return tidy_lines(line)


def _pipe_cells(line: str) -> list[str]:
    s = line.strip()
    if s.startswith("|"):
        s = s[1:]
    if s.endswith("|") and not s.endswith("\\|"):
        s = s[:-1]
    return [clean_cell(c) for c in _PIPE_SPLIT.split(s)]


def line_style(line: str) -> str:
    """``blank``, ``separator`` (markdown ``|---|``), ``pipe``, ``tab`` or ``text``."""
    s = line.strip()
    if not s:
        return "blank"
    if "|" in s and "-" in s and _SEPARATOR.match(s):
        return "separator"
    if s.startswith("|") and s.count("|") >= 2:
        return "pipe"
    return "tab" if "\t" in s else "text"


MAX_QUOTED_LINES = 200  # a quoted cell longer than this is a stray quote, not a cell


def split_tabs(line: str) -> list[str] | None:
    """Tab-separated fields, Excel-quoted fields unquoted; None when a quote is left open."""
    if '"' not in line:
        return line.split("\t")
    fields: list[str] = []
    i, n = 0, len(line)
    while True:
        if i < n and line[i] == '"':  # a quoted field: "" is a literal quote
            buf: list[str] = []
            i += 1
            while True:
                if i >= n:
                    return None
                if line[i] == '"':
                    if i + 1 < n and line[i + 1] == '"':
                        buf.append('"')
                        i += 2
                        continue
                    if i + 1 == n or line[i + 1] == "\t":
                        i += 1
                        break
                buf.append(line[i])
                i += 1
            fields.append("".join(buf))
        else:
            end = line.find("\t", i)
            end = n if end < 0 else end
            fields.append(line[i:end])
            i = end
        if i >= n:
            return fields
        i += 1  # the tab
        if i == n:
            fields.append("")
            return fields


def logical_lines(lines: list[str], budget: Budget) -> list[str]:
    """Join the physical lines of rows whose quoted cells contain line breaks."""
    out: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        in_table = "\t" in line or (out and "\t" in out[-1])
        if '"' in line and in_table and split_tabs(line) is None:
            merged = line
            for j in range(i + 1, min(i + MAX_QUOTED_LINES, len(lines))):
                merged += "\n" + lines[j]
                if split_tabs(merged) is not None:
                    if "\t" in merged:
                        out.append(merged)
                        i = j + 1
                        break
                    merged = ""
                    break
            else:
                merged = ""
            budget.tick()
            if merged:
                continue
        out.append(line)
        i += 1
    return out


def _table(rows: list[list[str]]) -> Block:
    width = max(len(r) for r in rows)
    return Block(kind="table", rows=[r + [""] * (width - len(r)) for r in rows])


def text_to_blocks(text: str, budget: Budget) -> tuple[list[Block], str]:
    """Blocks of a text file and its format: ``md`` when pipe tables dominate, else ``txt``."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    blocks: list[Block] = []
    rows: list[list[str]] = []
    style = ""
    counts = {"pipe": 0, "tab": 0}

    def flush() -> None:
        nonlocal rows
        if rows:
            blocks.append(_table(rows))
        rows = []

    for n, line in enumerate(logical_lines(text.split("\n"), budget)):
        kind = line_style(line)
        if kind == "separator":
            continue
        if kind in ("pipe", "tab"):
            if kind != style:
                flush()
            style = kind
            if kind == "pipe":
                cells = _pipe_cells(line)
            else:
                cells = [clean_cell(c) for c in split_tabs(line) or line.split("\t")]
            if any(cells):
                rows.append(cells)
                counts[kind] += 1
                budget.tick(len(cells))
            continue
        flush()
        style = ""
        if kind == "text":
            blocks.extend(Block(kind="text", text=t) for t in clean_line(line).split("\n") if t)
        if n % 1000 == 0:
            budget.tick()
    flush()
    return blocks, "md" if counts["pipe"] > counts["tab"] else "txt"
