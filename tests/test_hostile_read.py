"""Issue 10 §2: every hostile file is refused within 10 s and 500 MB, with a reason.

Each file is built by ``hostile_files`` (streamed, never stored in the repo) and read
in a fresh process, so the peak memory measured is that read's own.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from hostile_files import (
    docx_bomb,
    docx_one_huge_cell,
    mixed_utf8_cp874,
    pdf_many_pages,
    xlsx_empty_rows,
    xlsx_million_rows,
    xlsx_shared_strings,
)

from itaflow.read import read_bytes

REPO = Path(__file__).resolve().parents[1]
SEED = REPO / "tests" / "fixtures" / "seeds" / "tapraya_sao_sakaeo_2568_annual.txt"

CHILD = """
import json, sys, time
from pathlib import Path

def peak_mb():
    # VmHWM: this process's own peak (ru_maxrss would include the parent's, kept across exec)
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
from itaflow.read import read_path
started = time.monotonic()
doc = read_path(Path(sys.argv[1]))
print(json.dumps({
    "seconds": time.monotonic() - started,
    "peak_mb": peak_mb(),
    "readable": doc.readable,
    "reason": doc.problems[0].message if doc.problems else "",
}))
"""


def read_in_child(path: Path, timeout: float = 60) -> dict:
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(path)], capture_output=True, text=True, timeout=timeout
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


CASES = [
    ("bomb.docx", docx_bomb, "zip bomb"),  # ~200 MB of empty paragraphs from 0.3 MB
    ("one_cell.docx", docx_one_huge_cell, "abnormally complex"),  # 12 MB stored, 2M elements
    ("strings.xlsx", xlsx_shared_strings, "zip bomb"),  # 10.5M shared strings
    (
        "strings_stored.xlsx",
        lambda p: xlsx_shared_strings(p, 6_000_000, stored=True),
        "too many table cells",
    ),
    ("rows.xlsx", xlsx_million_rows, "zip bomb"),  # a million rows
    ("empty_rows.xlsx", xlsx_empty_rows, "too many rows"),  # a million empty rows, stored
]


@pytest.mark.parametrize(("name", "build", "reason"), CASES, ids=[c[0] for c in CASES])
def test_hostile_office_file_is_refused_fast_and_small(tmp_path, name, build, reason):
    path = build(tmp_path / name)
    got = read_in_child(path)
    assert not got["readable"] and reason in got["reason"]
    assert " / " in got["reason"]  # Thai, then English
    assert got["seconds"] < 10, got
    assert got["peak_mb"] < 500, got


def test_pdf_with_200000_pages_is_refused_fast(tmp_path):
    path = pdf_many_pages(tmp_path / "pages.pdf")
    try:
        got = read_in_child(path, timeout=20)
    except subprocess.TimeoutExpired:
        pytest.fail("not refused within 20 s")
    assert not got["readable"] and "pages" in got["reason"]
    assert got["seconds"] < 10 and got["peak_mb"] < 500, got


def test_streamed_docx_still_reads_a_real_report():
    """The streaming reader reads the same report python-docx would build (see also
    tests/test_read_office.py, which builds its files with python-docx)."""
    import io

    import docx

    d = docx.Document()
    d.add_paragraph("รายงานผลการดำเนินการตามมาตรการส่งเสริมคุณธรรมและความโปร่งใส")
    table = d.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "มาตรการ", "ผลการดำเนินการ"
    table.cell(1, 0).text, table.cell(1, 1).text = "ประชุมชี้แจง", "ดำเนินการแล้ว"
    d.add_paragraph("ลงชื่อ ผู้รายงาน")
    buf = io.BytesIO()
    d.save(buf)
    doc = read_bytes(buf.getvalue(), "r.docx")
    assert doc.readable and [b.kind for b in doc.blocks] == ["text", "table", "text"]
    assert doc.blocks[1].rows == [["มาตรการ", "ผลการดำเนินการ"], ["ประชุมชี้แจง", "ดำเนินการแล้ว"]]


def test_mixed_utf8_and_cp874_lines_are_read_not_quarantined(tmp_path):
    seed = SEED.read_text(encoding="utf-8")
    path = mixed_utf8_cp874(tmp_path / "mixed.txt", seed)
    doc = read_bytes(path.read_bytes(), "mixed.txt")
    assert doc.readable and doc.encoding == "utf-8+cp874"
    text = "\n".join(b.text or "\t".join(c for r in b.rows or [] for c in r) for b in doc.blocks)
    assert "\ufffd" not in text
    assert "องค์การบริหารส่วนตำบล" in text or "อบต" in text
