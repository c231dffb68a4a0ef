"""PDF reading: the real samples, Typst-made Thai PDFs with and without rulings, scans, encryption."""

from __future__ import annotations

from pathlib import Path

import fontpkg_sarabun
import pytest
import typst

from itaflow.read import read_bytes, read_path

REAL = Path(__file__).parent / "fixtures" / "real"


def tables(doc):
    return [b for b in doc.blocks if b.kind == "table"]


@pytest.fixture(scope="module")
def real_01():
    return read_path(REAL / "real_01_phitsanulok_city_measures_2567.pdf")


def test_real_01_measure_plan_gives_seven_measure_tables(real_01):
    assert real_01.readable and real_01.format == "pdf" and real_01.pages == 21
    measure_tables = [
        t
        for t in tables(real_01)
        if t.rows[0][0] == "ประเด็น"
        and any("ขั้นตอน/วิธีการ" in c.replace("\n", "") for row in t.rows[:3] for c in row)
    ]
    assert [t.page for t in measure_tables] == [8, 10, 12, 14, 16, 18, 20]
    for t in measure_tables:
        header = t.rows[1]
        assert "ผู้รับผิดชอบ/\nผู้ที่เกี่ยวข้อง" in header and "ระยะเวลา\nดำเนินการ" in header
        data = t.rows[-1]
        assert data[0][:1] in "ieo" and data[1].replace(".", "").isdigit()  # indicator, score
    first = measure_tables[0].rows[-1]
    assert first[header.index("ระยะเวลา\nดำเนินการ")] == "ตุลาคม\n2566 ถึง\nกันยายน\n2567"
    # broken glyphs from the agency's font come through untouched for the checks
    assert "บริกำร" in first[3]


def test_real_01_thai_marks_stay_in_their_words(real_01):
    text = real_01.text()
    assert "วิเคราะห์" in text and "เจ้าหน้าที่" in text
    assert "วเิคราะห์" not in text and "(cid:" not in text


def test_hospital_reports_give_tables_and_tick_boxes():
    doc = read_path(REAL / "real_02_namyuen_hospital_bribery_2567.pdf")
    (table,) = tables(doc)
    assert [row[0] for row in table.rows] == ["ข้อที่", "1", "2", "3", "4", "5"]
    assert table.rows[1][2] == "เจ้าหน้าที่\nรพ.น้ำยืน"
    assert "(นางสาวนวลจันทร์ บุญเจือ)" in [b.text for b in doc.blocks if b.kind == "text"]

    risk = read_path(REAL / "real_05_namyuen_hospital_risk_2567.pdf")
    status_cells = [
        row[1] for t in tables(risk) for row in t.rows if row[0][:2] in ("1.", "2.", "3.", "4.")
    ]
    assert len(status_cells) == 4
    assert all(
        "\uf052 เฝ้าระวังและติดตามต่อเนื่อง" in c and "\uf0a3 ยังไม่ได้ดำเนินการ" in c for c in status_cells
    )

    ethics = read_path(REAL / "real_04_namyuen_hospital_ethics_2567.pdf")
    assert "\uf0fe" in ethics.text() and "\uf0a8" in ethics.text()
    for name in ("real_03_namyuen_hospital_anticorruption_2567.pdf",):
        assert len(tables(read_path(REAL / name))) == 3


TYPST_TABLE = """
#set page(paper: "a4", flipped: true, margin: 1.5cm)
#set text(font: "Sarabun", size: 12pt, lang: "th")
รายงานผลการดำเนินการ ประจำปีงบประมาณ พ.ศ. ๒๕๖๘

#table(columns: (auto, 1fr, 1fr, auto), STROKE
  [ลำดับ], [มาตรการ], [ผลการดำเนินการ], [ผู้รับผิดชอบ],
  [๑.], [มาตรการป้องกันการทุจริต ในกระบวนการเบิกจ่ายยาตามสิทธิสวัสดิการ], [ดำเนินการแล้วเสร็จ ไม่พบการทุจริตในการเบิกจ่าย ยาตามสิทธิสวัสดิการของเจ้าหน้าที่ทุกคนในหน่วยงาน], [สำนักปลัด],
  [๒.], [มาตรการการใช้รถราชการ], [อยู่ระหว่างดำเนินการ], [กองคลัง],
  [๓.], [มาตรการจัดการเรื่องร้องเรียน], [ยังไม่ได้ดำเนินการ], [กองช่าง],
)
(ลงชื่อ) ผู้รายงาน
"""


def _typst_pdf(source: str) -> bytes:
    return typst.compile(
        source.encode(), font_paths=[str(fontpkg_sarabun.ROOT)], ignore_system_fonts=True
    )


@pytest.mark.parametrize(
    "stroke", ["stroke: 0.5pt,", "stroke: none, column-gutter: 1.2em,"], ids=["ruled", "borderless"]
)
def test_typst_thai_table_reads_back(stroke):
    doc = read_bytes(_typst_pdf(TYPST_TABLE.replace("STROKE", stroke)), "report.pdf")
    assert doc.readable, doc.problems
    assert [b.kind for b in doc.blocks] == ["text", "table", "text"]
    assert (
        doc.blocks[0].text == "รายงานผลการดำเนินการ ประจำปีงบประมาณ พ.ศ. ๒๕๖๘"
    )  # ActualText honoured
    rows = doc.blocks[1].rows
    assert rows[0] == ["ลำดับ", "มาตรการ", "ผลการดำเนินการ", "ผู้รับผิดชอบ"]
    assert [r[0] for r in rows[1:]] == ["๑.", "๒.", "๓."]
    assert [r[3] for r in rows[1:]] == ["สำนักปลัด", "กองคลัง", "กองช่าง"]
    assert rows[1][2].replace("\n", "").startswith("ดำเนินการแล้วเสร็จ ไม่พบการทุจริต")
    assert "\n" in rows[1][2]  # a wrapped cell keeps its line breaks
    assert all(b.page == 1 for b in doc.blocks)


def _raw_pdf(objects: list[bytes], trailer_extra: bytes = b"") -> bytes:
    """A minimal PDF with a correct xref table, from numbered object bodies."""
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R %s >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        trailer_extra,
        xref,
    )
    return bytes(out)


def test_scanned_pdf_without_text_layer_is_unreadable_with_the_reason():
    image = b"<< /Type /XObject /Subtype /Image /Width 2 /Height 2 /ColorSpace /DeviceGray /BitsPerComponent 8 /Length 4 >>\nstream\n\x00\xff\xff\x00\nendstream"
    content = b"q 500 0 0 700 50 50 cm /Im1 Do Q"
    pdf = _raw_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /XObject << /Im1 4 0 R >> >> /Contents 5 0 R >>",
            image,
            b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        ]
    )
    doc = read_bytes(pdf, "scan.pdf")
    assert not doc.readable and doc.format == "pdf" and not doc.blocks
    assert "ภาพสแกน" in doc.problems[0].message and "scanned PDF" in doc.problems[0].message


def test_password_protected_pdf_is_unreadable():
    pdf = _raw_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [] /Count 0 >>",
            b"<< /Filter /Standard /V 1 /R 2 /Length 40 /P -4 /O <%s> /U <%s> >>"
            % (b"11" * 32, b"22" * 32),
        ],
        trailer_extra=b"/Encrypt 3 0 R /ID [<00112233445566778899aabbccddeeff> <00112233445566778899aabbccddeeff>]",
    )
    doc = read_bytes(pdf, "locked.pdf")
    assert not doc.readable and doc.format == "pdf"
    assert "รหัสผ่าน" in doc.problems[0].message and "password" in doc.problems[0].message


PRODUCERS = Path(__file__).parent / "fixtures" / "producers"


def test_table_cut_by_a_page_break_without_a_closing_ruling_keeps_its_last_row():
    """Chromium draws no bottom border where a page break cuts a table: the rows
    above the break are still read as table rows (not loose text)."""
    from itaflow.read.pdf import _open_ends

    def v(x, top, bottom):
        return {
            "orientation": "v",
            "object_type": "v_edge",
            "x0": x,
            "x1": x + 0.75,
            "top": top,
            "bottom": bottom,
            "width": 0.75,
            "height": bottom - top,
        }

    def h(x0, x1, y):
        return {
            "orientation": "h",
            "object_type": "h_edge",
            "x0": x0,
            "x1": x1,
            "top": y,
            "bottom": y + 0.75,
            "width": x1 - x0,
            "height": 0.75,
        }

    vertical = [v(x, 100, 800) for x in (40, 200, 400)]
    horizontal = [h(40, 400.75, 100), h(40, 400.75, 150)]
    added = _open_ends(vertical, horizontal)
    assert [(e["top"], e["x0"], e["x1"]) for e in added] == [(800.0, 40, 400.75)]
    horizontal.append(h(40, 400.75, 800))
    assert _open_ends(vertical, horizontal) == []


def test_chromium_print_reads_without_its_page_headers_and_with_whole_words():
    doc = read_path(PRODUCERS / "danchang_sao_nakhonratchasima_2566_h1/chromium_chrome_print.pdf")
    text = "\n".join(b.text for b in doc.blocks if b.kind == "text")
    assert "file://" not in text and "AM " not in text
    assert text.splitlines()[0].startswith("รายงานการดำเนินการ")
    assert "อำเภอบัวใหญ่" in text and "ดำ เนิน" not in text
    assert len(tables(doc)) >= 7  # every cut piece of the measure tables is a table
