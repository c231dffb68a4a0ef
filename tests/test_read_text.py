"""The text reader on the three sample seeds, their re-encodings, and small hand-made texts."""

from __future__ import annotations

from pathlib import Path

import pytest

from itaflow.read import read_bytes, read_path

SEEDS = Path(__file__).parent / "fixtures" / "seeds"
DANCHANG = SEEDS / "danchang_sao_nakhonratchasima_2566_h1.txt"
NONGHUARAT = SEEDS / "nonghuarat_tm_nakhonratchasima_2568.txt"
TAPRAYA = SEEDS / "tapraya_sao_sakaeo_2568_annual.txt"


def tables(doc):
    return [b for b in doc.blocks if b.kind == "table"]


def texts(doc):
    return [b.text for b in doc.blocks if b.kind == "text"]


def all_cells(doc):
    return [c for t in tables(doc) for row in t.rows for c in row]


def test_danchang_markdown_tables_grouped_by_category():
    doc = read_path(DANCHANG)
    assert doc.readable and doc.format == "md" and doc.encoding == "utf-8"
    ts = tables(doc)
    # 3 IIT tables, 2 EIT (one with two measure rows), 1 OIT; header first in each.
    assert [len(t.rows) for t in ts] == [2, 2, 2, 3, 2, 2]
    assert all(len(row) == 5 for t in ts for row in t.rows)
    assert all(t.rows[0][0].startswith("ประเด็นที่เป็น") for t in ts)
    assert sum(len(t.rows) - 1 for t in ts) == 7
    # the category headings sit between the tables, in reading order
    kinds = [b.text if b.kind == "text" else "T" for b in doc.blocks]
    i_eit, i_oit = kinds.index("๒.ด้าน EIT"), kinds.index("๓.ด้าน OIT")
    assert kinds[i_eit + 1] == "T" and kinds[i_oit + 1] == "T"
    assert texts(doc)[-3:] == ["(ลงชื่อ)..........ผู้รายงาน", "(นางโสภา สีมานอก)", "หัวหน้าสำนักปลัด"]
    assert not any("|" in c or "<p>" in c or "---" in c for c in all_cells(doc))


def test_nonghuarat_tab_rows_with_html_paragraphs():
    doc = read_path(NONGHUARAT)
    assert doc.readable and doc.format == "txt"
    ts = tables(doc)
    assert [len(t.rows) for t in ts] == [3, 3, 2]
    assert all(len(row) == 6 for t in ts for row in t.rows)
    first = ts[0].rows[1]
    assert first[0] == "๑. มาตรการเสริมสร้างความซื่อสัตย์สุจริต และปลูกฝังทัศนคติวัฒนธรรมที่ดีในการต่อต้านการทุจริต"
    # <p> paragraphs become lines of one cell
    assert first[1].count("\n") >= 2 and first[1].splitlines()[1].startswith("๑. จัดทำ")
    assert not any("<" in c or ">" in c for c in all_cells(doc))
    # bold markers are kept out of the text
    assert "ของเทศบาลตำบลหนองหัวแรต ประจำปีงบประมาณ พ.ศ. ๒๕๖๘" in texts(doc)
    assert not any("**" in t for t in texts(doc))


def test_tapraya_one_table_per_measure_with_repeated_titles():
    doc = read_path(TAPRAYA)
    ts = tables(doc)
    assert len(ts) == 7 and all(len(t.rows) == 2 and len(t.rows[0]) == 7 for t in ts)
    assert [t.rows[1][0] for t in ts] == ["๑.", "๒.", "๓.", "๔.", "๕.", "๖.", "๗."]
    assert texts(doc).count("องค์การบริหารส่วนตำบลตาพระยา อำเภอตาพระยา จังหวัดสระแก้ว") == 6


@pytest.mark.parametrize("seed", [DANCHANG, NONGHUARAT, TAPRAYA], ids=lambda p: p.stem[:10])
@pytest.mark.parametrize("codec", ["cp874", "utf-16", "utf-16-le", "utf-16-be", "utf-8-sig"])
def test_other_encodings_give_the_same_blocks(seed, codec):
    text = seed.read_text(encoding="utf-8")
    reference = read_bytes(text.encode("utf-8"), seed.name)
    data = text.encode(codec)
    doc = read_bytes(data, seed.name)
    assert doc.readable
    assert doc.blocks == reference.blocks
    assert doc.format == reference.format
    expected = {"utf-16": "utf-16-le"}.get(codec, codec)  # Python's utf-16 writes a LE BOM here
    assert doc.encoding == expected


def test_crlf_line_endings_and_entities():
    text = "หัวเรื่อง\r\nก\tข\r\n<p>A &amp; B</p><p>ค</p>\tง&nbsp;จ\r\n\r\nจบ\r\n"
    doc = read_bytes(text.encode("utf-8"), "x.txt")
    assert [b.kind for b in doc.blocks] == ["text", "table", "text"]
    assert doc.blocks[1].rows == [["ก", "ข"], ["A & B\nค", "ง จ"]]


def test_markdown_rows_of_unequal_width_are_padded_and_escaped_pipes_kept():
    text = "| a | b | c |\n|---|---|---|\n| 1 | 2 \\| 3 |\n"
    doc = read_bytes(text.encode(), "x.md")
    assert doc.format == "md"
    assert doc.blocks[0].rows == [["a", "b", "c"], ["1", "2 | 3", ""]]


def test_text_with_an_html_table_reads_as_html():
    text = "ชื่อหน่วยงาน\n<table><tr><th>มาตรการ</th><th>ผล</th></tr>\n<tr><td>ก<br>ข</td><td>ค</td></tr></table>\nท้าย\n"
    doc = read_bytes(text.encode(), "x.txt")
    assert doc.format == "html"
    assert [b.kind for b in doc.blocks] == ["text", "table", "text"]
    assert doc.blocks[1].rows == [["มาตรการ", "ผล"], ["ก\nข", "ค"]]


def test_excel_unicode_text_export_with_quoted_multiline_cells():
    # Excel "Unicode Text": UTF-16 with BOM, CRLF, cells with line breaks/tabs/quotes quoted
    text = 'ลำดับ\tมาตรการ\tผล\r\n1\t"๑. ก\r\nต่อ"\t"ผล ""ดี"""\r\n2\t"ข\tค"\tง\r\n\r\nท้าย "อ้าง" ข้อความ\r\n'
    doc = read_bytes(text.encode("utf-16"), "export.txt")
    assert doc.encoding == "utf-16-le"
    assert doc.blocks[0].rows == [
        ["ลำดับ", "มาตรการ", "ผล"],
        ["1", "๑. ก\nต่อ", 'ผล "ดี"'],
        ["2", "ข ค", "ง"],
    ]
    assert doc.blocks[1].text == 'ท้าย "อ้าง" ข้อความ'


def test_a_stray_quote_does_not_swallow_the_table():
    text = 'หัว\tเรื่อง\n"ไม่ปิด\tคำพูด\nก\tข\nค\tง\n'
    doc = read_bytes(text.encode(), "x.txt")
    assert doc.blocks[0].rows == [["หัว", "เรื่อง"], ['"ไม่ปิด', "คำพูด"], ["ก", "ข"], ["ค", "ง"]]


def test_encoding_detection_edge_cases():
    # mostly ASCII with a few Thai words, in cp874
    doc = read_bytes("Report 2025\nagency: เทศบาลตำบลหนองหัวแรต\nA\tB\n".encode("cp874"), "x.txt")
    assert doc.encoding == "cp874" and doc.blocks[1].text == "agency: เทศบาลตำบลหนองหัวแรต"
    # UTF-8 cut in the middle of a Thai character, or with one stray byte
    data = TAPRAYA.read_bytes()
    for damaged in (data[:-1], data[:5000] + b"\xff" + data[5000:]):
        doc = read_bytes(damaged, "x.txt")
        assert doc.encoding == "utf-8" and len(tables(doc)) == 7
    # UTF-16 with a BOM but an odd number of bytes
    doc = read_bytes("ก\tข\n".encode("utf-16") + b"\x00", "x.txt")
    assert doc.readable and doc.blocks[0].rows[0][:2] == ["ก", "ข"]
