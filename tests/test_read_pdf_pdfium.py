"""PDFium's characters and rulings, as other producers' PDFs give them (committed fixtures)."""

from __future__ import annotations

from pathlib import Path

import pypdfium2 as pdfium
import pytest

from itaflow.read import read_path
from itaflow.read.pdf_pdfium import _pair_surrogates, chars, edges

PRODUCERS = Path(__file__).parent / "fixtures" / "producers"
DANCHANG = PRODUCERS / "danchang_sao_nakhonratchasima_2566_h1"


def _text(path: Path) -> str:
    doc = read_path(path)
    assert doc.readable, doc.problems
    return doc.text()


@pytest.fixture(scope="module")
def chromium_text() -> str:
    return _text(DANCHANG / "chromium_chrome_table.pdf")


def test_skia_cluster_repeats_are_dropped(chromium_text):
    """Chromium maps every glyph of a cluster to the whole cluster: read once."""
    for word in ("ส่งเสริม", "บริหาร", "ด่านช้าง", "ขั้นตอนหรือวิธีการ", "ผู้รับผิด"):
        assert word in chromium_text
    for repeat in ("ส่ส่ง", "ริริ", "ช้ช้", "ขั้ขั้", "รัรับ"):
        assert repeat not in chromium_text


def test_thai_digits_keep_the_space_pdfium_sees(chromium_text):
    assert "๒๕๖๖ รอบ" in chromium_text.replace("\n", " ")


def test_actualtext_clusters_read_as_written_and_hyphens_stay():
    text = _text(DANCHANG / "typst_pdf_table.pdf")
    assert "รายงานการดำเนินการตามมาตรการส่งเสริมคุณธรรมและความโปร่งใส" in text
    assert "E-Service" in text  # PDFium reports this hyphen as U+0002
    assert "\x02" not in text


def test_libreoffice_ruled_tables_come_from_its_rulings():
    pdf = pdfium.PdfDocument(DANCHANG / "libreoffice_lo_grouped.pdf")
    try:
        page = pdf[0]
        found = edges(page)
        assert sum(e["orientation"] == "v" for e in found) >= 4
        assert sum(e["orientation"] == "h" for e in found) >= 2
        assert chars(page)
    finally:
        pdf.close()
    doc = read_path(DANCHANG / "libreoffice_lo_grouped.pdf")
    header = next(b for b in doc.blocks if b.kind == "table").rows[0]
    assert len(header) >= 5 and "ขั้นตอน" in header[1].replace("\n", "")


def test_characters_beyond_the_basic_plane_are_joined_and_lone_halves_replaced():
    units = [{"text": "\ud83d"}, {"text": "\ude00"}, {"text": "\udc00"}, {"text": "ก"}]
    assert [c["text"] for c in _pair_surrogates(units)] == ["😀", "\ufffd", "ก"]
