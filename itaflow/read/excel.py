"""Excel ``.xlsx`` (openpyxl) and ``.xls`` (xlrd): one table block per visible sheet.

Values only: ``data_only=True`` gives a formula's cached result and never its
text, so nothing from a cell is ever evaluated. A merged area keeps its value in
the top-left cell and "" elsewhere (that is how both libraries store it).
Dates become ISO ``YYYY-MM-DD`` (with ``THH:MM:SS`` when there is a time).
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable
from datetime import date, datetime, time

from itaflow.models import Block, Document
from itaflow.read.safety import (
    ENCRYPTED,
    Budget,
    Unreadable,
    check_zip,
    corrupt,
    too_many_cells,
    too_many_rows,
)


def cell_str(value: object) -> str:
    """A cell value as the officer sees it, without spreadsheet formatting."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat()
    if isinstance(value, date | time):
        return value.isoformat()
    return str(value).replace("\r\n", "\n").replace("\r", "\n").strip()


def trim(rows: list[list[str]]) -> list[list[str]]:
    """Drop fully empty rows and columns; pad to a rectangle."""
    rows = [r for r in rows if any(c for c in r)]
    width = max((len(r) for r in rows), default=0)
    rows = [r + [""] * (width - len(r)) for r in rows]
    keep = [j for j in range(width) if any(r[j] for r in rows)]
    return [[r[j] for j in keep] for r in rows]


def _sheet_block(rows: Iterable[Iterable[object]], budget: Budget) -> Block | None:
    grid: list[list[str]] = []
    for raw in rows:
        budget.row()
        row = [cell_str(v) for v in raw]
        while row and not row[-1]:
            row.pop()
        budget.tick(sum(1 for c in row if c))
        grid.append(row)
    grid = trim(grid)
    return Block(kind="table", rows=grid) if grid else None


def read_xlsx(data: bytes, budget: Budget) -> Document:
    from openpyxl import load_workbook

    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        check_zip(zf, budget.limits)
        _check_shared_strings(zf, budget)
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except zipfile.BadZipFile as exc:
        raise corrupt("Excel", str(exc)) from exc
    except Unreadable:
        raise
    except Exception as exc:  # openpyxl raises many types on damaged XML
        raise corrupt("Excel", repr(exc)) from exc
    blocks: list[Block] = []
    try:
        for ws in wb.worksheets:
            if getattr(ws, "sheet_state", "visible") != "visible" or not hasattr(ws, "iter_rows"):
                continue
            if hasattr(ws, "reset_dimensions"):
                ws.reset_dimensions()  # a declared A1:XFD1048576 must not make us iterate it
            block = _sheet_block(ws.iter_rows(values_only=True), budget)
            if block:
                blocks.append(block)
    finally:
        wb.close()
    return Document(format="xlsx", blocks=blocks)


_SI = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?si[\s/>]")
_ROW = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?row[\s/>]")


def _count_tags(
    zf: zipfile.ZipFile, name: str, tag: re.Pattern[bytes], limit: int, budget: Budget
) -> int:
    """Occurrences of ``tag`` in one part, streamed; stops as soon as ``limit`` is passed."""
    count, tail = 0, b""
    with zf.open(name) as fh:
        while chunk := fh.read(1024 * 1024):
            data = tail + chunk
            tail = data[-16:]
            count += len(tag.findall(data)) - len(tag.findall(tail))  # tail is counted next time
            if count > limit:
                return count
            budget.tick()
    return count + len(tag.findall(tail))


def _check_shared_strings(zf: zipfile.ZipFile, budget: Budget) -> None:
    """Count shared strings and sheet rows by streaming their parts, before openpyxl loads
    the strings into one list or walks the rows: more strings than the cell limit, or
    more rows than the row limit, cannot be a real report."""
    limits = budget.limits
    for name in zf.namelist():
        lower = name.lower()
        if lower.endswith("sharedstrings.xml"):
            if _count_tags(zf, name, _SI, limits.max_cells, budget) > limits.max_cells:
                raise too_many_cells(limits.max_cells)
        elif (
            "worksheets/" in lower
            and lower.endswith(".xml")
            and _count_tags(zf, name, _ROW, limits.max_rows, budget) > limits.max_rows
        ):
            raise too_many_rows(limits.max_rows)


def read_xls(data: bytes, budget: Budget) -> Document:
    import xlrd

    try:
        book = xlrd.open_workbook(file_contents=data, on_demand=True, logfile=io.StringIO())
    except xlrd.XLRDError as exc:
        if "encrypt" in str(exc).lower():
            raise Unreadable(ENCRYPTED) from exc
        raise corrupt("Excel", str(exc)) from exc
    except Exception as exc:
        raise corrupt("Excel", repr(exc)) from exc
    blocks: list[Block] = []
    try:
        for i in range(book.nsheets):
            sheet = book.sheet_by_index(i)
            if getattr(sheet, "visibility", 0):
                continue
            budget.tick()
            rows = (
                [_xls_value(book, sheet.cell(r, c)) for c in range(sheet.row_len(r))]
                for r in range(sheet.nrows)
            )
            block = _sheet_block(rows, budget)
            if block:
                blocks.append(block)
            book.unload_sheet(i)
    finally:
        book.release_resources()
    return Document(format="xls", blocks=blocks)


def _xls_value(book, cell) -> object:
    import xlrd

    if cell.ctype == xlrd.XL_CELL_DATE:
        try:
            return xlrd.xldate.xldate_as_datetime(cell.value, book.datemode)
        except (ValueError, OverflowError, xlrd.xldate.XLDateError):
            return cell.value
    if cell.ctype in (xlrd.XL_CELL_ERROR, xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
        return None
    if cell.ctype == xlrd.XL_CELL_BOOLEAN:
        return bool(cell.value)
    return cell.value
