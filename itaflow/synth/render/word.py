"""Word reports (python-docx): real tables, merged cells, paragraphs around them.

- ``docx_table``: one table whose first row is a merged title cell, ด้าน headings as
  merged rows, one paragraph per item inside cells;
- ``docx_tables``: a table per group (or per few measures), heading paragraphs
  between them, the header repeated in every table;
- ``docx_vmerge``: one row per step/result item, the measure's other cells merged
  vertically over its rows.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt

from itaflow.models import SubmissionRecord
from itaflow.synth.render.compose import Table, compose, rng_for

LAYOUTS = ("docx_table", "docx_tables", "docx_vmerge")


def _fill(cell, text: str, bold: bool = False) -> None:
    """One paragraph per item, as people type them into Word cells."""
    parts = text.split("\n") if text else [""]
    cell.text = ""
    first = cell.paragraphs[0]
    for i, part in enumerate(parts):
        p = first if i == 0 else cell.add_paragraph()
        run = p.add_run(part)
        run.bold = bold


def _data_row(table, cells: list[str], fields: list[str], split: bool) -> None:
    """One measure: a row, or with ``split`` one row per step/result item, other cells merged down."""
    parts = [c.split("\n") if c else [""] for c in cells]
    splittable = [f in ("steps", "result") for f in fields]
    height = max(len(p) for p, s in zip(parts, splittable, strict=True) if s) if split else 1
    rows = [table.add_row() for _ in range(height)]
    for c, (text, items, s) in enumerate(zip(cells, parts, splittable, strict=True)):
        if split and s:
            for k, row in enumerate(rows):
                _fill(row.cells[c], items[k] if k < len(items) else "")
        else:
            cell = rows[0].cells[c].merge(rows[-1].cells[c]) if height > 1 else rows[0].cells[c]
            _fill(cell, text)


def _table(document, t: Table, title: str | None, split: bool = False) -> None:
    ncol = len(t.header)
    table = document.add_table(rows=0, cols=ncol)
    table.style = "Table Grid"
    if title:
        cells = table.add_row().cells
        merged = cells[0].merge(cells[-1])
        _fill(merged, title, bold=True)
        merged.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    hdr = table.add_row().cells
    for c, h in zip(hdr, t.header, strict=True):
        _fill(c, h, bold=True)
    for row in t.rows:
        if row.kind == "group":
            cells = table.add_row().cells
            _fill(cells[0].merge(cells[-1]), row.cells[0], bold=True)
        else:
            _data_row(table, row.cells, t.fields, split)


def docx(record: SubmissionRecord, layout: str, path: Path) -> Path:
    if layout not in LAYOUTS:
        raise ValueError(f"unknown docx layout {layout!r}")
    rng = rng_for(record, "docx")
    doc = compose(record, rng.choice(["group", "pairs"]) if layout == "docx_tables" else "one")
    document = Document()
    props = document.core_properties
    props.created = props.modified = datetime(2025, 1, 1)
    props.author = "synth"
    style = document.styles["Normal"]
    style.font.name = "TH SarabunPSK"
    style.font.size = Pt(14)
    section = document.sections[0]
    if rng.random() < 0.6:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = section.page_height, section.page_width
    section.left_margin = section.right_margin = Cm(1.5)
    title_in_table = layout == "docx_table" and rng.random() < 0.6
    head = doc.title[1:] if title_in_table else doc.title
    for line in head + doc.agency:
        p = document.add_paragraph(line)
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for line in doc.intro:
        document.add_paragraph(line)
    for i, t in enumerate(doc.tables):
        if t.heading:
            document.add_paragraph(t.heading).runs[0].bold = True
        _table(
            document,
            t,
            doc.title[0] if title_in_table and i == 0 else None,
            layout == "docx_vmerge",
        )
        document.add_paragraph("")
    for line in doc.signature:
        p = document.add_paragraph(line)
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    document.save(str(path))
    return path
