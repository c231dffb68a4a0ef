"""Hostile and broken inputs: every one gives ``unreadable_file`` with its reason, never an exception."""

from __future__ import annotations

import io
import os
import random
import zipfile
import zlib
from pathlib import Path

import docx
import pytest

from itaflow.read import read_bytes, read_path
from itaflow.read.sniff import OLE_MAGIC
from itaflow.settings import Limits

FIXTURES = Path(__file__).parent / "fixtures"
SEED = FIXTURES / "seeds" / "tapraya_sao_sakaeo_2568_annual.txt"
PDF = FIXTURES / "real" / "real_03_namyuen_hospital_anticorruption_2567.pdf"


def refused(doc, *words: str) -> str:
    assert not doc.readable and not doc.blocks
    (problem,) = doc.problems
    assert problem.check == "unreadable_file" and problem.severity == "error"
    assert " / " in problem.message  # Thai reason, then English
    for word in words:
        assert word in problem.message
    return problem.message


def _docx_bytes() -> bytes:
    d = docx.Document()
    d.add_paragraph("รายงานผลการดำเนินการ")
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


@pytest.mark.parametrize("data", [b"", b"   \n\t\r\n"], ids=["empty", "blank"])
def test_empty_file(data):
    refused(read_bytes(data, "x.txt"), "ไฟล์ว่างเปล่า", "empty file")


def test_random_bytes_are_not_a_document():
    data = random.Random(7).randbytes(4096)
    refused(read_bytes(data, "report.pdf"), "not a supported document")


@pytest.mark.parametrize(
    ("data", "what"),
    [
        (b"\x89PNG\r\n\x1a\n" + bytes(200), "PNG"),
        (b"\xff\xd8\xff\xe0" + bytes(200), "JPEG"),
        (b"MZ\x90\x00" + bytes(200), "EXE"),
        (b"\x7fELF\x02\x01" + bytes(200), "ELF"),
    ],
)
def test_images_and_programs_are_named(data, what):
    refused(read_bytes(data, "report.docx"), what)


def test_zip_bomb_renamed_docx_is_refused_before_inflating():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", "<w:document/>")
        with zf.open("word/media/filler.bin", "w", force_zip64=True) as fh:
            chunk = bytes(1 << 20)
            for _ in range(300):  # 300 MB of zeros, about 300 KB on disk
                fh.write(chunk)
    data = buf.getvalue()
    assert len(data) < 1_000_000
    refused(read_bytes(data, "report.docx"), "zip bomb")
    # a lower limit trips on a normal document too, which shows the check reads the directory
    refused(read_bytes(_docx_bytes(), "x.docx", Limits(max_unzipped_bytes=1000)), "zip bomb")


def test_too_many_zip_entries():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("xl/workbook.xml", "<workbook/>")
        for i in range(60):
            zf.writestr(f"xl/x{i}.xml", "")
    refused(read_bytes(buf.getvalue(), "x.xlsx", Limits(max_zip_entries=50)), "too many entries")


@pytest.mark.parametrize("cut", [0.3, 0.7, 0.95])
def test_truncated_docx_is_corrupt(cut):
    data = _docx_bytes()
    doc = read_bytes(data[: int(len(data) * cut)], "x.docx")
    refused(doc)


def test_corrupt_pdf():
    data = PDF.read_bytes()
    refused(read_bytes(data[:2000], "x.pdf"), "PDF")
    refused(read_bytes(b"%PDF-1.7\n" + random.Random(1).randbytes(3000), "x.pdf"), "PDF")


def test_password_protected_office_file():
    # Office stores an encrypted .docx/.xlsx as an OLE compound file with these streams.
    data = OLE_MAGIC + bytes(500) + "EncryptionInfo".encode("utf-16-le") + bytes(100)
    data += "EncryptedPackage".encode("utf-16-le") + bytes(400)
    refused(read_bytes(data, "report.docx"), "รหัสผ่าน", "password")


def test_legacy_word_doc_asks_for_docx():
    data = OLE_MAGIC + bytes(500) + "WordDocument".encode("utf-16-le") + bytes(500)
    refused(read_bytes(data, "report.doc"), ".docx")


def test_opendocument_and_plain_zip_are_not_supported():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        zf.writestr("content.xml", "<office:document-content/>")
    refused(read_bytes(buf.getvalue(), "x.odt"), "OpenDocument")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("report.txt", "hello")
    refused(read_bytes(buf.getvalue(), "x.zip"), "not a supported document")


def test_too_large_is_checked_before_reading(tmp_path):
    path = tmp_path / "big.txt"
    with path.open("wb") as fh:
        fh.seek(60 * 1024 * 1024)
        fh.write(b"x")  # sparse: 60 MB on paper, nothing on disk
    refused(read_path(path), "too large")
    refused(read_bytes(SEED.read_bytes(), "x.txt", Limits(max_file_bytes=1000)), "too large")


def test_missing_file_is_a_finding(tmp_path):
    refused(read_path(tmp_path / "nope.pdf"), "cannot open")


def test_page_cell_and_time_limits():
    refused(read_bytes(PDF.read_bytes(), "x.pdf", Limits(max_pages=2)), "too many pages")
    refused(read_bytes(SEED.read_bytes(), "x.txt", Limits(max_cells=50)), "too many table cells")
    refused(read_bytes(PDF.read_bytes(), "x.pdf", Limits(seconds_per_file=0)), "took too long")


def test_html_scripts_are_dropped_and_nothing_is_fetched():
    page = (
        b"<!DOCTYPE html><html><head><title>t</title><script>alert(1)</script>"
        b"<style>td{}</style></head><body><p>\xe0\xb8\x81 &lt;b&gt;</p>"
        b"<table><tr><td><img src='http://example.invalid/x.png'>=HYPERLINK(\"x\")</td>"
        b"<td rowspan=2>\xe0\xb8\x82</td></tr><tr><td><script>x()</script>\xe0\xb8\x84</td></tr></table>"
        b"</body></html>"
    )
    doc = read_bytes(page, "x.html")
    assert doc.format == "html"
    assert doc.blocks[0].text == "ก <b>"
    assert doc.blocks[1].rows == [['=HYPERLINK("x")', "ข"], ["ค", ""]]
    assert "alert" not in doc.text() and "x()" not in doc.text()


def test_mutated_samples_never_raise():
    """A small corpus of bit-flipped and truncated samples (the fuzz suite runs many more)."""
    rng = random.Random(2024)
    samples = [SEED.read_bytes()[:3000], _docx_bytes(), PDF.read_bytes()[:20000]]
    for sample in samples:
        for _ in range(15):
            data = bytearray(sample)
            for _ in range(rng.randint(1, 20)):
                data[rng.randrange(len(data))] = rng.randrange(256)
            if rng.random() < 0.3:
                data = data[: rng.randrange(1, len(data))]
            doc = read_bytes(bytes(data), "fuzz")
            assert doc.readable or (doc.problems and not doc.blocks)


def test_read_path_does_not_need_an_extension(tmp_path):
    path = tmp_path / "no_extension"
    path.write_bytes(SEED.read_bytes())
    assert read_path(path).format == "txt"
    os.chmod(path, 0o644)


def test_pdf_decompression_bomb_is_refused_before_pdfminer_inflates_it():
    packer = zlib.compressobj(9)
    bomb = b"".join(packer.compress(b" " * (1 << 20)) for _ in range(30)) + packer.flush()
    assert len(bomb) < 100_000
    body = b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(bomb) + bomb + b"\nendstream"
    pdf = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
    pdf += b"2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n"
    pdf += b"3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>\nendobj\n"
    pdf += b"4 0 obj\n" + body + b"\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
    refused(read_bytes(pdf, "x.pdf", Limits(max_unzipped_bytes=10 * 1024 * 1024)), "zip bomb")
