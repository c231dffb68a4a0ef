"""Word and Excel files built here with python-docx / openpyxl read back right."""

from __future__ import annotations

import io
from datetime import datetime

import docx
import openpyxl

from itaflow.read import read_bytes


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
