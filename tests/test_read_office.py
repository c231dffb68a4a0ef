"""Word and Excel files built here with python-docx / openpyxl read back right."""

from __future__ import annotations

import io
import struct
from datetime import datetime

import docx
import openpyxl

from itaflow.read import read_bytes
from itaflow.read.sniff import OLE_MAGIC


def _docx_bytes(d) -> bytes:
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def _xlsx_bytes(wb) -> bytes:
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_docx_paragraphs_and_tables_in_body_order_with_merged_cells():
    d = docx.Document()
    d.sections[0].header.paragraphs[0].text = "หัวกระดาษ ไม่ต้องอ่าน"
    d.sections[0].footer.paragraphs[0].text = "หน้า 1"
    d.add_paragraph("รายงานผลการดำเนินการ ประจำปีงบประมาณ พ.ศ. ๒๕๖๘")
    t = d.add_table(rows=4, cols=3)
    for i, row in enumerate(t.rows):
        for j, cell in enumerate(row.cells):
            cell.text = f"r{i}c{j}"
    t.cell(0, 0).merge(t.cell(0, 2)).text = "มาตรการที่ ๑"  # horizontal: gridSpan
    t.cell(2, 0).merge(t.cell(3, 0)).text = "สำนักปลัด"  # vertical: vMerge
    t.cell(1, 1).paragraphs[0].text = "บรรทัดแรก"
    t.cell(1, 1).add_paragraph("บรรทัดสอง")
    nested = t.cell(1, 2).add_table(rows=2, cols=2)
    nested.cell(0, 0).text, nested.cell(1, 1).text = "ใน", "ซ้อน"
    d.add_paragraph("ระหว่างตาราง")
    d.add_table(rows=1, cols=2).cell(0, 1).text = "ตารางที่สอง"
    d.add_paragraph("(ลงชื่อ) ผู้รายงาน")

    doc = read_bytes(_docx_bytes(d), "report.docx")
    assert doc.readable and doc.format == "docx"
    assert [b.kind for b in doc.blocks] == ["text", "table", "text", "table", "text"]
    rows = doc.blocks[1].rows
    assert rows[0] == ["มาตรการที่ ๑", "", ""]
    assert rows[1][:2] == ["r1c0", "บรรทัดแรก\nบรรทัดสอง"]
    assert rows[1][2] == "r1c2\nใน\nซ้อน"  # nested table flattened, one line per row
    assert rows[2][0].startswith("สำนักปลัด") and rows[3][0] == ""
    assert doc.blocks[3].rows == [["", "ตารางที่สอง"]]
    assert "หัวกระดาษ" not in doc.text() and "หน้า 1" not in doc.text()


def test_xlsx_title_rows_merged_cells_sheets_and_formulas():
    wb = openpyxl.Workbook()
    ws = wb.active
    ws["A1"] = "รายงานผลการดำเนินการ ประจำปีงบประมาณ พ.ศ. ๒๕๖๘"
    ws.merge_cells("A1:D1")
    ws["A2"] = "องค์การบริหารส่วนตำบลตาพระยา"
    ws.append([])
    ws.append([None, "ลำดับ", "มาตรการ", "ระยะเวลา", "ผล"])  # header on row 4, from column B
    ws.append([None, 1, "ก", datetime(2024, 10, 1), "=1+1"])
    ws.append([None, 2.0, "ข", "ตลอดปีงบประมาณ", "เสร็จ"])
    ws.merge_cells("C5:C6")
    hidden = wb.create_sheet("lists")
    hidden["A1"] = "ค่าในรายการ"
    hidden.sheet_state = "hidden"
    second = wb.create_sheet("ชีต 2")
    second["C3"] = "อีกชีต"

    doc = read_bytes(_xlsx_bytes(wb), "report.xlsx")
    assert doc.readable and doc.format == "xlsx"
    assert len(doc.blocks) == 2
    rows = doc.blocks[0].rows
    assert rows[0][0] == "รายงานผลการดำเนินการ ประจำปีงบประมาณ พ.ศ. ๒๕๖๘"
    assert rows[2] == ["", "ลำดับ", "มาตรการ", "ระยะเวลา", "ผล"]
    # a formula without a cached value is empty, never "=1+1"; the merged cell sits once
    assert rows[3] == ["", "1", "ก", "2024-10-01", ""]
    assert rows[4] == ["", "2", "", "ตลอดปีงบประมาณ", "เสร็จ"]
    assert doc.blocks[1].rows == [["อีกชีต"]]
    assert "ค่าในรายการ" not in doc.text()


def _rec(rtype: int, data: bytes) -> bytes:
    return struct.pack("<HH", rtype, len(data)) + data


def _ustr(text: str, lenlen: int) -> bytes:
    return (
        struct.pack("<H" if lenlen == 2 else "<B", len(text)) + b"\x01" + text.encode("utf-16-le")
    )


def _bof(kind: int) -> bytes:
    return _rec(0x0809, struct.pack("<HHHHII", 0x0600, kind, 0, 1997, 0, 6))


def _directory_entry(name: str, kind: int, child: int, start: int, size: int) -> bytes:
    raw = name.encode("utf-16-le") + b"\0\0" if name else b""
    head = raw.ljust(64, b"\0") + struct.pack("<HBB", len(raw), kind, 1)
    return (
        head + struct.pack("<iii", -1, -1, child) + bytes(36) + struct.pack("<iII", start, size, 0)
    )


def xls_bytes(sheets: dict[str, list[list]], merged=(), encrypted: bool = False) -> bytes:
    """A minimal BIFF8 workbook (strings, numbers, merged areas on sheet 1) in an OLE2 file.

    No library writes .xls any more, so the test builds the records itself.
    """
    subs = []
    for n, rows in enumerate(sheets.values()):
        body = _bof(0x0010)
        for r, row in enumerate(rows):
            for c, v in enumerate(row):
                if isinstance(v, str):
                    body += _rec(0x0204, struct.pack("<HHH", r, c, 0) + _ustr(v, 2))
                elif v is not None:
                    body += _rec(0x0203, struct.pack("<HHHd", r, c, 0, float(v)))
        if n == 0 and merged:
            spans = b"".join(struct.pack("<HHHH", *m) for m in merged)
            body += _rec(0x00E5, struct.pack("<H", len(merged)) + spans)
        subs.append(body + _rec(0x000A, b""))
    head = _bof(0x0005) + (_rec(0x002F, bytes(6)) if encrypted else b"")
    head += _rec(0x0042, struct.pack("<H", 1200))
    sheet_recs = [len(_rec(0x0085, bytes(6) + _ustr(name, 1))) for name in sheets]
    pos = len(head) + sum(sheet_recs) + 4
    for name, body in zip(sheets, subs, strict=True):
        head += _rec(0x0085, struct.pack("<IBB", pos, 0, 0) + _ustr(name, 1))
        pos += len(body)
    stream = head + _rec(0x000A, b"") + b"".join(subs)
    stream += bytes(max(0, 4096 - len(stream)))  # big enough to stay out of the mini stream
    n_sec = -(-len(stream) // 512)
    stream += bytes(n_sec * 512 - len(stream))
    header = OLE_MAGIC + bytes(16) + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6) + bytes(6)
    header += struct.pack("<IIIIIIIII", 0, 1, 1, 0, 4096, 0xFFFFFFFE, 0, 0xFFFFFFFE, 0)
    header += struct.pack("<I", 0) + b"\xff" * 4 * 108
    fat = [0xFFFFFFFD, 0xFFFFFFFE] + [3 + i for i in range(n_sec - 1)] + [0xFFFFFFFE]
    fat_sector = struct.pack("<128I", *(fat + [0xFFFFFFFF] * (128 - len(fat))))
    directory = _directory_entry("Root Entry", 5, 1, -2, 0)
    directory += _directory_entry("Workbook", 2, -1, 2, len(stream)) + bytes(256)
    return header + fat_sector + directory + stream


def test_xls_sheets_title_rows_and_merged_cells():
    data = xls_bytes(
        {
            "รายงาน": [
                ["รายงานผลการดำเนินการ ประจำปีงบประมาณ พ.ศ. ๒๕๖๘"],
                [],
                [None, "ลำดับ", "มาตรการ", "ผล"],
                [None, 1, "ก", "เสร็จ"],
                [None, 2.5, "ข"],
            ],
            "ชีต 2": [[None, None], ["อีกชีต"]],
        },
        merged=[(0, 0, 0, 3)],
    )
    doc = read_bytes(data, "report.xls")
    assert doc.readable and doc.format == "xls"
    assert doc.blocks[0].rows == [
        ["รายงานผลการดำเนินการ ประจำปีงบประมาณ พ.ศ. ๒๕๖๘", "", "", ""],
        ["", "ลำดับ", "มาตรการ", "ผล"],
        ["", "1", "ก", "เสร็จ"],
        ["", "2.5", "ข", ""],
    ]
    assert doc.blocks[1].rows == [["อีกชีต"]]


def test_password_protected_xls_is_unreadable():
    doc = read_bytes(xls_bytes({"s": [["x"]]}, encrypted=True), "report.xls")
    assert not doc.readable and doc.format == "xls"
    assert "password" in doc.problems[0].message
