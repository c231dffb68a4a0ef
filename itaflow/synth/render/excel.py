"""Excel reports (openpyxl): title rows above the header, merged cells, header not on row 1.

- ``xlsx_title_rows``: merged title rows, the header a few rows down, one row per
  measure with items on lines inside the cell, ด้าน headings as merged rows;
- ``xlsx_split_rows``: each measure spread over several rows, one step/result item
  per row, its other cells merged vertically (a reader must join them back);
- ``xlsx_two_row_header``: the header over two rows, result and outcome under one
  merged group title, the other titles merged down both rows.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from itaflow.models import SubmissionRecord
from itaflow.synth.render.compose import compose, rng_for

LAYOUTS = ("xlsx_title_rows", "xlsx_split_rows", "xlsx_two_row_header")

_THIN = Side(style="thin")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_WRAP = Alignment(wrap_text=True, vertical="top")


def _head(cell) -> None:
    cell.font, cell.border, cell.alignment = Font(bold=True), _BOX, _WRAP


def _two_row_header(ws, r: int, fields: list[str], titles: list[str], group: str) -> int:
    """Result and outcome under one merged group title; the rest merged down two rows."""
    for c, (f, title) in enumerate(zip(fields, titles, strict=True), 1):
        if f in ("result", "outcome"):
            _head(ws.cell(r + 1, c, title))
        else:
            _head(ws.cell(r, c, title))
            ws.merge_cells(start_row=r, start_column=c, end_row=r + 1, end_column=c)
    cols = [c for c, f in enumerate(fields, 1) if f in ("result", "outcome")]
    _head(ws.cell(r, cols[0], group))
    ws.merge_cells(start_row=r, start_column=cols[0], end_row=r, end_column=cols[-1])
    return r + 2


def xlsx(record: SubmissionRecord, layout: str, path: Path) -> Path:
    if layout not in LAYOUTS:
        raise ValueError(f"unknown xlsx layout {layout!r}")
    rng = rng_for(record, "xlsx")
    doc = compose(record, "one")
    split = layout == "xlsx_split_rows"
    wb = Workbook()
    wb.properties.created = wb.properties.modified = datetime(2025, 1, 1)
    ws = wb.active
    ws.title = rng.choice(["รายงานผล", "Sheet1", "ITA"])
    ncol = len(doc.tables[0].header) if doc.tables else 6
    r = 1
    for line in [*doc.title, *doc.agency]:
        ws.cell(r, 1, line).font = Font(bold=True)
        ws.cell(r, 1).alignment = Alignment(horizontal="center")
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=ncol)
        r += 1
    for line in doc.intro:
        ws.cell(r, 1, line).alignment = _WRAP
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=ncol)
        r += 1
    r += rng.randint(1, 2)
    for t in doc.tables:
        if layout == "xlsx_two_row_header" and {"result", "outcome"} <= set(t.fields):
            r = _two_row_header(
                ws, r, t.fields, t.header, rng.choice(["ผลการดำเนินงาน", "การรายงานผล"])
            )
        else:
            for c, h in enumerate(t.header, 1):
                _head(ws.cell(r, c, h))
            r += 1
        for row in t.rows:
            if row.kind == "group":
                ws.cell(r, 1, row.cells[0]).font = Font(bold=True)
                ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=ncol)
                r += 1
                continue
            parts = [c.split("\n") if c else [""] for c in row.cells]
            splittable = [f in ("steps", "result") for f in t.fields]
            height = (
                max(len(p) for p, s in zip(parts, splittable, strict=True) if s) if split else 1
            )
            for c, (text, items, s) in enumerate(zip(row.cells, parts, splittable, strict=True), 1):
                if split and s:
                    for k in range(height):
                        cell = ws.cell(r + k, c, items[k] if k < len(items) else None)
                        cell.border, cell.alignment = _BOX, _WRAP
                else:
                    cell = ws.cell(r, c, text or None)
                    cell.border, cell.alignment = _BOX, _WRAP
                    if height > 1:
                        ws.merge_cells(
                            start_row=r, start_column=c, end_row=r + height - 1, end_column=c
                        )
            r += height
    r += 1
    for line in doc.signature:
        if line:
            ws.cell(r, max(1, ncol - 2), line)
        r += 1
    for c in range(1, ncol + 1):
        ws.column_dimensions[get_column_letter(c)].width = 30
    wb.save(str(path))
    return path
