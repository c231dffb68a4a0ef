"""The synthetic generator: deterministic truth, files that open, defects with known findings."""

from __future__ import annotations

import json
import random
import zipfile
from datetime import datetime
from pathlib import Path

import docx
import openpyxl
import pdfplumber
import pypdfium2
import pytest
from contract import CHECK_IDS

from itaflow.models import SubmissionRecord
from itaflow.synth.defects import DEFECTS, plant
from itaflow.synth.province import _reproduce, province_inbox
from itaflow.synth.records import make_record, province_rows, registry
from itaflow.synth.render import ENCODINGS, LAYOUTS, render, suffix
from itaflow.synth.render import producers as prod

TAPRAYA = next(r for r in registry() if r.lao_code == "6270302")


def record(seed: int, round_: str = "FY", row: dict | None = None) -> SubmissionRecord:
    return make_record(row or TAPRAYA, 2568, round_, random.Random(seed))


def flat(text: str) -> str:
    return "".join(text.split())


def test_records_are_deterministic_for_a_seed():
    a, b = record(7), record(7)
    assert a.to_json() == b.to_json()
    assert a.evidence == b.evidence
    assert record(8).to_json() != a.to_json()


def test_record_is_a_plausible_report_of_a_real_lao():
    rng = random.Random(1)
    for _ in range(40):
        row = rng.choice(registry())
        fy, rnd = rng.choice([2566, 2567, 2568]), rng.choice(["H1", "FY"])
        rec = make_record(row, fy, rnd, rng)
        assert rec.agency.lao_code == row.lao_code and row.name_th in rec.agency.name
        assert 5 <= len(rec.measures) <= 20
        first, last = (2024 - (2568 - fy), 10, 1), (2025 - (2568 - fy), 3 if rnd == "H1" else 9)
        for m in rec.measures:
            assert m.measure and m.steps and m.responsible and m.result and m.outcome
            assert m.status in ("done", "in_progress", "not_started")
            assert (m.period_start.year, m.period_start.month, m.period_start.day) >= first
            assert (m.period_end.year, m.period_end.month) <= last
        # no two measures share a result or outcome: that would be a real duplicate_text
        assert len({m.result for m in rec.measures}) == len(rec.measures)
        assert len({m.outcome for m in rec.measures}) == len(rec.measures)


@pytest.mark.parametrize("encoding", ENCODINGS["txt"])
def test_text_encodings_decode_back(tmp_path: Path, encoding: str):
    rec = record(3)
    path = render(rec, "txt", "tsv_repeat", tmp_path / "r.txt", encoding)
    text = path.read_bytes().decode(encoding)
    assert rec.agency.name in text
    assert flat(rec.measures[-1].outcome.replace("\n", "")) in flat(text)


def test_txt_layouts_look_like_the_seeds(tmp_path: Path):
    rec = record(4)
    tsv = render(rec, "txt", "tsv_repeat", tmp_path / "a.txt").read_text()
    header = next(ln for ln in tsv.splitlines() if "\t" in ln)
    assert tsv.splitlines().count(header) == len(rec.measures)  # a header before every measure
    p = render(rec, "txt", "tsv_p", tmp_path / "b.txt").read_text()
    assert "<p>" in p
    md = render(rec, "txt", "md_table", tmp_path / "c.md").read_text()
    assert md.count("\n|") >= len(rec.measures) + 2


@pytest.mark.parametrize("fmt,layout", [(f, lay) for f, lays in LAYOUTS.items() for lay in lays])
def test_every_format_renders_a_file_that_opens(tmp_path: Path, fmt: str, layout: str):
    rec = record(11)
    path = render(rec, fmt, layout, tmp_path / f"r{suffix(fmt, layout)}")
    name = rec.agency.name
    if fmt == "docx":
        d = docx.Document(str(path))
        assert d.tables and sum(len(t.rows) for t in d.tables) > len(rec.measures)
        body = "\n".join(p.text for p in d.paragraphs) + "".join(
            c.text for t in d.tables for r in t.rows for c in r.cells
        )
        assert name in body
    elif fmt == "xlsx":
        ws = openpyxl.load_workbook(path).active
        assert ws.merged_cells.ranges  # merged title rows
        first_data = [c.value for c in ws[1]]
        assert "มาตรการ" not in str(first_data)  # the header is not on row 1
        assert any(name in str(c.value) for row in ws.iter_rows() for c in row if c.value)
    elif fmt == "pdf":
        with pdfplumber.open(path) as pdf:
            assert pdf.pages[0].chars  # a text layer, not an image
            assert pdf.pages[0].rects or pdf.pages[0].lines  # ruled cells
        text = "".join(
            pypdfium2.PdfDocument(path)[i].get_textpage().get_text_range() for i in range(1)
        )
        assert flat(name) in flat(text)
    else:
        assert name in path.read_text(encoding="utf-8")


def test_pdf_text_layer_is_not_duplicated_by_thai_clusters(tmp_path: Path):
    rec = record(5)
    rec.measures[0].steps = "ขั้นตอน คำสั่ง ที่นั้น กั้น"
    path = render(rec, "pdf", "pdf_table", tmp_path / "r.pdf")
    text = pypdfium2.PdfDocument(path)[0].get_textpage().get_text_range()
    assert "ขั้ขั้" not in text and "สั่สั่" not in text and "ขั้นตอน" in text


def test_rendered_bytes_are_deterministic(tmp_path: Path):
    for fmt, layout in (("txt", "tsv_p"), ("html", "html_table"), ("pdf", "pdf_table")):
        a = render(record(9), fmt, layout, tmp_path / f"a{suffix(fmt, layout)}").read_bytes()
        b = render(record(9), fmt, layout, tmp_path / f"b{suffix(fmt, layout)}").read_bytes()
        assert a == b, fmt


@pytest.mark.parametrize("name", sorted(DEFECTS))
def test_each_defect_plants_known_findings(tmp_path: Path, name: str):
    spec = DEFECTS[name]
    clean = record(21, spec.round or "FY")
    before = json.dumps(clean.to_json(), ensure_ascii=False)
    bad, truth = plant(clean, name, random.Random(2))
    assert json.dumps(clean.to_json(), ensure_ascii=False) == before  # the original is untouched
    assert truth.expected and all(c in CHECK_IDS for e in truth.expected for c in e.checks)
    assert set(truth.allowed) <= CHECK_IDS
    assert bad.to_json() != clean.to_json() or bad.evidence != clean.evidence
    for e in truth.expected:
        if e.measure_seq is not None:
            assert 1 <= e.measure_seq <= len(clean.measures)
    layout = next(lay for lay in LAYOUTS["txt"] if lay not in spec.layouts_excluded)
    path = render(bad, "txt", layout, tmp_path / "r.txt")
    if name == "unreadable":
        assert path.read_bytes() != render(clean, "txt", layout, tmp_path / "c.txt").read_bytes()
    elif name == "foreign_agency":
        other = bad.measures[truth.expected[0].measure_seq - 1].result.split("\n")[-1]
        assert flat(other) in flat(path.read_text())


def test_garbled_and_foreign_text_cannot_go_to_cp874(tmp_path: Path):
    bad, _ = plant(record(2), "foreign_script", random.Random(1))
    with pytest.raises(UnicodeEncodeError):
        render(bad, "txt", "tsv_p", tmp_path / "r.txt", "cp874")


def test_province_inbox_has_missing_late_defective_resubmitted_and_duplicate(tmp_path: Path):
    province = "ภูเก็ต"  # the smallest: 19 LAOs
    m = province_inbox(
        province, 2568, "H1", tmp_path, random.Random(4), share_missing=0.1, share_defective=0.3
    )
    codes = {r.lao_code for r in province_rows(province)}
    assert m["expected"] == len(codes) and set(m["missing"]) <= codes and m["missing"]
    sent = {f["lao_code"] for f in m["files"]}
    assert sent | set(m["missing"]) == codes and not sent & set(m["missing"])
    kinds = [f["kind"] for f in m["files"]]
    assert kinds.count("resubmission") == 1 and kinds.count("duplicate") == 1
    dup = next(f for f in m["files"] if f["kind"] == "duplicate")
    orig = next(
        f for f in m["files"] if f["kind"] == "original" and f["lao_code"] == dup["lao_code"]
    )
    assert (tmp_path / dup["file"]).read_bytes() == (tmp_path / orig["file"]).read_bytes()
    assert any(f["defect"] for f in m["files"])
    for f in m["files"]:
        path = tmp_path / f["file"]
        assert path.exists()
        received = f["received_at"]
        assert abs(path.stat().st_mtime - datetime.fromisoformat(received).timestamp()) < 1
        assert f["late"] == (received[:10] > m["due"])
    assert len(list(tmp_path.iterdir())) == len(m["files"])


def _one_per_producer(tmp_path: Path) -> list[prod.Job]:
    return [
        prod.Job(
            p,
            prod.LAYOUTS[p][k % len(prod.LAYOUTS[p])],
            tmp_path / f"{p}{prod.SUFFIX[p]}",
            record(31 + k),
        )
        for k, p in enumerate(prod.LAYOUTS)
    ]


def test_producers_not_installed_are_skipped_with_a_message(tmp_path: Path, monkeypatch):
    empty = tmp_path / "no-programs"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    assert prod.missing("typst") is None  # a Python package, always there
    for p in ("libreoffice", "chromium", "libreoffice_docx", "cairo_reprint"):
        message = prod.missing(p)
        assert message and p in message and "install" in message
    jobs = _one_per_producer(tmp_path)
    skipped = prod.produce(jobs)
    assert len(skipped) == 4 and all("skipped" in m for m in skipped)
    assert [j.producer for j in jobs if j.path.exists()] == ["typst"]
    # the inbox keeps the Typst PDF of a file whose producer is not installed
    pdf_file = jobs[0].path
    entry = {"file": pdf_file.name, "format": "pdf", "defect": None, "kind": "original"}
    skipped = _reproduce([entry], {pdf_file.name: jobs[0].record}, tmp_path, ("chromium",))
    assert skipped and "chromium" in skipped[0] and pdf_file.exists() and "producer" not in entry


def test_unknown_producer_or_layout_is_refused(tmp_path: Path):
    assert "unknown producer" in prod.missing("wps")
    with pytest.raises(ValueError, match="no layout"):
        prod.produce([prod.Job("chromium", "lo_long", tmp_path / "x.pdf", record(1))])


@pytest.mark.skipif(
    any(prod.missing(p) for p in prod.LAYOUTS),
    reason="; ".join(filter(None, (prod.missing(p) for p in prod.LAYOUTS))),
)
def test_every_producer_makes_a_file_of_the_record(tmp_path: Path):
    jobs = _one_per_producer(tmp_path)
    assert prod.produce(jobs) == []
    makers = {
        "typst": "Typst",
        "libreoffice": "LibreOffice",
        "chromium": "Skia",
        "cairo_reprint": "cairo",
    }
    for job in jobs:
        name = flat(job.record.agency.name)
        if job.producer == "libreoffice_docx":
            with zipfile.ZipFile(job.path) as z:
                assert "LibreOffice" in z.read("docProps/app.xml").decode()
                assert b"w:tblHeader" in z.read("word/document.xml")  # header repeats on pages
            d = docx.Document(str(job.path))
            assert d.tables and name in flat("".join(p.text for p in d.paragraphs))
            continue
        pdf = pypdfium2.PdfDocument(job.path)
        meta = pdf.get_metadata_dict()
        assert makers[job.producer] in meta.get("Producer", "") + meta.get("Creator", "")
        text = "".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))
        if job.producer == "cairo_reprint":  # reprinting writes ำ as ำา in the text layer
            assert "ำา" in text
            text = text.replace("ำา", "ำ")
        assert name in flat(text) and len(pdf) >= 1
        with pdfplumber.open(job.path) as doc:
            assert doc.pages[0].chars and (doc.pages[0].rects or doc.pages[0].lines)


@pytest.mark.skipif(
    bool(prod.missing("libreoffice_docx")), reason=prod.missing("libreoffice_docx") or ""
)
def test_inbox_file_remade_by_a_producer_keeps_its_entry_and_date(tmp_path: Path):
    rec = record(41)
    path = render(rec, "pdf", "pdf_table", tmp_path / "r.pdf")
    entry = {
        "file": path.name,
        "format": "pdf",
        "layout": "pdf_table",
        "defect": None,
        "kind": "original",
        "received_at": "2025-04-02T09:30:00",
    }
    assert _reproduce([entry], {path.name: rec}, tmp_path, ("libreoffice_docx",)) == []
    made = tmp_path / entry["file"]
    assert not path.exists() and made.suffix == ".docx" and entry["format"] == "docx"
    assert entry["producer"] == "libreoffice_docx" and entry["layout"].startswith(
        "libreoffice_docx:"
    )
    assert made.stat().st_mtime == datetime.fromisoformat(entry["received_at"]).timestamp()
    assert flat(rec.agency.name) in flat(
        "".join(p.text for p in docx.Document(str(made)).paragraphs)
    )
