"""A small, fast SpreadsheetML (XLSX) writer for the report's tables.

openpyxl needs ~10 s for the 160,000 cells of a large province's measure annex;
writing the sheet XML directly takes a fraction of that. The package also comes out
byte-identical for the same sheets: every zip entry and the document properties carry
the data's time, never the clock. Text is always an inline string and no cell is ever
written with a formula element, so nothing in the workbook can become a formula; text
that starts like one (= + - @) also gets Excel's quotePrefix, so re-editing it in Excel
keeps it text.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from io import BytesIO
from typing import Any
from xml.sax.saxutils import escape, quoteattr

RISKY_START = ("=", "+", "-", "@", "\t", "\r", "\n")
MAX_CELL = 32_767
# Characters XML 1.0 cannot hold at all.
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_EPOCH = datetime(1899, 12, 30)

# Style ids (cellXfs order in STYLES).
PLAIN, HEADER, DATE, DATETIME, PERCENT, QUOTED, WRAP, WRAP_QUOTED, BOLD = range(9)

STYLES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
<numFmts count="3"><numFmt numFmtId="164" formatCode="dd/mm/yyyy"/><numFmt numFmtId="165" formatCode="dd/mm/yyyy hh:mm"/><numFmt numFmtId="166" formatCode="0.0%"/></numFmts>
<fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font><font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>
<fills count="3"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill><fill><patternFill patternType="solid"><fgColor rgb="FFE8EEF5"/><bgColor indexed="64"/></patternFill></fill></fills>
<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>
<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>
<cellXfs count="9">
<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>
<xf numFmtId="0" fontId="1" fillId="2" borderId="0" xfId="0" applyFont="1" applyFill="1" quotePrefix="1"/>
<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>
<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>
<xf numFmtId="166" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>
<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" quotePrefix="1"/>
<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" applyAlignment="1"><alignment vertical="top" wrapText="1"/></xf>
<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" applyAlignment="1" quotePrefix="1"><alignment vertical="top" wrapText="1"/></xf>
<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1" quotePrefix="1"/>
</cellXfs>
<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>
</styleSheet>
"""


class Percent(float):
    """A fraction shown as a percentage (0.0%)."""


@dataclass
class Sheet:
    """Rows of plain values; ``table`` sheets get a frozen header row and an autofilter."""

    title: str
    rows: list[list[Any]] = field(default_factory=list)
    styles: dict[tuple[int, int], int] = field(default_factory=dict)  # (row, col) 1-based
    widths: list[float] = field(default_factory=list)
    wrap: set[int] = field(default_factory=set)  # 1-based columns whose text wraps
    table: bool = False

    def add(self, values: list[Any], style: int | None = None) -> int:
        self.rows.append(list(values))
        r = len(self.rows)
        if style is not None:
            for c in range(1, len(values) + 1):
                self.styles[(r, c)] = style
        return r

    @property
    def width(self) -> int:
        return max((len(r) for r in self.rows), default=1) or 1


def column(n: int) -> str:
    """1 → A, 27 → AA."""
    name = ""
    while n:
        n, rest = divmod(n - 1, 26)
        name = chr(65 + rest) + name
    return name


def _serial(value: date | datetime) -> str:
    moment = value if isinstance(value, datetime) else datetime(value.year, value.month, value.day)
    delta = moment.replace(tzinfo=None) - _EPOCH
    return repr(delta.days + delta.seconds / 86400)


def cell_xml(ref: str, value: Any, style: int | None, wrap: bool) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        value = str(value)
    if isinstance(value, datetime | date):
        s = DATETIME if isinstance(value, datetime) else DATE
        return f'<c r="{ref}" s="{s}"><v>{_serial(value)}</v></c>'
    if isinstance(value, int | float):
        s = PERCENT if isinstance(value, Percent) else style
        attr = f' s="{s}"' if s else ""
        return f'<c r="{ref}"{attr}><v>{value!r}</v></c>'
    text = _ILLEGAL.sub("", str(value))[:MAX_CELL]
    risky = text.startswith(RISKY_START)
    if style in (HEADER, BOLD):
        s = style
    elif wrap:
        s = WRAP_QUOTED if risky else WRAP
    else:
        s = QUOTED if risky else (style or PLAIN)
    attr = f' s="{s}"' if s else ""
    return (
        f'<c r="{ref}"{attr} t="inlineStr"><is><t xml:space="preserve">{escape(text)}</t></is></c>'
    )


def sheet_xml(sheet: Sheet) -> str:
    last = f"{column(sheet.width)}{max(1, len(sheet.rows))}"
    parts = [
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">',
        f'<dimension ref="A1:{last}"/>',
        '<sheetViews><sheetView workbookViewId="0">',
        '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
        '<selection pane="bottomLeft" activeCell="A2" sqref="A2"/>'
        if sheet.table
        else "",
        "</sheetView></sheetViews>",
        '<sheetFormatPr defaultRowHeight="15"/>',
    ]
    if sheet.widths:
        parts.append("<cols>")
        for i, w in enumerate(sheet.widths, 1):
            parts.append(f'<col min="{i}" max="{i}" width="{w}" customWidth="1"/>')
        parts.append("</cols>")
    parts.append("<sheetData>")
    letters = [column(c) for c in range(1, sheet.width + 1)]
    for r, values in enumerate(sheet.rows, 1):
        cells = "".join(
            cell_xml(
                f"{letters[c - 1]}{r}",
                v,
                sheet.styles.get((r, c)),
                c in sheet.wrap and r > 1,
            )
            for c, v in enumerate(values, 1)
        )
        parts.append(f'<row r="{r}">{cells}</row>')
    parts.append("</sheetData>")
    if sheet.table:
        parts.append(f'<autoFilter ref="A1:{last}"/>')
    parts.append("</worksheet>")
    return "".join(parts)


def _quoted_name(title: str) -> str:
    return "'" + title.replace("'", "''") + "'"


def package(sheets: list[Sheet], *, title: str, creator: str, stamp: datetime) -> bytes:
    """The workbook as bytes; ``stamp`` (the data's time) dates the properties and entries."""
    when = stamp.strftime("%Y-%m-%dT%H:%M:%SZ")
    n = len(sheets)
    names = "".join(
        f'<sheet name={quoteattr(s.title)} sheetId="{i}" r:id="rId{i}"/>'
        for i, s in enumerate(sheets, 1)
    )
    filters = "".join(
        f'<definedName name="_xlnm._FilterDatabase" localSheetId="{i}" hidden="1">'
        f"{escape(_quoted_name(s.title))}!$A$1:${column(s.width)}${max(1, len(s.rows))}"
        "</definedName>"
        for i, s in enumerate(sheets)
        if s.table
    )
    workbook = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        f'<bookViews><workbookView activeTab="0"/></bookViews><sheets>{names}</sheets>'
        + (f"<definedNames>{filters}</definedNames>" if filters else "")
        + "</workbook>"
    )
    rels = "".join(
        f'<Relationship Id="rId{i}" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        f'relationships/worksheet" Target="worksheets/sheet{i}.xml"/>'
        for i in range(1, n + 1)
    )
    workbook_rels = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'{rels}<Relationship Id="rId{n + 1}" Type="http://schemas.openxmlformats.org/'
        'officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>'
    )
    overrides = "".join(
        f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        for i in range(1, n + 1)
    )
    content_types = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.spreadsheetml.sheet.main+xml"/>'
        f"{overrides}"
        '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.spreadsheetml.styles+xml"/>'
        '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-'
        'package.core-properties+xml"/>'
        '<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.extended-properties+xml"/></Types>'
    )
    root_rels = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/officeDocument" Target="xl/workbook.xml"/>'
        '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/'
        'relationships/metadata/core-properties" Target="docProps/core.xml"/>'
        '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/extended-properties" Target="docProps/app.xml"/></Relationships>'
    )
    core = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/'
        'core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://'
        'purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f"<dc:title>{escape(_ILLEGAL.sub('', title))}</dc:title>"
        f"<dc:creator>{escape(_ILLEGAL.sub('', creator))}</dc:creator>"
        f'<dcterms:created xsi:type="dcterms:W3CDTF">{when}</dcterms:created>'
        f'<dcterms:modified xsi:type="dcterms:W3CDTF">{when}</dcterms:modified>'
        "</cp:coreProperties>"
    )
    app = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-'
        'properties"><Application>itaflow</Application></Properties>'
    )
    entries = [
        ("[Content_Types].xml", content_types),
        ("_rels/.rels", root_rels),
        ("docProps/core.xml", core),
        ("docProps/app.xml", app),
        ("xl/workbook.xml", workbook),
        ("xl/_rels/workbook.xml.rels", workbook_rels),
        ("xl/styles.xml", STYLES),
    ] + [(f"xl/worksheets/sheet{i}.xml", sheet_xml(s)) for i, s in enumerate(sheets, 1)]
    out = BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for name, body in entries:
            info = zipfile.ZipInfo(name, date_time=stamp.timetuple()[:6])
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            z.writestr(info, body.encode("utf-8"), compresslevel=6)
    return out.getvalue()
