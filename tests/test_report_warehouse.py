"""The provincial report from a real warehouse: the numbers it prints are the warehouse's,
the same content gives the same bytes, the PDF reads back in Thai with its font
embedded, the annex holds every measure, and the mail carries exactly the files on disk.

The warehouse is SQLite loaded with synthetic reports of ภูเก็ต (19 LAOs) for three
rounds (itaflow.compile.sample.load_sample_rounds); the read-only check also runs on
PostgreSQL.
"""

from __future__ import annotations

import email
import email.policy
import re
import shutil
import subprocess
import time
from collections import Counter
from datetime import datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import create_engine, text
from test_mail import Collector, smtp_server

from itaflow import pipeline
from itaflow.compile import report_view
from itaflow.compile.sample import load_sample_rounds
from itaflow.settings import load
from itaflow.warehouse import report_data, upgrade

PROVINCE = "ภูเก็ต"
ROUNDS = [(2568, "H1"), (2568, "FY"), (2569, "H1")]
POPPLER = all(shutil.which(b) for b in ("pdftotext", "pdffonts", "pdftoppm", "pdfinfo"))
needs_poppler = pytest.mark.skipif(
    not POPPLER, reason="POPPLER MISSING: apt-get install poppler-utils"
)


def run(*args: str) -> str:
    return subprocess.run(args, check=True, capture_output=True, text=True, timeout=120).stdout


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    root = tmp_path_factory.mktemp("report-world")
    url = f"sqlite:///{root / 'warehouse.db'}"
    upgrade(url)
    loaded = load_sample_rounds(url, PROVINCE, ROUNDS)
    settings = load().with_(
        home=root,
        warehouse_url=url,
        reports_out=root / "reports",
        province=PROVINCE,
        officer_name="นายสมชาย ใจดี",
        officer_position="ท้องถิ่นจังหวัดภูเก็ต",
    )
    compiled = pipeline.compile_round(settings, 2569, "H1", run_id="run-1")
    return settings, loaded, compiled


def sql(url: str, statement: str, **params) -> list:
    with create_engine(url).connect() as conn:
        return list(conn.execute(text(statement), params))


def table_counts(url: str) -> dict[str, int]:
    tables = ("rounds", "submissions", "measures", "findings", "report_runs", "receipts")
    return {t: sql(url, f"SELECT COUNT(*) FROM {t}")[0][0] for t in tables}


# --- a report is a read ------------------------------------------------------------


def test_report_data_writes_nothing(warehouse_url):
    upgrade(warehouse_url)
    load_sample_rounds(warehouse_url, PROVINCE, [(2569, "H1")], make_record_pool=4)
    before = table_counts(warehouse_url)
    data = report_data(warehouse_url, 2569, "H1", PROVINCE, load())
    report_data(warehouse_url, 2570, "FY", PROVINCE, load())  # a round nobody reported
    assert table_counts(warehouse_url) == before
    assert before["rounds"] == 0  # the round's defaults were used, not stored
    newest = sql(warehouse_url, "SELECT MAX(received_at) FROM submissions")[0][0]
    newest = newest if isinstance(newest, datetime) else datetime.fromisoformat(newest)
    # "compiled" is the time of the data (the newest file), not the clock
    assert data.generated_at.startswith(newest.isoformat(timespec="seconds"))


# --- the numbers are the warehouse's -------------------------------------------------

CURRENT = """
SELECT a.lao_code, a.type_th, c.id, c.status, c.first_received_at
FROM agencies a
LEFT JOIN current_submissions c
  ON c.lao_code = a.lao_code AND c.fiscal_year = :fy AND c.round = :rnd
WHERE a.active AND a.province_th = :province
"""


def test_counts_types_and_measures_match_the_warehouse(world):
    settings, loaded, _ = world
    url = settings.warehouse_url
    data = report_data(url, 2569, "H1", PROVINCE, settings)
    v = report_view(data)
    rows = sql(url, CURRENT, fy=2569, rnd="H1", province=PROVINCE)
    received = [r for r in rows if r.id is not None]
    due = datetime(2026, 4, 30, 23, 59, 59)
    on_time = sum(1 for r in received if datetime.fromisoformat(str(r.first_received_at)) <= due)
    c = v["counts"]
    assert c["expected"] == len(rows) == 19
    assert c["received"] == len(received) == loaded[(2569, "H1")]["sent"]
    assert c["on_time"] == on_time and c["late"] == len(received) - on_time
    assert c["must_resubmit"] == sum(1 for r in received if r.status in ("rejected", "quarantined"))
    by_type = Counter(r.type_th for r in rows)
    types = {t["type"]: t for t in v["types"]}
    assert list(types)[:5] == ["อบจ.", "เทศบาลนคร", "เทศบาลเมือง", "เทศบาลตำบล", "อบต."]
    for name, n in by_type.items():
        assert types[name]["expected"] == n
    assert types["รวม"]["received"] == c["received"]
    # measures: the annex holds every one of every current submission; the analysis
    # counts those of reports that passed
    all_measures = sql(
        url,
        "SELECT COUNT(*) FROM measures m JOIN current_submissions c ON c.id = m.submission_id"
        " JOIN agencies a ON a.lao_code = c.lao_code"
        " WHERE c.fiscal_year = 2569 AND c.round = 'H1' AND a.province_th = :p",
        p=PROVINCE,
    )[0][0]
    passed = sql(
        url,
        "SELECT m.status, COUNT(*) FROM measures m JOIN current_submissions c"
        " ON c.id = m.submission_id JOIN agencies a ON a.lao_code = c.lao_code"
        " WHERE c.fiscal_year = 2569 AND c.round = 'H1' AND a.province_th = :p"
        " AND c.status IN ('accepted', 'accepted_with_warnings') GROUP BY m.status",
        p=PROVINCE,
    )
    assert len(v["annex"]) == all_measures > 0
    assert v["activity"]["measures"] == sum(n for _, n in passed)
    total = next(r for r in v["category_status"] if r["category"] == "total")
    assert {k: total[k] for k, _ in passed} == dict(passed)
    assert sum(r["total"] for r in v["category_status"][:-1]) == total["total"]
    # the unknown share is shown as it is, never hidden
    unknown = next(r for r in v["category_status"] if r["category"] == "")
    assert v["activity"]["unknown_category"] == unknown["total"]


def test_comparison_recurring_and_trend(world):
    settings, loaded, _ = world
    url = settings.warehouse_url
    data = report_data(url, 2569, "H1", PROVINCE, settings)
    assert [(p.fiscal_year, p.round) for p in data.previous] == [(2568, "H1")]
    assert [(t["fiscal_year"], t["round"]) for t in data.trend] == ROUNDS
    v = report_view(data)
    (block,) = v["comparison"]
    assert block["label"] == "2568 รอบ 6 เดือน"
    metrics = {m["label"]: m for m in block["metrics"]}
    prev = loaded[(2568, "H1")]["sent"]
    assert metrics["อัตราการรายงาน"]["previous"] == f"{100 * prev / 19:.1f}%"
    assert block["improved"] + block["fell_back"] == len(block["movers"])
    # the troubled LAOs failed the same check in all three rounds
    troubled = {lao.lao_code for lao in data.laos if lao.state == "rejected"}
    assert len(troubled) == loaded[(2569, "H1")]["rejected"] > 0
    times = {r["lao_code"]: r["times"] for r in v["recurring"]}
    assert all(times.get(code) == 3 for code in troubled)
    assert all(r["times"] >= 2 and r["check_th"] == "ข้อมูลไม่ครบ" for r in v["recurring"])
    assert v["recurring"][0]["rounds"].startswith("2568 รอบ 6 เดือน, 2568 รอบ 12 เดือน")
    # H1 → FY within a year
    annual = report_data(url, 2568, "FY", PROVINCE, settings)
    assert [(p.fiscal_year, p.round) for p in annual.previous] == [(2568, "H1")]


# --- filed, reproducible -----------------------------------------------------------


def test_same_warehouse_gives_the_same_bytes(world):
    settings, _, compiled = world
    folder = settings.reports_out / "2569-H1"
    assert {k: str(folder / f"ita-2569-H1-{PROVINCE}.{k}") for k in ("html", "pdf", "xlsx")} == (
        compiled["files"]
    )
    first = {k: Path(p).read_bytes() for k, p in compiled["files"].items()}
    time.sleep(1.1)  # a wall-clock stamp would now differ
    again = pipeline.compile_round(settings, 2569, "H1", run_id="run-2")
    assert again["files"] == compiled["files"]
    for k, p in again["files"].items():
        assert Path(p).read_bytes() == first[k], f"{k} differs on a re-run"
    assert (folder / f"ita-2569-H1-{PROVINCE}-validation.html").is_file()


# --- PDF ---------------------------------------------------------------------------


@needs_poppler
def test_pdf_thai_exact_font_embedded_every_page_renders(world, tmp_path):
    settings, _, compiled = world
    pdf = compiled["files"]["pdf"]
    fonts = run("pdffonts", pdf).splitlines()[2:]
    assert fonts and all("Sarabun" in f and re.search(r"\byes\s+yes\s+yes\b", f) for f in fonts)
    text = run("pdftotext", pdf, "-")
    flat = re.sub(r"\s+", "", text)  # a table cell may wrap a Thai phrase anywhere
    for phrase in (
        "สำนักงานส่งเสริมการปกครองท้องถิ่นจังหวัดภูเก็ต",
        "กำหนดส่ง 30 เมษายน 2569",
        "ผลการรายงานจำแนกตามประเภท อปท.",
        "มาตรการและสถานะการดำเนินการจำแนกตามด้าน",
        "การเปิดเผยข้อมูลสาธารณะ",
        "เปรียบเทียบกับรอบก่อน",
        "ปัญหาที่พบซ้ำ",
        "นายสมชาย ใจดี",
        "ท้องถิ่นจังหวัดภูเก็ต",
        "มาตรการที่ 1: ไม่พบผลการดำเนินการ โปรดกรอกผลการดำเนินการ",
        "องค์การบริหารส่วนจังหวัดภูเก็ต",
    ):
        assert re.sub(r"\s+", "", phrase) in flat, phrase
    # Thai only, no debris, no doubled prefix, no server path, nothing broken
    for bad in (
        "result is empty",
        "outcome is empty",
        "(cid:",
        "มาตรการที่ 1: มาตรการที่ 1",
        str(settings.home),
        "/store/",
        "\ufffd",
        "กำร",
        "ถิ่ถิ่",
    ):
        assert bad not in text, bad
    pages = int(re.search(r"Pages:\s+(\d+)", run("pdfinfo", pdf)).group(1))
    assert f"หน้า {pages} จาก {pages}" in text
    from PIL import Image

    run("pdftoppm", "-png", "-r", "30", pdf, str(tmp_path / "p"))
    pngs = sorted(tmp_path.glob("p*.png"))
    assert len(pngs) == pages >= 4
    for png in pngs:
        image = Image.open(png).convert("L")
        assert abs(image.height / image.width - 297 / 210) < 0.02
        assert sum(image.histogram()[:160]) > 0.002 * image.width * image.height, png.name


# --- XLSX --------------------------------------------------------------------------


def test_xlsx_annex_has_every_measure_per_district(world):
    settings, _, compiled = world
    v = report_view(report_data(settings.warehouse_url, 2569, "H1", PROVINCE, settings))
    wb = load_workbook(compiled["files"]["xlsx"])
    province = wb["มาตรการทั้งจังหวัด"]
    header = [c.value for c in province[1]]
    assert header[:6] == ["รหัส อปท.", "หน่วยงาน", "ประเภท", "อำเภอ", "ผลการตรวจ", "วันที่ส่ง"]
    assert province.max_row - 1 == len(v["annex"])
    assert province.freeze_panes == "A2" and province.auto_filter.ref.startswith("A1:")
    districts = [ws for ws in wb if ws.title.startswith("อ.")]
    assert {ws.title for ws in districts} == {"อ.เมืองภูเก็ต", "อ.กะทู้", "อ.ถลาง"}
    assert sum(ws.max_row - 1 for ws in districts) == province.max_row - 1
    col = {name: i for i, name in enumerate(header)}
    statuses = {
        row[col["สถานะการดำเนินการ"]] for row in province.iter_rows(min_row=2, values_only=True)
    }
    assert statuses <= {"ดำเนินการแล้ว", "อยู่ระหว่างดำเนินการ", "ยังไม่ได้ดำเนินการ", "ไม่ระบุสถานะ"}
    first = next(province.iter_rows(min_row=2, values_only=True))
    assert isinstance(first[col["วันที่ส่ง"]], datetime)
    assert isinstance(first[col["วันเริ่ม"]], datetime)  # a real date (openpyxl reads datetime)
    findings = wb["ข้อค้นพบ"]
    assert findings.max_row - 1 == sum(len(lao["findings"]) for lao in v["laos"])
    recurring = wb["ปัญหาที่พบซ้ำ"]
    assert recurring.max_row - 1 == len(v["recurring"])


# --- HTML in a real browser, offline -----------------------------------------------


def test_html_and_validation_summary_open_offline_in_chromium(world):
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if not chromium:
        pytest.skip("CHROMIUM MISSING")
    settings, _, compiled = world
    html = Path(compiled["files"]["html"]).read_text(encoding="utf-8")
    assert not re.search(r"(src|href)=\"(https?:)?//", html)  # nothing fetched from a network
    validation = settings.reports_out / "2569-H1" / f"ita-2569-H1-{PROVINCE}-validation.html"
    for page in (compiled["files"]["html"], str(validation)):
        dom = subprocess.run(
            [
                chromium,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--dump-dom",
                f"file://{page}",
            ],
            capture_output=True,
            text=True,
            timeout=120,
        ).stdout
        assert "ข้อมูลไม่ครบ" in dom and "result is empty" not in dom
    assert html.count("<svg") >= 3 and "<script" not in html


# --- mail --------------------------------------------------------------------------


def test_mail_attaches_the_files_on_disk_once_per_round(world):
    settings, _, _ = world
    compiled = pipeline.compile_round(settings, 2569, "H1", run_id="mail-run")
    handler = Collector()
    with smtp_server(handler) as smtp:
        sent = pipeline.send_report(settings, compiled, smtp=smtp)
        assert sent["status"] == "sent"
        assert pipeline.send_report(settings, compiled, smtp=smtp) == {"status": "already_sent"}
        again = pipeline.send_report(settings, compiled, smtp=smtp, again=True)
        assert again["status"] == "sent"
    assert len(handler.envelopes) == 2
    msg = email.message_from_bytes(handler.envelopes[0].content, policy=email.policy.default)
    attached = {part.get_filename(): part.get_content() for part in msg.iter_attachments()}
    on_disk = {k: compiled["files"][k] for k in ("pdf", "xlsx")}
    assert set(attached) == {p.rsplit("/", 1)[1] for p in on_disk.values()}
    for path in on_disk.values():
        assert attached[path.rsplit("/", 1)[1]] == Path(path).read_bytes()


def test_the_mail_says_what_was_compiled_not_what_arrived_since(tmp_path):
    """compile, then a late submission reaches the warehouse, then send: the mail's
    figures are the compiled report's (its snapshot), not the warehouse's new state."""
    import hashlib

    from itaflow.models import Agency, Measure, SubmissionRecord
    from itaflow.warehouse import register_received, store_judged

    url = f"sqlite:///{tmp_path / 'warehouse.db'}"
    upgrade(url)
    load_sample_rounds(url, PROVINCE, [(2569, "H1")])
    settings = load().with_(
        home=tmp_path, warehouse_url=url, reports_out=tmp_path / "reports", province=PROVINCE
    )
    compiled = pipeline.compile_round(settings, 2569, "H1", run_id="before")
    before = report_data(url, 2569, "H1", PROVINCE, settings)
    late = next(lao for lao in before.laos if lao.state == "missing")
    body = f"late report of {late.lao_code}".encode()
    sha = hashlib.sha256(body).hexdigest()
    arrived = {
        "sha256": sha,
        "size": len(body),
        "original_name": "late.txt",
        "inbox_path": "late.txt",
        "stored_path": f"/store/{sha}.bin",
        "received_at": "2025-06-01T09:00:00+07:00",
    }
    register_received(url, [arrived], "after")
    record = SubmissionRecord(
        file="late.txt",
        sha256=sha,
        format="txt",
        agency=Agency(lao_code=late.lao_code, province=PROVINCE),
        fiscal_year=2569,
        round="H1",
        measures=[Measure(seq=1, measure="ม", result="ทำแล้ว", status="done")],
        verdict="accepted",
        size=len(body),
    )
    store_judged(url, [record], "after")
    now = report_data(url, 2569, "H1", PROVINCE, settings)
    assert now.received == compiled["received"] + 1  # the warehouse did change

    sent = pipeline.send_report(settings, compiled)
    assert sent["status"] == "written_to_outbox"
    msg = email.message_from_bytes(Path(sent["path"]).read_bytes(), policy=email.policy.default)
    text_body = msg.get_body(("plain",)).get_content().replace("\r\n", "\n")
    figures = dict(re.findall(r"^- (.+?): (\S+)$", text_body, flags=re.M))
    assert figures["ส่งแล้ว"] == str(compiled["received"])
    assert figures["ยังไม่ส่ง"] == str(compiled["expected"] - compiled["received"])
    compiled_html = Path(compiled["files"]["html"]).read_text(encoding="utf-8")
    assert late.name_th in compiled_html and late.name_th in text_body  # still listed as missing
