"""PDF guards that run before any page is parsed: stream inflation and the page count."""

from __future__ import annotations

import time
import zlib

import pytest

from itaflow.read import read_bytes
from itaflow.read.pdf import _inflated_size, check_streams
from itaflow.settings import Limits
from tests import fuzz_corpus

FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"


def _page(contents_ref: int) -> bytes:
    return (
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842]"
        b" /Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>" % contents_ref
    )


def _stream(content: bytes) -> bytes:
    body = zlib.compress(content, 9)
    return b"<< /Filter /FlateDecode /Length %d >>\nstream\n" % len(body) + body + b"\nendstream"


def early_end_pdf() -> bytes:
    """A page whose content stream inflates past one output step (1 MiB) and ends
    part-way through the 64 KiB input chunk, with the rest of the file behind it:
    the shape that made the old guard feed the same leftover input forever."""
    content = b"BT /F1 12 Tf 72 760 Td (Stream ends early) Tj ET\n" + b" " * (3 << 20)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [4 0 R] /Count 1 >>",
        FONT,
        _page(5),
        _stream(content),
        b"(" + b"x" * 70_000 + b")",  # input left over after the stream's end
    ]
    return fuzz_corpus.assemble_pdf(objects)


@pytest.mark.timeout(20)
def test_inflation_stops_at_the_end_of_the_stream_whatever_input_is_left():
    data = early_end_pdf()
    start = data.index(b"stream\n") + len(b"stream\n")
    assert _inflated_size(data, start, 1 << 30) == len(b" " * (3 << 20)) + 49
    check_streams(data, 200 << 20)  # returns: not a bomb, and no loop


@pytest.mark.timeout(20)
def test_pdf_whose_stream_ends_early_reads_in_bounded_time():
    started = time.monotonic()
    doc = read_bytes(early_end_pdf(), "report.pdf")
    assert time.monotonic() - started < 10
    assert doc.readable and "Stream ends early" in doc.text()


def many_pages_pdf(pages: int) -> bytes:
    kids = b" ".join(b"%d 0 R" % (5 + k) for k in range(pages))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % pages,
        FONT,
        _stream(b"BT /F1 12 Tf 72 760 Td (A page of text) Tj ET"),
    ] + [_page(4)] * pages
    return fuzz_corpus.assemble_pdf(objects)


def test_page_count_is_refused_before_pages_are_parsed():
    started = time.monotonic()
    doc = read_bytes(many_pages_pdf(2000), "report.pdf", Limits(max_pages=300))
    assert not doc.readable and "too many pages (2,000, limit 300)" in doc.problems[0].message
    assert time.monotonic() - started < 3
