"""The report's parts on their own: themes from the keyword file, officer-language
cleaning, charts, and the XLSX writer."""

from __future__ import annotations

import json
import re
import zipfile
from datetime import date, datetime
from io import BytesIO

from openpyxl import load_workbook

from itaflow.compile import charts
from itaflow.compile.themes import THEMES_FILE, assign, infer_category, load_themes
from itaflow.compile.xlsx import sheet_name
from itaflow.compile.xlsxpkg import HEADER, Percent, Sheet, package
from itaflow.present.text import clean, thai_message


def test_theme_file_is_package_data_with_thai_keywords():
    assert THEMES_FILE.parent.name == "data" and THEMES_FILE.parent.parent.name == "itaflow"
    raw = json.loads(THEMES_FILE.read_text(encoding="utf-8"))
    keys = [t["key"] for t in raw["themes"]]
    assert len(keys) == len(set(keys)) >= 10
    for theme in raw["themes"]:
        assert re.search("[ก-๙]", theme["label"]) and theme["keywords"]
        assert theme.get("category") in (None, "IIT", "EIT", "OIT")


def test_measures_get_every_matching_theme():
    assert assign("มาตรการงดรับของขวัญและของกำนัลทุกชนิด (No Gift Policy)") == ["no_gift"]
    both = assign("เปิดเผยข้อมูลการจัดซื้อจัดจ้างผ่านเว็บไซต์ของหน่วยงาน")
    assert {"procurement", "disclosure"} <= set(both)
    assert assign("การบริการประชาชนผ่านระบบ E-Service") == ["e_service"]
    # the title says nothing: the steps are read
    assert assign("มาตรการที่ 5", "จัดทำช่องทางรับเรื่องร้องเรียนการทุจริต") == ["complaints"]
    assert assign("", "") == [] and assign("ทดสอบ", "") == []


def test_keywords_match_on_word_boundaries_only():
    # "ภาษี" is a keyword of a theme only as "จัดเก็บภาษี"/"ภาษีที่ดิน"; "ร้องเรียน"
    # inside another word must not fire: "ประชาคม" is a keyword, "ประชาคมโลก" starts with it
    assert "participation" in assign("จัดประชาคมหมู่บ้าน")
    assert assign("ประกาศรับสมัครงาน") == []


def test_category_inferred_only_when_the_themes_agree():
    themes = load_themes()
    assert infer_category("OIT", ["no_gift"], themes) == "OIT"  # stated wins
    assert infer_category(None, ["no_gift"], themes) == "IIT"
    assert infer_category(None, ["procurement", "disclosure"], themes) == "OIT"
    assert infer_category(None, ["no_gift", "procurement"], themes) is None  # disagree
    assert infer_category(None, ["complaints"], themes) is None  # a theme of no category
    assert infer_category(None, [], themes) is None


def test_officer_language_thai_only_and_no_debris():
    assert thai_message("ไม่พบผลการดำเนินการ / result is empty") == "ไม่พบผลการดำเนินการ"
    assert (
        thai_message("มาตรการที่ 20: มาตรการที่ 20: ผลการดำเนินการว่าง / measure 20: empty")
        == "มาตรการที่ 20: ผลการดำเนินการว่าง"
    )
    # a slash inside Thai text is kept
    assert thai_message("สำนักปลัด / กองคลัง") == "สำนักปลัด / กองคลัง"
    assert clean("ผลการ(cid:0)ดำเนินการ\ufffd\ue001") == "ผลการดำเนินการ"


def test_charts_escape_labels_and_scale():
    spec = charts.bars(
        "x", "<b>ชื่อ</b>", ["อัตรา"], [("<script>", [50.0]), ("ว่าง", [None])], unit="%", top=100
    )
    assert spec["rows"][1]["texts"] == ["–"] and spec["rows"][0]["values"] == [50.0]
    svg = charts.svg(spec)
    assert "<script>" not in svg and "&lt;script&gt;" in svg and svg.startswith("<svg")
    stacked = charts.stacked("s", "สถานะ", ["ก", "ข"], [("IIT", [3, 1]), ("EIT", [0, 0])])
    assert stacked["rows"][0]["values"] == [75.0, 25.0] and stacked["rows"][1]["values"] == [0, 0]


def test_sheet_names_are_legal_and_unique():
    taken: set[str] = set()
    assert sheet_name("อ.เมือง/นคร:ราชสีมา[1]", taken) == "อ.เมือง นคร ราชสีมา 1"
    long = "อ." + "ก" * 40
    first, second = sheet_name(long, taken), sheet_name(long, taken)
    assert len(first) == 31 and len(second) <= 31 and first != second


def test_xlsx_package_types_formulas_and_same_bytes():
    sheet = Sheet("ทดสอบ", table=True, widths=[20, 12, 12])
    sheet.add(["ชื่อ", "วันที่", "อัตรา"], HEADER)
    sheet.add(['=HYPERLINK("http://x","y")', date(2026, 4, 30), Percent(0.5)])
    sheet.add(["@SUM(A1)", datetime(2026, 5, 3, 16, 40), 3])
    stamp = datetime(2026, 5, 15, 8, 30)
    one = package([sheet], title="t", creator="c", stamp=stamp)
    assert one == package([sheet], title="t", creator="c", stamp=stamp)
    with zipfile.ZipFile(BytesIO(one)) as z:
        assert {i.date_time for i in z.infolist()} == {(2026, 5, 15, 8, 30, 0)}
        body = z.read("xl/worksheets/sheet1.xml").decode()
        assert "<f>" not in body and "<f " not in body
        assert "2026-05-15T08:30:00Z" in z.read("docProps/core.xml").decode()
    wb = load_workbook(BytesIO(one))
    ws = wb["ทดสอบ"]
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref == "A1:C3"
    assert ws["A2"].value.startswith("=HYPERLINK") and ws["A2"].data_type == "s"
    assert ws["A2"].quotePrefix and ws["A3"].quotePrefix
    assert ws["B2"].value == datetime(2026, 4, 30) and ws["B3"].value == datetime(
        2026, 5, 3, 16, 40
    )
    assert ws["C2"].value == 0.5 and ws["C2"].number_format == "0.0%"
