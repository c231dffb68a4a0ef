"""The Word file a LibreOffice user would export: written with python-docx, then handed to
``soffice`` (``producers``) to become a PDF or a LibreOffice-saved .docx.

Unlike ``word`` (files read as .docx directly), these are built to be laid out by an
office suite: the header row repeats on every page (``w:tblHeader``), rows may break
across pages, the font is one LibreOffice must substitute or a TLWG face, and column
widths follow what the columns hold.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from itaflow.synth.render.sheet import Grid, Para, Piece

_ALIGN = {
    "left": WD_ALIGN_PARAGRAPH.LEFT,
    "center": WD_ALIGN_PARAGRAPH.CENTER,
    "right": WD_ALIGN_PARAGRAPH.RIGHT,
}


@dataclass(frozen=True)
class OfficeStyle:
    landscape: bool = False
    font: str = "TH SarabunPSK"  # not installed: LibreOffice substitutes it, as on most PCs
    size: float = 14
    margin_cm: float = 1.5
    distribute: bool = False  # Thai distributed alignment: Word spreads letters across the line
    furniture: bool = False  # the title in the page header, "หน้า N" in the footer of every page
    vmerge: bool = False  # a row per step/result item, the measure's other cells merged down


def _repeat_header(row) -> None:
    """Mark a row as the table's header, repeated at the top of every page it continues on."""
    tr_pr = row._tr.get_or_add_trPr()
    flag = OxmlElement("w:tblHeader")
    flag.set(qn("w:val"), "true")
    tr_pr.append(flag)


def _fill(cell, text: str, bold: bool = False, distribute: bool = False) -> None:
    """One paragraph per line, as people type items into Word cells."""
    parts = text.split("\n") if text else [""]
    first = cell.paragraphs[0]
    for i, part in enumerate(parts):
        p = first if i == 0 else cell.add_paragraph()
        p.paragraph_format.space_after = Pt(0)
        if distribute:
            p.alignment = WD_ALIGN_PARAGRAPH.THAI_JUSTIFY
        p.add_run(part).bold = bold


def _furniture(section, title: str) -> None:
    """Page header and footer, printed on every page between the tables' rows."""
    head = section.header.paragraphs[0]
    head.text = title
    head.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    foot = section.footer.paragraphs[0]
    foot.alignment = WD_ALIGN_PARAGRAPH.CENTER
    foot.add_run("หน้า ")
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    foot._p.append(field)


def _split_row(table, cells: list[str], split: list[bool], distribute: bool) -> None:
    """One measure over several rows: an item per row in split columns, other cells merged."""
    items = [c.split("\n") if c else [""] for c in cells]
    height = max([len(i) for i, s in zip(items, split, strict=True) if s] or [1])
    rows = [table.add_row() for _ in range(height)]
    for c, (text, parts, s) in enumerate(zip(cells, items, split, strict=True)):
        if s:
            for k, row in enumerate(rows):
                _fill(row.cells[c], parts[k] if k < len(parts) else "", distribute=distribute)
        else:
            cell = rows[0].cells[c].merge(rows[-1].cells[c]) if height > 1 else rows[0].cells[c]
            _fill(cell, text, distribute=distribute)


def _grid(document, grid: Grid, usable_cm: float, style: OfficeStyle) -> None:
    n = len(grid.header)
    table = document.add_table(rows=1, cols=n)
    table.style = "Table Grid"
    table.autofit = False
    weights = grid.weights()
    widths = [Cm(usable_cm * w / sum(weights)) for w in weights]
    head = table.rows[0]
    _repeat_header(head)
    for cell, text in zip(head.cells, grid.header, strict=True):
        _fill(cell, text, bold=True)
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    split = grid.split_columns()
    for kind, cells in grid.rows:
        if kind == "group":
            row = table.add_row()
            _fill(row.cells[0].merge(row.cells[-1]), cells[0], bold=True)
        elif style.vmerge and any(split):
            _split_row(table, cells, split, style.distribute)
        else:
            row = table.add_row()
            for cell, text in zip(row.cells, cells, strict=False):
                _fill(cell, text, distribute=style.distribute)
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width  # w:gridCol, which LibreOffice lays out by
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=False):
            cell.width = width  # w:tcW, which Word lays out by


def docx_of(pieces: list[Piece], style: OfficeStyle, path: Path) -> Path:
    """Write ``pieces`` as a Word document in ``style``."""
    document = Document()
    props = document.core_properties
    props.created = props.modified = datetime(2025, 1, 1)
    props.author = "synth"
    normal = document.styles["Normal"]
    normal.font.name = style.font
    normal.font.size = Pt(style.size)
    rpr = normal.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    fonts.set(qn("w:cs"), style.font)  # Thai is complex script: Word and LibreOffice look here
    rpr_size = OxmlElement("w:szCs")
    rpr_size.set(qn("w:val"), str(int(style.size * 2)))
    rpr.append(rpr_size)
    section = document.sections[0]
    if style.landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = section.page_height, section.page_width
    section.left_margin = section.right_margin = Cm(style.margin_cm)
    if style.furniture:
        _furniture(section, next((p.text for p in pieces if isinstance(p, Para)), ""))
    usable = (section.page_width - section.left_margin - section.right_margin) / 360000
    for piece in pieces:
        if isinstance(piece, Para):
            p = document.add_paragraph()
            p.add_run(piece.text).bold = piece.bold
            p.alignment = _ALIGN[piece.align]
            if style.distribute and piece.align == "left":
                p.alignment = WD_ALIGN_PARAGRAPH.THAI_JUSTIFY
        else:
            _grid(document, piece, usable, style)
            document.add_paragraph("")
    document.save(str(path))
    return path


__all__ = ["OfficeStyle", "docx_of"]
