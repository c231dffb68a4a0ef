"""Excel ``.xlsx`` (openpyxl) and ``.xls`` (xlrd): one table block per visible sheet.

Values only: ``data_only=True`` gives a formula's cached result and never its
text, so nothing from a cell is ever evaluated. A merged area keeps its value in
the top-left cell and "" elsewhere (that is how both libraries store it).
Dates become ISO ``YYYY-MM-DD`` (with ``THH:MM:SS`` when there is a time).
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable
from datetime import date, datetime, time

from itaflow.models import Block, Document
from itaflow.read.safety import ENCRYPTED, Budget, Unreadable, check_zip, corrupt


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
        check_zip(zipfile.ZipFile(io.BytesIO(data)), budget.limits)
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
