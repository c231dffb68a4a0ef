"""The provincial report: right numbers, Thai that reads back, hostile text kept inert."""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import pytest
from openpyxl import load_workbook

from itaflow.compile import compile_report, report_stem, report_view
from itaflow.compile.sample import (
    HOSTILE_FORMULA,
    HOSTILE_SCRIPT,
    HOSTILE_TYPST,
    sample_report_data,
)
from itaflow.present.text import clean, safe_href
from itaflow.present.thaidate import thai_date, thai_datetime

POPPLER = all(shutil.which(b) for b in ("pdftotext", "pdffonts", "pdftoppm"))
needs_poppler = pytest.mark.skipif(
    not POPPLER, reason="POPPLER MISSING: apt-get install poppler-utils to check the PDF"
)


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    """A dozen LAOs of นครราชสีมา in every state, with hostile text, in all formats."""
    data = sample_report_data()
    return data, compile_report(data, tmp_path_factory.mktemp("small"))


@pytest.fixture(scope="module")
def province_pdf(tmp_path_factory):
    """The whole province (334 LAOs) so tables must break across pages."""
    data = sample_report_data(full_province=True)
    return compile_report(data, tmp_path_factory.mktemp("full"), formats=("pdf",))["pdf"]


def run(*args: str) -> str:
    return subprocess.run(args, check=True, capture_output=True, text=True, timeout=60).stdout


# --- the view: one set of numbers for every format -----------------------------


def test_counts_add_up_and_match_the_model():
    data = sample_report_data(full_province=True)
    v = report_view(data)
    c = v["counts"]
    assert c["expected"] == data.expected == len(data.laos)
    assert c["received"] == data.received == c["expected"] - c["missing"]
    assert (
        c["received"]
        == c["accepted"] + c["accepted_with_warnings"] + c["rejected"] + c["quarantined"]
    )
    assert (c["on_time"], c["late"]) == (data.on_time, data.late)
    total = v["districts"][-1]
    assert total["total"] and total["district"] == "รวม"
    for key in ("expected", "received", "missing", "rejected"):
        assert total[key] == c[key] == sum(d[key] for d in v["districts"][:-1])
    rates = {row["key"]: row["value"] for row in v["summary"]}
    assert rates["reporting_rate"] == f"{100 * data.reporting_rate:.1f}%"
    assert rates["on_time_rate"] == f"{100 * data.on_time_rate:.1f}%"


def test_must_act_lists_missing_rejected_and_unreadable_with_reasons():
    v = report_view(sample_report_data())
    acting = {row["lao_code"]: row for row in v["must_act"]}
    assert set(acting) == {"6301209", "5300106", "4302101", "5301211", "6301204", "4301402"}
    assert [r["state"] for r in v["must_act"]][:3] == ["missing"] * 3
    assert acting["6301209"]["reasons"] == ["ยังไม่ได้รับรายงาน (กำหนดส่ง 30 เม.ย. 2569)"]
    # only errors are reasons to act; the warning on the same LAO is not; Thai only
    assert acting["6301204"]["reasons"] == [
        "ไม่พบผลการดำเนินการของมาตรการที่ 3 โปรดกรอกผลการดำเนินการ",
        "ระยะเวลาดำเนินการ ต.ค. 2566 อยู่นอกปีงบประมาณ 2569",
    ]
    assert acting["6301204"]["action"] == "แก้ไขแล้วส่งใหม่"
    assert "เปิดไฟล์ไม่ได้" in acting["5301211"]["reasons"][0]


def test_thai_dates():
    assert thai_date(date(2026, 4, 30)) == "30 เมษายน 2569"
    assert thai_date(date(2025, 10, 1), short=True) == "1 ต.ค. 2568"
    assert thai_datetime("2026-05-03T16:40:00") == "3 พ.ค. 2569 16:40 น."
    assert thai_datetime("not a date") == "not a date"
    assert thai_datetime(None) == ""
    v = report_view(sample_report_data())
    assert v["round_line"] == "ประจำปีงบประมาณ พ.ศ. 2569 รอบ 6 เดือน (1 ตุลาคม 2568 – 31 มีนาคม 2569)"


def test_clean_and_links():
    assert clean("a\r\nBcc: x\x00\u202eevil") == "a Bcc: x evil"
    assert clean("line1\nline2", oneline=False) == "line1\nline2"
    assert len(clean("ก" * 5000)) == 2000
    assert safe_href("javascript:alert(1)") is None
    assert safe_href("data:text/html,<script>") is None
    assert safe_href("/var/dd/index.html") == "file:///var/dd/index.html"
    assert safe_href("https://x.go.th/a") == "https://x.go.th/a"
    assert safe_href("data_docs/index.html") == "data_docs/index.html"


# --- HTML ----------------------------------------------------------------------


class _Elements(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


def test_html_escapes_hostile_text_and_has_every_section(small):
    _, files = small
    html = files["html"].read_text(encoding="utf-8")
    parsed = _Elements()
    parsed.feed(html)
    tags = [t for t, _ in parsed.tags]
    assert "script" not in tags and "iframe" not in tags
    text = "".join(parsed.text)
    assert HOSTILE_SCRIPT in text  # shown, as text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert HOSTILE_FORMULA in text and "#set page(fill: red)" in text
    hrefs = [a["href"] for t, a in parsed.tags if t == "a"]
    # the report's own validation summary (beside it) and web Data Docs; never a server
    # path, never a script URL
    assert (
        hrefs[0]
        == "ita-2569-H1-%E0%B8%99%E0%B8%84%E0%B8%A3%E0%B8%A3%E0%B8%B2%E0%B8%8A%E0%B8%AA%E0%B8%B5%E0%B8%A1%E0%B8%B2-validation.html"
    )
    assert all(h.startswith("https://") for h in hrefs[1:]) and len(hrefs) == 2
    assert "/var/itaflow" not in html and "javascript" not in html
    assert any(
        t == "meta" and a.get("http-equiv") == "Content-Security-Policy" for t, a in parsed.tags
    )
    ids = {a.get("id") for _, a in parsed.tags}
    assert {
        "summary",
        "districts",
        "must-act",
        "laos",
        "findings",
        "measures",
        "data-docs",
        "unmatched",
    } <= ids
    for word in (
        "หน่วยงานที่ต้องรายงาน",
        "ส่งแล้ว",
        "ส่งตรงเวลา",
        "ส่งล่าช้า",
        "ยังไม่ส่ง",
        "ผ่าน",
        "ผ่านแบบมีข้อสังเกต",
        "ต้องแก้ไข",
        "30 เมษายน 2569",
        "IIT",
        "EIT",
        "OIT",
    ):
        assert word in text, word


def test_html_carries_its_thai_font(small):
    """The report is one file that reads the same on a PC with no Thai fonts."""
    import base64

    import fontpkg_sarabun

    _, files = small
    html = files["html"].read_text(encoding="utf-8")
    faces = re.findall(r"@font-face \{[^}]*base64,([A-Za-z0-9+/=]+)\)", html)
    regular = (fontpkg_sarabun.ROOT / "files" / "Sarabun-Regular.ttf").read_bytes()
    assert len(faces) == 2 and base64.b64decode(faces[0]) == regular
    assert "font-src data:" in html  # the page's CSP lets the embedded font load


def test_a_section_is_a_block_a_variant_can_extend(tmp_path, small):
    """docs/adding-a-report-section.md: a local template extends the report and adds a block."""
    data, _ = small
    templates = tmp_path / "templates"
    shutil.copytree(
        Path(__file__).resolve().parents[1] / "reports",
        templates,
        ignore=shutil.ignore_patterns("out"),
    )
    base = (templates / "report.html.j2").read_text(encoding="utf-8")
    (templates / "report.html.j2").write_text(
        base.replace(
            "{% block footer %}",
            '{% block annex_note %}<p id="sig">ลงชื่อ {{ v.where }}</p>{% endblock %}\n{% block footer %}',
        ),
        encoding="utf-8",
    )
    out = compile_report(data, tmp_path / "out", formats=("html",), templates_dir=templates)
    assert '<p id="sig">ลงชื่อ จังหวัดนครราชสีมา</p>' in out["html"].read_text(encoding="utf-8")


# --- PDF -----------------------------------------------------------------------


@needs_poppler
def test_pdf_embeds_sarabun_and_reads_back_as_written(small):
    _, files = small
    fonts = run("pdffonts", str(files["pdf"])).splitlines()[2:]
    assert fonts, "no fonts in the PDF"
    for line in fonts:
        assert "Sarabun" in line, line
        assert re.search(r"\byes\s+yes\s+yes\b", line), f"not embedded/subset/unicode: {line}"
    text = run("pdftotext", str(files["pdf"]), "-")
    for word in ("การ", "น้ำ", "ชี้แจง", "ดำเนินการ", "ท้องถิ่น", "หนองไข่น้ำ", "ผ่านแบบมีข้อสังเกต"):
        assert word in text, word
    # broken Thai: สระอำ split (กำร/นำ for การ/น้ำ), clusters doubled by the text layer
    for broken in ("กำร", "ถิ่ถิ่", "คิ้คิ้", "ทั้ทั้", "\ufffd"):
        assert broken not in text, broken
    assert "น้ำ" in text and "นำ้" not in text
    flat = re.sub(r"\s+", "", text)
    for hostile in (HOSTILE_SCRIPT, HOSTILE_FORMULA, HOSTILE_TYPST):
        assert re.sub(r"\s+", "", hostile) in flat, hostile


@needs_poppler
def test_pdf_tables_break_across_a4_pages_with_numbered_footer(province_pdf):
    info = run("pdfinfo", str(province_pdf)) if shutil.which("pdfinfo") else ""
    if info:
        assert "595.276 x 841.89" in info  # A4
    text = run("pdftotext", str(province_pdf), "-")
    pages = int(re.search(r"หน้า 1 จาก (\d+)", text).group(1))
    assert pages >= 5
    last = run("pdftotext", "-f", str(pages), "-l", str(pages), str(province_pdf), "-")
    assert f"หน้า {pages} จาก {pages}" in last
    page3 = run("pdftotext", "-f", "3", "-l", "3", str(province_pdf), "-")
    assert "ผลการรายงาน ITA อปท. จังหวัดนครราชสีมา" in page3  # running header
    pages_text = text.split("\f")
    annex = next(i for i, p in enumerate(pages_text) if "ภาคผนวก" in p)
    after = pages_text[annex + 1]  # the LAO table goes on: its header repeats
    assert "ลำดับ" in after and "หน่วยงาน" in after and "ภาคผนวก" not in after


@needs_poppler
def test_pdf_page_one_renders(small, tmp_path):
    from PIL import Image

    _, files = small
    run(
        "pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", str(files["pdf"]), str(tmp_path / "p")
    )
    png = next(tmp_path.glob("p*.png"))
    image = Image.open(png).convert("L")
    assert abs(image.height / image.width - 297 / 210) < 0.01
    dark = sum(image.histogram()[:128])
    assert dark > 0.01 * image.width * image.height  # text was drawn, not a blank page


# --- XLSX ----------------------------------------------------------------------


def test_xlsx_never_holds_a_formula(small):
    _, files = small
    with zipfile.ZipFile(files["xlsx"]) as z:
        sheets = [n for n in z.namelist() if n.startswith("xl/worksheets/sheet")]
        xml = {n: z.read(n).decode("utf-8") for n in sheets}
        styles = z.read("xl/styles.xml").decode("utf-8")
    assert sheets
    for name, body in xml.items():
        assert "<f>" not in body and "<f " not in body, f"formula in {name}"
    everything = "".join(xml.values())
    assert (
        "=HYPERLINK(&quot;http://x&quot;,&quot;y&quot;)" in everything
        or '=HYPERLINK("http://x","y")' in everything
    )
    assert 'quotePrefix="1"' in styles

    wb = load_workbook(files["xlsx"])
    assert wb.sheetnames[:4] == ["สรุป", "รายอำเภอ", "ประเภท อปท.", "รายหน่วยงาน"]
    assert "ข้อค้นพบ" in wb.sheetnames
    risky = [
        c
        for ws in wb
        for row in ws.iter_rows()
        for c in row
        if isinstance(c.value, str) and c.value.startswith(("=", "+", "-", "@"))
    ]
    assert risky, "the sample has formula-like text; it must be in the workbook"
    for c in risky:
        assert c.data_type == "s" and c.quotePrefix, c.coordinate


def test_xlsx_content(small):
    data, files = small
    wb = load_workbook(files["xlsx"])
    laos = wb["รายหน่วยงาน"]
    header = [c.value for c in laos[1]]
    assert header[:4] == ["ลำดับ", "รหัส อปท.", "หน่วยงาน", "ประเภท"]
    codes = {laos.cell(row=r, column=2).value for r in range(2, laos.max_row + 1)}
    assert codes == {lao.lao_code for lao in data.laos}
    findings = wb["ข้อค้นพบ"]
    assert findings.max_row - 1 == sum(len(lao.findings) for lao in data.laos)
    summary = {r[0].value: r[1].value for r in wb["สรุป"].iter_rows(min_row=8, max_row=18)}
    assert summary["หน่วยงานที่ต้องรายงาน"] == 12 and summary["ยังไม่ส่ง"] == 3
    assert summary["อัตราการรายงาน"] == pytest.approx(data.reporting_rate)
    districts = wb["รายอำเภอ"]
    assert districts.cell(row=districts.max_row, column=1).value == "รวม"


# --- compile_report ------------------------------------------------------------


def test_compile_report_names_formats_and_reruns(tmp_path):
    data = sample_report_data(hostile=False)
    first = compile_report(data, tmp_path, formats=("html", "xlsx"))
    assert set(first) == {"html", "xlsx"}
    assert first["html"].name == "ita-2569-H1-นครราชสีมา.html"
    again = compile_report(data, tmp_path, formats=("html",))
    assert again["html"] == first["html"]
    companion = "ita-2569-H1-นครราชสีมา-validation.html"  # the HTML's validation summary
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        [companion] + [p.name for p in first.values()]
    )
    with pytest.raises(ValueError, match="docx"):
        compile_report(data, tmp_path, formats=("docx",))


def test_file_name_is_safe_whatever_the_province():
    data = sample_report_data(hostile=False)
    data.province = "../../etc/passwd\r\n"
    stem = report_stem(data)
    assert "/" not in stem and "\n" not in stem and ".." not in stem
    data.province = None
    assert report_stem(data) == "ita-2569-H1-all"


def test_data_docs_inside_the_report_folder_are_linked_relatively(tmp_path):
    data = sample_report_data(hostile=False)
    data.data_docs = [str(tmp_path / "data_docs" / "run 1" / "index.html"), "/elsewhere/index.html"]
    html = compile_report(data, tmp_path, formats=("html",))["html"].read_text(encoding="utf-8")
    assert 'href="data_docs/run%201/index.html"' in html
    assert "elsewhere" not in html  # a server path means nothing to the reader


def test_empty_round_still_compiles(tmp_path):
    data = sample_report_data(hostile=False)
    data.laos, data.check_counts, data.category_counts = [], {}, {}
    data.data_docs, data.unmatched_files = [], []
    files = compile_report(data, tmp_path)
    assert all(p.stat().st_size > 0 for p in files.values())
    assert "0.0%" not in files["html"].read_text(encoding="utf-8")  # no rate without LAOs
