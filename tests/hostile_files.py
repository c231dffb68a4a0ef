"""Hostile files of issue 10, built on demand (never stored): for tests/test_hostile_*.py
and benchmarks/hostile.py. Each builder writes to ``path`` in a streaming way, so
building a 200 MB-inflated bomb costs neither 200 MB of memory nor of disk."""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from pathlib import Path

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"

_DOCX_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.wordprocessingml.document.main+xml"/></Types>'
)
_DOCX_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    f'<Relationship Id="rId1" Type="{REL}" Target="word/document.xml"/></Relationships>'
)


def _stream_member(
    zf: zipfile.ZipFile, name: str, head: bytes, unit: bytes, count: int, tail: bytes
):
    info = zipfile.ZipInfo(name, date_time=(2025, 1, 1, 0, 0, 0))
    info.compress_type = zipfile.ZIP_DEFLATED
    with zf.open(info, "w", force_zip64=True) as out:
        out.write(head)
        block = unit * max(1, 65536 // len(unit))
        per = len(block) // len(unit)
        written = 0
        while written + per <= count:
            out.write(block)
            written += per
        out.write(unit * (count - written))
        out.write(tail)


def docx_bomb(path: Path, inflated_mb: int = 200) -> Path:
    """A .docx whose word/document.xml inflates to ``inflated_mb`` of empty paragraphs."""
    unit = b"<w:p/>"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", _DOCX_TYPES)
        zf.writestr("_rels/.rels", _DOCX_RELS)
        head = f'<?xml version="1.0"?><w:document xmlns:w="{W}"><w:body>'.encode()
        count = inflated_mb * 1024 * 1024 // len(unit)
        _stream_member(zf, "word/document.xml", head, unit, count, b"</w:body></w:document>")
    return path


def docx_one_huge_cell(path: Path, paragraphs: int = 2_000_000) -> Path:
    """A .docx whose single table cell holds millions of paragraphs (stored, no ratio to
    catch): streaming must bound the memory of one body element too."""
    unit = b"<w:p/>"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as zf:
        zf.writestr("[Content_Types].xml", _DOCX_TYPES)
        zf.writestr("_rels/.rels", _DOCX_RELS)
        head = (
            f'<?xml version="1.0"?><w:document xmlns:w="{W}"><w:body><w:tbl><w:tr><w:tc>'
        ).encode()
        info = zipfile.ZipInfo("word/document.xml", date_time=(2025, 1, 1, 0, 0, 0))
        with zf.open(info, "w", force_zip64=True) as out:
            out.write(head)
            out.write(unit * paragraphs)
            out.write(b"</w:tc></w:tr></w:tbl></w:body></w:document>")
    return path


_XLSX_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.sharedStrings+xml"/></Types>'
)
_XLSX_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    f'<Relationship Id="rId1" Type="{REL}" Target="xl/workbook.xml"/></Relationships>'
)
S = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_WORKBOOK = (
    f'<?xml version="1.0"?><workbook xmlns="{S}" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/worksheet" Target="worksheets/sheet1.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>'
)


def _xlsx(path: Path, sheet: Callable[[zipfile.ZipFile], None], strings: Callable) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", _XLSX_TYPES)
        zf.writestr("_rels/.rels", _XLSX_RELS)
        zf.writestr("xl/workbook.xml", _WORKBOOK)
        zf.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        sheet(zf)
        strings(zf)
    return path


def _small_sheet(zf: zipfile.ZipFile) -> None:
    zf.writestr(
        "xl/worksheets/sheet1.xml",
        f'<?xml version="1.0"?><worksheet xmlns="{S}"><sheetData>'
        '<row r="1"><c r="A1" t="s"><v>0</v></c></row></sheetData></worksheet>',
    )


def _no_strings(zf: zipfile.ZipFile) -> None:
    zf.writestr("xl/sharedStrings.xml", f'<?xml version="1.0"?><sst xmlns="{S}"></sst>')


def xlsx_shared_strings(path: Path, entries: int = 10_500_000, stored: bool = False) -> Path:
    """A workbook whose shared-strings table holds ``entries`` strings."""

    def strings(zf: zipfile.ZipFile) -> None:
        head = f'<?xml version="1.0"?><sst xmlns="{S}" count="{entries}">'.encode()
        if stored:
            info = zipfile.ZipInfo("xl/sharedStrings.xml", date_time=(2025, 1, 1, 0, 0, 0))
            with zf.open(info, "w", force_zip64=True) as out:
                out.write(head + b"<si/>" * entries + b"</sst>")
            return
        _stream_member(zf, "xl/sharedStrings.xml", head, b"<si><t>a</t></si>", entries, b"</sst>")

    return _xlsx(path, _small_sheet, strings)


def xlsx_million_rows(path: Path, rows: int = 1_048_576) -> Path:
    """A workbook whose one sheet has a million (tiny) rows."""

    def sheet(zf: zipfile.ZipFile) -> None:
        info = zipfile.ZipInfo("xl/worksheets/sheet1.xml", date_time=(2025, 1, 1, 0, 0, 0))
        info.compress_type = zipfile.ZIP_DEFLATED
        with zf.open(info, "w", force_zip64=True) as out:
            out.write(f'<?xml version="1.0"?><worksheet xmlns="{S}"><sheetData>'.encode())
            chunk = []
            for r in range(1, rows + 1):
                chunk.append(b'<row r="%d"><c r="A%d"><v>1</v></c></row>' % (r, r))
                if len(chunk) == 10_000:
                    out.write(b"".join(chunk))
                    chunk = []
            out.write(b"".join(chunk) + b"</sheetData></worksheet>")

    return _xlsx(path, sheet, _no_strings)


def xlsx_empty_rows(path: Path, rows: int = 1_000_000) -> Path:
    """A million empty rows, stored uncompressed (no ratio to catch, under the part limit)."""

    def sheet(zf: zipfile.ZipFile) -> None:
        info = zipfile.ZipInfo("xl/worksheets/sheet1.xml", date_time=(2025, 1, 1, 0, 0, 0))
        with zf.open(info, "w", force_zip64=True) as out:
            out.write(f'<?xml version="1.0"?><worksheet xmlns="{S}"><sheetData>'.encode())
            out.write(b"".join(b'<row r="%d"/>' % r for r in range(1, rows + 1)))
            out.write(b"</sheetData></worksheet>")

    return _xlsx(path, sheet, _no_strings)


def many_measures_text(path: Path, measures: int = 800, cell_chars: int = 3000) -> Path:
    """A ~10 MB tab-separated report of ``measures`` measures with long, distinct cells."""
    head = "ลำดับ\tมาตรการ\tขั้นตอน\tผู้รับผิดชอบ\tระยะเวลา\tผลการดำเนินการ\tผลลัพธ์"
    lines = [
        "รายงานผลการดำเนินการตามมาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน",
        "องค์การบริหารส่วนตำบลตาพระยา อำเภอตาพระยา จังหวัดสระแก้ว ประจำปีงบประมาณ พ.ศ. 2568",
        head,
    ]
    words = ["การ", "ประชุม", "ชี้แจง", "บุคลากร", "เผยแพร่", "ข้อมูล", "ตรวจสอบ", "โครงการ"]
    for i in range(1, measures + 1):
        body = " ".join(
            words[(i * 7 + j * 3) % len(words)] + str(i * 1000 + j) for j in range(cell_chars // 12)
        )
        lines.append(
            f"{i}\tมาตรการที่ {i} {body[:200]}\tขั้นตอน {body[:300]}\tสำนักปลัด\t"
            f"1 ต.ค. 2567 - 30 ก.ย. 2568\t{body}\tผลลัพธ์ {body[: cell_chars // 2]}"
        )
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def pdf_many_pages(path: Path, pages: int = 200_000) -> Path:
    """A PDF with ``pages`` empty pages (a flat page tree), written as it goes."""
    with open(path, "wb") as out:
        offsets: list[int] = []
        pos = 0

        def obj(number: int, body: bytes) -> None:
            nonlocal pos
            offsets.append(pos)
            data = b"%d 0 obj\n" % number + body + b"\nendobj\n"
            out.write(data)
            pos += len(data)

        header = b"%PDF-1.4\n"
        out.write(header)
        pos = len(header)
        obj(1, b"<< /Type /Catalog /Pages 2 0 R >>")
        kids = b" ".join(b"%d 0 R" % (n + 3) for n in range(pages))
        obj(2, b"<< /Type /Pages /Count %d /Kids [%s] >>" % (pages, kids))
        for n in range(pages):
            obj(n + 3, b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>")
        xref = pos
        out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(offsets) + 1))
        out.write(b"".join(b"%010d 00000 n \n" % o for o in offsets))
        out.write(
            b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n"
            % (len(offsets) + 1, xref)
        )
    return path


def mixed_utf8_cp874(path: Path, seed_text: str) -> Path:
    """A report whose lines alternate UTF-8 and cp874 (two offices' parts pasted together)."""
    lines = seed_text.splitlines()
    path.write_bytes(
        b"\n".join(
            line.encode("utf-8" if i % 2 else "cp874", "replace") for i, line in enumerate(lines)
        )
    )
    return path


BUILDERS: dict[str, Callable[[Path], Path]] = {
    "docx_200mb_empty_paragraphs.docx": docx_bomb,
    "docx_one_cell_2m_paragraphs.docx": docx_one_huge_cell,
    "xlsx_10m_shared_strings.xlsx": xlsx_shared_strings,
    "xlsx_stored_6m_shared_strings.xlsx": lambda p: xlsx_shared_strings(p, 6_000_000, stored=True),
    "xlsx_1m_rows.xlsx": xlsx_million_rows,
    "xlsx_1m_empty_rows_stored.xlsx": xlsx_empty_rows,
    "pdf_200k_pages.pdf": pdf_many_pages,
    "text_800_measures_10mb.txt": many_measures_text,
}
