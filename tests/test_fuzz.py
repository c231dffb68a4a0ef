"""Issue 6 §4: whatever an LAO sends, reading, extraction and the checks end in a verdict.

Hypothesis feeds ``read_bytes`` + ``extract`` thousands of inputs (random bytes;
Thai, Khmer, Lao, CJK and control text in several encodings; sample reports with
cells replaced by hostile text; Word and Excel reports built with such cells;
truncated and bit-flipped sample PDFs, docx and xlsx; zips with ``../`` member
names), and every input must give a well-formed record: readable with whatever
extraction found, or ``unreadable_file`` with a Thai/English reason. Each test then
checks its whole harvest in one Great Expectations validation (importing GE costs
seconds: once per test, never per example) and every record must come out with a
verdict and survive the JSON files the DAG tasks pass on.

The committed corpus (``tests/fixtures/fuzz``, written by ``tests/fuzz_corpus.py``)
and the big inputs made here on the fly (a 60 MB text, zip and PDF bombs) go the
same way through ``read_path``. Runs are reproducible (``derandomize``, no example
database). ``ITAFLOW_FUZZ_SCALE`` multiplies the example counts (default 1: about
3,200 examples in two minutes on a 2-core machine).
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import time
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

import fuzz_corpus
import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from itaflow.checks import judge_records
from itaflow.extract import extract
from itaflow.models import Document, SubmissionRecord
from itaflow.process import FileTimeout, read_and_extract, time_limit
from itaflow.read import read_bytes, read_path
from itaflow.serde import read_records, record_from_dict, record_to_dict, write_records
from itaflow.settings import Limits, Settings

REPO = Path(__file__).resolve().parents[1]
FIXTURES = REPO / "tests" / "fixtures"
CORPUS = FIXTURES / "fuzz"
LIMITS = Limits(seconds_per_file=30)
VERDICTS = {"accepted", "accepted_with_warnings", "rejected"}
SCALE = float(os.environ.get("ITAFLOW_FUZZ_SCALE", "1"))
SLOWEST_ALLOWED = 30.0  # seconds for one input; a hang shows up here, not as a stuck CI job


def examples(n: int) -> hsettings:
    return hsettings(
        max_examples=max(1, int(n * SCALE)),
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[
            HealthCheck.too_slow,
            HealthCheck.data_too_large,
            HealthCheck.large_base_example,
            HealthCheck.filter_too_much,
        ],
    )


@pytest.fixture(scope="module")
def check_settings(tmp_path_factory) -> Settings:
    home = tmp_path_factory.mktemp("fuzz")
    return Settings(
        home=home,
        warehouse_url=f"sqlite:///{home / 'unused.db'}",
        reports_out=home / "reports",
        expectations_dir=REPO / "expectations",
        limits=LIMITS,
    )


# --- the properties every input must have --------------------------------------------


def well_formed(record: SubmissionRecord) -> None:
    """A record the rest of the pipeline can carry: unreadable with a reason, or read."""
    assert isinstance(record, SubmissionRecord)
    unreadable = [f for f in record.findings if f.check == "unreadable_file"]
    assert record.readable == (not unreadable), record.findings
    for f in unreadable:
        assert f.severity == "error" and " / " in f.message  # Thai reason, then English
    if not record.readable:
        assert record.measures == [] and record.format in (
            "unknown",
            "txt",
            "md",
            "html",
            "docx",
            "xlsx",
            "xls",
            "pdf",
        )
    for f in record.findings:
        assert isinstance(f.check, str) and f.severity in ("error", "warning")
        assert isinstance(f.message, str) and f.message
    # what `itaflow inspect --json` prints and what the DAG tasks write must encode
    json.dumps(record.to_json(), ensure_ascii=False).encode("utf-8")
    again = record_from_dict(json.loads(json.dumps(record_to_dict(record), default=str)))
    assert again.to_json() == record.to_json()


def read_path_record(path: Path) -> SubmissionRecord:
    data = path.read_bytes()
    return extract(
        read_path(path, LIMITS),
        file=path.name,
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
    )


@dataclass
class Harvest:
    """The records one test made, checked together at the end (one GE validation)."""

    name: str
    records: list[SubmissionRecord] = field(default_factory=list)
    examples: int = 0
    slowest: float = 0.0
    unreadable: int = 0

    def read(self, data: bytes, name: str) -> SubmissionRecord:
        started = time.monotonic()
        doc = read_bytes(data, name, LIMITS)
        assert isinstance(doc, Document)
        if not doc.readable:
            assert not doc.blocks and doc.problems[0].check == "unreadable_file"
        record = extract(doc, file=name, sha256=hashlib.sha256(data).hexdigest(), size=len(data))
        return self.add(record, time.monotonic() - started)

    def add(self, record: SubmissionRecord, seconds: float) -> SubmissionRecord:
        well_formed(record)
        self.examples += 1
        self.unreadable += not record.readable
        self.slowest = max(self.slowest, seconds)
        assert seconds < SLOWEST_ALLOWED, f"{record.file}: {seconds:.1f} s"
        self.records.append(record)
        return record

    def judge(self, settings: Settings, tmp: Path) -> list[SubmissionRecord]:
        """One validation for the whole harvest, batched with the sample reports as a
        real batch would be; every record gets a verdict."""
        assert self.records
        good = [read_path_record(p) for p in SEED_PATHS]
        run = judge_records([*self.records, *good], settings)
        assert not run.problems, run.problems  # no expectation choked on the data
        assert len(run.records) == len(self.records) + len(good)
        for before, after in zip(self.records, run.records, strict=False):
            assert after.file == before.file and after.sha256 == before.sha256
            assert after.verdict in VERDICTS
            kept = {(f.check, f.message) for f in after.findings}
            assert {(f.check, f.message) for f in before.findings} <= kept
            if not after.readable:
                assert after.verdict == "rejected"
            well_formed(after)
        assert [r.verdict for r in run.records[len(self.records) :]] == [
            judge_records(good, settings).records[i].verdict for i in range(len(good))
        ]  # hostile neighbours do not change how the good files are judged
        path = write_records(run.records, tmp / f"{self.name}.json")
        assert [r.to_json() for r in read_records(path)] == [r.to_json() for r in run.records]
        mine = run.records[: len(self.records)]
        print(
            f"\n{self.name}: {self.examples} inputs, {self.unreadable} unreadable, "
            f"slowest {self.slowest:.2f} s, verdicts "
            f"{ {v: sum(r.verdict == v for r in mine) for v in sorted(VERDICTS)} }"
        )
        return mine


# --- strategies ----------------------------------------------------------------------

EXTENSIONS = st.sampled_from(
    ["x.pdf", "x.docx", "x.xlsx", "x.xls", "x.txt", "x.html", "x", "รายงาน.PDF", "..\n../x.doc"]
)
MAGICS = st.sampled_from(
    [
        b"",
        b"%PDF-1.4\n",
        b"PK\x03\x04",
        b"PK\x05\x06",
        bytes.fromhex("D0CF11E0A1B11AE1"),
        b"\xef\xbb\xbf",
        b"\xff\xfe",
        b"\xfe\xff",
        b"<html>",
        b"<table><tr><td>",
        b"{\\rtf1",
    ]
)
SCRIPTS = st.one_of(
    st.characters(min_codepoint=0x0E01, max_codepoint=0x0E5B),  # Thai
    st.characters(min_codepoint=0x1780, max_codepoint=0x17FF),  # Khmer
    st.characters(min_codepoint=0x0E81, max_codepoint=0x0EDF),  # Lao
    st.characters(min_codepoint=0x4E00, max_codepoint=0x4FFF),  # CJK
    st.characters(min_codepoint=0x0000, max_codepoint=0x001F),  # C0 controls
    st.characters(min_codepoint=0x007F, max_codepoint=0x009F),  # DEL, C1 controls
    st.characters(min_codepoint=0x200B, max_codepoint=0x202E),  # zero-width, bidi overrides
    st.characters(min_codepoint=0xF000, max_codepoint=0xF0FF),  # private use (tick boxes)
    st.sampled_from(list("0123456789๐๑๒๓๔๕๖๗๘๙ .-/:\ufffd\ufeff")),
)
TOKENS = st.sampled_from(
    [
        "\t",
        "\n",
        "\r\n",
        "|",
        "|---|---|",
        "<p>",
        "</p>",
        "<br>",
        "<table>",
        "<tr>",
        "<td>",
        "&amp;",
        "&#0;",
        "**",
        "# ",
        "ต.ค. 66",
        "1 ต.ค. 2566 - 31 มี.ค. 2567",
        "พ.ศ. ๒๕๖๗",
        "รอบ 6 เดือน",
        "ปีงบประมาณ 2568",
        "อบต.",
        "องค์การบริหารส่วนตำบล",
        "เทศบาลตำบลหนองหัวแรต",
        "อำเภอ",
        "จังหวัดนครราชสีมา",
        "มาตรการ",
        "ขั้นตอน",
        "ผู้รับผิดชอบ",
        "ระยะเวลา",
        "ผลการดำเนินการ",
        "ผลลัพธ์",
        "ลงชื่อ......",
        "เมื่อวันที่ เดือน",
        "IIT",
        "O17",
        "8.4",
        *fuzz_corpus.HOSTILE_CELLS,
    ]
)
TEXT = st.lists(st.one_of(TOKENS, st.text(SCRIPTS, max_size=40)), max_size=80).map("".join)
# XML 1.0 cannot hold C0 controls or surrogates: Word and Excel files never carry them.
XML_TEXT = TEXT.map(
    lambda s: "".join(
        ch
        for ch in s
        if ch in "\t\n"
        or (ord(ch) >= 32 and not 0xD800 <= ord(ch) <= 0xDFFF and ch not in "\ufffe\uffff")
    )
)
ENCODINGS = st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "cp874"])

SEED_PATHS = sorted((FIXTURES / "seeds").glob("*.txt"))
SEEDS = [p.read_text(encoding="utf-8") for p in SEED_PATHS]
# real_01 (330 kB, 4 s a read) is in the corpus; the fast PDFs are mutated here.
PDFS = [p.read_bytes() for p in sorted((FIXTURES / "real").glob("real_0[2-5]_*.pdf"))]
OFFICE = [
    fuzz_corpus.report_docx(fuzz_corpus.HOSTILE_CELLS),
    fuzz_corpus.report_xlsx(fuzz_corpus.HOSTILE_CELLS),
]
BINARY_SAMPLES = [*PDFS, *OFFICE, *(s.encode("utf-8") for s in SEEDS)]


@st.composite
def edited_report(draw) -> tuple[bytes, str]:
    """A sample report with lines dropped, doubled or swapped and cells replaced."""
    lines = draw(st.sampled_from(SEEDS)).split("\n")
    for _ in range(draw(st.integers(1, 12))):
        op = draw(st.sampled_from(["cell", "cell", "cell", "drop", "double", "swap", "insert"]))
        i = draw(st.integers(0, len(lines) - 1))
        if op == "cell":
            cells = lines[i].split("\t")
            cells[draw(st.integers(0, len(cells) - 1))] = draw(TEXT)
            lines[i] = "\t".join(cells)
        elif op == "drop":
            del lines[i]
        elif op == "double":
            lines.insert(i, lines[i])
        elif op == "swap":
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        else:
            lines.insert(i, draw(TEXT))
        if not lines:
            lines = [""]
    return "\n".join(lines).encode(draw(ENCODINGS), errors="replace"), "edited.txt"


@st.composite
def mutated_sample(draw) -> bytes:
    """A sample file truncated, bit-flipped, with bytes overwritten or a chunk removed."""
    data = bytearray(draw(st.sampled_from(BINARY_SAMPLES)))
    for _ in range(draw(st.integers(0, 20))):
        data[draw(st.integers(0, len(data) - 1))] ^= 1 << draw(st.integers(0, 7))
    if draw(st.booleans()):
        data[draw(st.integers(0, len(data) - 1)) :] = b""
    if draw(st.booleans()) and len(data) > 10:
        start = draw(st.integers(0, len(data) - 2))
        del data[start : start + draw(st.integers(1, 4096))]
    return bytes(data)


HOSTILE_NAMES = st.sampled_from(
    [
        "../../etc/passwd",
        "/etc/cron.d/x",
        "..\\..\\boot.ini",
        "word/../../../x.xml",
        "C:/x",
        "a/" * 60 + "deep.xml",
        "\u202egpj.exe",
        "ชื่อไทย.xml",
        "x\x00y.xml",
        ".",
        "",
        "word/document.xml",
        "xl/workbook.xml",
        "[Content_Types].xml",
        "xl/worksheets/sheet1.xml",
    ]
)


@st.composite
def hostile_zip(draw) -> bytes:
    """A zip with traversal member names, alone or added to a real docx/xlsx."""
    members = draw(
        st.dictionaries(
            HOSTILE_NAMES, st.one_of(st.binary(max_size=300), XML_TEXT.map(str.encode)), max_size=8
        )
    )
    base = draw(st.sampled_from([None, *OFFICE]))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        if base is not None:
            src = zipfile.ZipFile(io.BytesIO(base))
            for name in src.namelist():
                if name not in members:
                    zf.writestr(fuzz_corpus.member(name), src.read(name))
        for name, body in members.items():
            zf.writestr(fuzz_corpus.member(name), body)
    return buf.getvalue()


# --- hypothesis: thousands of inputs ---------------------------------------------------


def test_random_bytes(check_settings, tmp_path):
    harvest = Harvest("random bytes")

    @examples(1500)
    @given(MAGICS, st.binary(max_size=4096), EXTENSIONS)
    def one(magic, data, name):
        harvest.read(magic + data, name)

    one()
    harvest.judge(check_settings, tmp_path)


def test_random_text_in_any_script_and_encoding(check_settings, tmp_path):
    harvest = Harvest("random text")

    @examples(1000)
    @given(TEXT, ENCODINGS, EXTENSIONS)
    def one(text, encoding, name):
        harvest.read(text.encode(encoding, errors="replace"), name)

    one()
    harvest.judge(check_settings, tmp_path)


def test_sample_reports_with_hostile_edits(check_settings, tmp_path):
    harvest = Harvest("edited reports")

    @examples(200)
    @given(edited_report())
    def one(report):
        harvest.read(*report)

    one()
    records = harvest.judge(check_settings, tmp_path)
    assert sum(bool(r.measures) for r in records) > len(records) // 2  # the edits reach extraction


def test_word_and_excel_reports_with_hostile_cells(check_settings, tmp_path):
    harvest = Harvest("office reports")

    @examples(150)
    @given(st.lists(XML_TEXT, min_size=1, max_size=6), st.booleans())
    def one(cells, word):
        if word:
            harvest.read(fuzz_corpus.report_docx(cells), "report.docx")
        else:
            harvest.read(fuzz_corpus.report_xlsx(cells, formulas=True), "report.xlsx")

    one()
    records = harvest.judge(check_settings, tmp_path)
    assert all(r.readable for r in records)
    for r in records:  # a live formula never shows up as its text
        assert "formula.example" not in r.text and "formula'!A0" not in r.text


def test_truncated_and_bit_flipped_samples(check_settings, tmp_path):
    harvest = Harvest("mutated samples")

    @examples(120)
    @given(mutated_sample(), EXTENSIONS)
    def one(data, name):
        harvest.read(data, name)

    one()
    harvest.judge(check_settings, tmp_path)


def test_zips_with_traversal_member_names(check_settings, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # anything unpacked "relative" would land here
    harvest = Harvest("hostile zips")

    @examples(200)
    @given(hostile_zip(), st.sampled_from(["report.docx", "report.xlsx", "report.zip"]))
    def one(data, name):
        harvest.read(data, name)

    one()
    assert sorted(p.name for p in tmp_path.iterdir()) == []  # nothing was unpacked anywhere
    harvest.judge(check_settings, tmp_path)


def test_a_batch_of_only_unreadable_files_is_judged(check_settings):
    records = [Harvest("x").read(b"", "empty.txt"), Harvest("x").read(bytes(100), "nul.pdf")]
    run = judge_records(records, check_settings)
    assert [r.verdict for r in run.records] == ["rejected", "rejected"]


# --- the committed corpus ------------------------------------------------------------


def test_corpus_is_what_its_script_describes():
    on_disk = json.loads((CORPUS / "MANIFEST.json").read_text(encoding="utf-8"))
    built = fuzz_corpus.manifest(fuzz_corpus.build())
    strip = lambda items: [{k: v for k, v in i.items() if k != "bytes"} for i in items]  # noqa: E731
    assert strip(on_disk) == strip(built), "run: uv run python tests/fuzz_corpus.py"
    assert sorted(p.name for p in CORPUS.iterdir()) == sorted(
        ["MANIFEST.json", *(i["file"] for i in on_disk)]
    )


def test_every_corpus_file_ends_with_a_verdict(check_settings, tmp_path):
    harvest = Harvest("corpus")
    manifest = json.loads((CORPUS / "MANIFEST.json").read_text(encoding="utf-8"))
    for item in manifest:
        path = CORPUS / item["file"]
        started = time.monotonic()
        doc = read_path(path, LIMITS)
        record = extract(
            doc, file=item["file"], sha256=hashlib.sha256(path.read_bytes()).hexdigest()
        )
        harvest.add(record, time.monotonic() - started)
        if item["expect"] != "either":
            assert record.readable == (item["expect"] == "readable"), (item, record.findings)
        if item["reason"]:
            assert item["reason"] in record.findings[0].message, (item, record.findings)
    records = {r.file: r for r in harvest.judge(check_settings, tmp_path)}
    passwd = Path("/etc/passwd").read_text(errors="replace").splitlines()[0]
    for r in records.values():  # no external entity, no traversal member was ever read
        assert passwd not in r.text and "itaflow-traversal" not in r.text
    assert not Path("/tmp/itaflow-absolute-member").exists()
    assert "Report on integrity" in records["encrypted_owner_only.pdf"].text
    assert len(records["hostile_cells.docx"].measures) == len(fuzz_corpus.HOSTILE_CELLS)
    page = records["hostile_page.html"]
    assert "fetch(" not in page.text and "evil.example/x.css" not in page.text


# --- big and expanding inputs, made on the fly ----------------------------------------


def _sixty_megabytes(path: Path, line: str) -> Path:
    body = line.encode("utf-8")
    with path.open("wb") as fh:
        fh.write("รายงานผลการดำเนินการตามมาตรการส่งเสริมคุณธรรม\n".encode())
        fh.write(body * (60 * 1024 * 1024 // len(body) + 1))
    return path


def test_sixty_megabyte_text_is_a_finding(check_settings, tmp_path):
    harvest = Harvest("60 MB texts")
    table = _sixty_megabytes(
        tmp_path / "big.txt", "1\tมาตรการ\tประชุม\tสำนักปลัด\tต.ค. 66\tดำเนินการแล้ว\n"
    )
    assert table.stat().st_size > 60 * 1024 * 1024
    started = time.monotonic()
    refused = read_and_extract(table, check_settings, display="big.txt")  # default 50 MB limit
    harvest.add(refused, time.monotonic() - started)
    assert not refused.readable and "file too large" in refused.findings[0].message
    # with the size limit raised, the cell limit stops it: a finding, not a memory blow-up
    raised = check_settings.with_(limits=Limits(max_file_bytes=100 << 20, seconds_per_file=20))
    started = time.monotonic()
    harvest.add(
        read_and_extract(table, raised, display="big-table.txt"), time.monotonic() - started
    )
    assert "too many table cells" in harvest.records[-1].findings[0].message
    harvest.judge(check_settings, tmp_path)


# The per-file SIGALRM can land inside a garbage-collector callback (hypothesis installs
# one), where Python prints the exception and drops it: the readers' own clock still stops
# the file, which is what this test proves.
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_sixty_megabyte_prose_stops_at_the_time_limit(check_settings, tmp_path):
    prose = _sixty_megabytes(
        tmp_path / "prose.txt", "มาตรการส่งเสริมคุณธรรมและความโปร่งใส ประชุมชี้แจง ดำเนินการแล้ว\n"
    )
    slow = check_settings.with_(limits=Limits(max_file_bytes=100 << 20, seconds_per_file=2))
    started = time.monotonic()
    record = read_and_extract(prose, slow, display="prose.txt")
    assert time.monotonic() - started < 15
    assert not record.readable and record.findings[0].check == "unreadable_file"


def test_the_per_file_alarm_is_not_reported_as_damage():
    text = "มาตรการส่งเสริมคุณธรรม ประชุมชี้แจง ดำเนินการแล้ว\n".encode() * 100_000
    with pytest.raises(FileTimeout), time_limit(0.05):
        read_bytes(text, "slow.txt", Limits(seconds_per_file=1000))


def test_zip_bomb_renamed_docx(check_settings, tmp_path):
    bomb = tmp_path / "report.docx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        with zf.open("word/document.xml", "w", force_zip64=True) as fh:
            zeros = bytes(1 << 20)
            for _ in range(300):  # 300 MB of zeros, about 300 kB on disk
                fh.write(zeros)
    assert bomb.stat().st_size < 1_000_000
    harvest = Harvest("zip bomb")
    started = time.monotonic()
    harvest.add(
        read_and_extract(bomb, check_settings, display="report.docx"), time.monotonic() - started
    )
    assert "zip bomb" in harvest.records[0].findings[0].message
    harvest.judge(check_settings, tmp_path)


def bomb_pdf(megabytes: int, dictionary_padding: int = 0) -> bytes:
    """A one-page PDF whose content stream inflates to ``megabytes`` of spaces."""
    content = b"BT /F1 12 Tf 72 760 Td (Report) Tj ET\n" + b" " * (megabytes << 20)
    body = zlib.compress(content, 9)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842]"
        b" /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Filter /FlateDecode /Length %d" % len(body)
        + b" " * dictionary_padding
        + b" >>\nstream\n"
        + body
        + b"\nendstream",
    ]
    return fuzz_corpus.assemble_pdf(objects)


SMALL_INFLATE = Limits(max_unzipped_bytes=20 << 20, seconds_per_file=30)


def test_pdf_stream_bomb_is_refused():
    doc = read_bytes(bomb_pdf(30), "report.pdf", SMALL_INFLATE)
    assert not doc.readable and "zip bomb" in doc.problems[0].message


def test_pdf_stream_bomb_with_a_padded_dictionary_is_refused():
    doc = read_bytes(bomb_pdf(30, dictionary_padding=600), "report.pdf", SMALL_INFLATE)
    assert not doc.readable and "zip bomb" in doc.problems[0].message
