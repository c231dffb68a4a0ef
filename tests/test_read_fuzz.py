"""Fuzzing the reader: whatever the bytes, ``read_bytes`` returns a Document and never raises."""

from __future__ import annotations

import io
import os
import zipfile
from pathlib import Path

import docx
import openpyxl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from itaflow.models import Document
from itaflow.read import read_bytes
from itaflow.settings import Limits

FIXTURES = Path(__file__).parent / "fixtures"
LIMITS = Limits(seconds_per_file=10)


def _docx() -> bytes:
    d = docx.Document()
    d.add_paragraph("รายงานผลการดำเนินการ")
    t = d.add_table(rows=2, cols=2)
    t.cell(0, 0).text, t.cell(1, 1).text = "มาตรการ", "ผล"
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def _xlsx() -> bytes:
    wb = openpyxl.Workbook()
    wb.active.append(["ลำดับ", "มาตรการ"])
    wb.active.append([1, "ก"])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


SAMPLES = [
    (FIXTURES / "seeds" / "danchang_sao_nakhonratchasima_2566_h1.txt").read_bytes()[:4000],
    (FIXTURES / "seeds" / "nonghuarat_tm_nakhonratchasima_2568.txt").read_bytes()[:4000],
    (FIXTURES / "real" / "real_02_namyuen_hospital_bribery_2567.pdf").read_bytes(),
    _docx(),
    _xlsx(),
]


def well_formed(doc: Document) -> None:
    assert isinstance(doc, Document)
    if doc.readable:
        for block in doc.blocks:
            assert block.kind in ("text", "table")
            if block.kind == "table":
                assert block.rows and len({len(r) for r in block.rows}) == 1
                assert all(isinstance(c, str) for r in block.rows for c in r)
    else:
        assert not doc.blocks and doc.problems[0].check == "unreadable_file"


fast = settings(
    max_examples=int(os.environ.get("ITAFLOW_FUZZ_EXAMPLES", "150")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


@fast
@given(st.binary(max_size=3000))
def test_random_bytes(data):
    well_formed(read_bytes(data, "x", LIMITS))


@fast
@given(
    st.lists(
        st.one_of(
            st.text(max_size=80),
            st.sampled_from(
                [
                    "\t",
                    "|",
                    "|---|---|",
                    "<p>",
                    "</p>",
                    "<table>",
                    "<td>",
                    "&amp;",
                    "**",
                    "\r\n",
                    "\n",
                    "<br>",
                ]
            ),
        ),
        max_size=60,
    ),
    st.sampled_from(["utf-8", "utf-16", "utf-16-le", "utf-8-sig"]),
)
def test_random_text_with_table_syntax(pieces, codec):
    text = "".join(pieces)
    well_formed(read_bytes(text.encode(codec, errors="replace"), "x.txt", LIMITS))


@fast
@given(
    st.sampled_from(range(len(SAMPLES))),
    st.lists(
        st.tuples(st.floats(0, 1, exclude_max=True), st.integers(0, 255)), min_size=1, max_size=30
    ),
    st.floats(0.05, 1.0),
)
def test_mutated_samples(index, flips, keep):
    data = bytearray(SAMPLES[index])
    for where, value in flips:
        data[int(where * len(data))] = value
    well_formed(read_bytes(bytes(data[: max(1, int(len(data) * keep))]), "x", LIMITS))


@fast
@given(
    st.dictionaries(
        st.sampled_from(["word/document.xml", "xl/workbook.xml", "[Content_Types].xml", "a"]),
        st.binary(max_size=200),
        min_size=1,
    )
)
def test_zip_with_hostile_members(members):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, body in members.items():
            zf.writestr(name, body)
    well_formed(read_bytes(buf.getvalue(), "x.docx", LIMITS))
