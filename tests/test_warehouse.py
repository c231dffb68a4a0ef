"""The warehouse on SQLite and PostgreSQL: every test runs on both engines.

PostgreSQL: ``ITAFLOW_TEST_PG_URL`` (default: the local server, database ``test``).
Each test session works in its own schema (dropped at the end); each test starts
from emptied tables with the registry loaded. When no server answers, the
PostgreSQL cases are skipped with a loud warning; nothing else is ever skipped.
"""

from __future__ import annotations

import json
import re
import shutil
import signal
import subprocess
import sys
import threading
import uuid
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from pgtools import pg_admin, schema_url, skip_loudly_without_pg
from sqlalchemy import func, inspect, select, text, update
from sqlalchemy.exc import OperationalError
from warehouse_rows import every_row, received, snapshot

from itaflow import monitor, registry, resources
from itaflow.models import Agency, Finding, Measure, Reporter, SubmissionRecord
from itaflow.serde import write_records
from itaflow.settings import Settings
from itaflow.warehouse import (
    LoadError,
    accounting,
    assign_versions,
    current,
    due_dates,
    engine_for,
    ensure_round,
    get_submissions,
    head,
    lao_history,
    mark_mail,
    original_file,
    pending_submissions,
    record_report_run,
    register_received,
    reminders_on,
    report_data,
    report_run_history,
    report_run_sent,
    round_matrix,
    rounds_sent,
    set_due_date,
    store_judged,
    sync_registry,
    upgrade,
)
from itaflow.warehouse.db import SQL_DIR, local_time
from itaflow.warehouse.mail_claims import mail_claims_of
from itaflow.warehouse.schema import (
    agencies,
    ddl,
    findings,
    measures,
    metadata,
    receipts,
    submissions,
)

PROVINCE = "ภูเก็ต"  # 19 LAOs: small enough to reason about every one
LAOS = [lao for lao in registry.load().values() if lao.province_th == PROVINCE]
OTHER_PROVINCE_LAO = next(lao for lao in registry.load().values() if lao.province_th == "ระนอง")
DATA_TABLES = ("findings", "measures", "receipts", "report_runs", "rounds", "submissions")


# --- engines -------------------------------------------------------------------------


@pytest.fixture(scope="session")
def pg_schema_url():
    """A migrated PostgreSQL schema for this session, or a skip with a loud warning."""
    skip_loudly_without_pg("warehouse tests on PostgreSQL")
    schema = f"itaflow_test_{uuid.uuid4().hex[:10]}"
    pg_admin(f'CREATE SCHEMA "{schema}"')
    url = schema_url(schema)
    upgrade(url)
    yield url
    pg_admin(f'DROP SCHEMA "{schema}" CASCADE')


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory):
    """A migrated SQLite file with the registry, copied for each test."""
    path = tmp_path_factory.mktemp("wh") / "template.db"
    upgrade(f"sqlite:///{path}")
    engine_for(f"sqlite:///{path}").dispose()  # closing checkpoints the WAL into the file
    return path


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request, tmp_path):
    """A migrated, empty warehouse (registry loaded) on each engine."""
    if request.param == "sqlite":
        path = tmp_path / "warehouse.db"
        shutil.copyfile(request.getfixturevalue("sqlite_template"), path)
        return f"sqlite:///{path}"
    pg = request.getfixturevalue("pg_schema_url")
    with engine_for(pg).begin() as conn:
        conn.execute(text(f"TRUNCATE {', '.join(DATA_TABLES)} RESTART IDENTITY CASCADE"))
    return pg


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_url(request, tmp_path):
    """A database with nothing in it, for migration tests."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'empty.db'}"
        return
    request.getfixturevalue("pg_schema_url")  # skips when there is no server
    schema = f"itaflow_empty_{uuid.uuid4().hex[:10]}"
    pg_admin(f'CREATE SCHEMA "{schema}"')
    yield schema_url(schema)
    pg_admin(f'DROP SCHEMA "{schema}" CASCADE')


SETTINGS = Settings(
    home=Path("/nonexistent"),
    warehouse_url="unused",
    reports_out=Path("/nonexistent"),
    expectations_dir=Path("/nonexistent"),
)


# --- data builders -------------------------------------------------------------------


def record(
    file: dict,
    lao_code: str | None,
    *,
    fy: int | None = 2567,
    rnd: str | None = "H1",
    verdict: str | None = "accepted",
    measures_n: int = 3,
    found: list[Finding] | None = None,
    readable: bool = True,
) -> SubmissionRecord:
    ms = [
        Measure(
            seq=i + 1,
            category=("IIT", "EIT", "OIT", None)[i % 4],
            indicator=f"O{i + 1}",
            measure=f"มาตรการที่ {i + 1} ส่งเสริมความโปร่งใส",
            steps="ประชุมชี้แจง\nติดตามผล",
            responsible=["สำนักปลัด", "กองคลัง"],
            period_text="ต.ค. ๖๖ - มี.ค. ๖๗",
            period_start=date(2023, 10, 1),
            period_end=date(2024, 3, 31),
            result="ดำเนินการแล้ว",
            outcome="บุคลากรเข้าใจ",
            status=("done", "in_progress", "not_started")[i % 3],
            raw={"measure": f"มาตรการที่ ๑{i}"},
        )
        for i in range(measures_n)
    ]
    return SubmissionRecord(
        file=file["original_name"],
        sha256=file["sha256"],
        format="txt",
        agency=Agency(lao_code=lao_code, name="ทดสอบ", province=PROVINCE, match_score=0.9),
        fiscal_year=fy,
        round=rnd,
        reporter=Reporter(name="นายทดสอบ", position="ปลัด"),
        measures=ms,
        findings=found or [],
        verdict=verdict,
        readable=readable,
        size=file["size"],
    )


def count(url: str, table) -> int:
    with engine_for(url).connect() as conn:
        return conn.execute(select(func.count()).select_from(table)).scalar_one()


# --- migrations ----------------------------------------------------------------------


def test_upgrade_is_idempotent_and_matches_schema(empty_url):
    assert current(empty_url) is None
    newest = head()  # the last migration in itaflow/migrations/versions (re-chained at merge)
    assert newest and upgrade(empty_url) == newest
    assert upgrade(empty_url) == newest  # second run: nothing to do
    assert current(empty_url) == newest
    engine = engine_for(empty_url)
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), metadata)
        views = set(inspect(conn).get_view_names())
        n_agencies = conn.execute(select(func.count()).select_from(agencies)).scalar_one()
    assert diff == [], "schema.py and the migrations disagree"
    assert {"current_submissions", "run_accounting"} <= views
    assert n_agencies == len(registry.load()) == 7849


def test_concurrent_upgrades_queue_instead_of_failing(empty_url):
    """Every DAG migrates at start; three starting together must all succeed."""
    errors: list[BaseException] = []

    def migrate():
        try:
            upgrade(empty_url)
        except BaseException as exc:  # reported below, in the test's thread
            errors.append(exc)

    threads = [threading.Thread(target=migrate) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert current(empty_url) == head() and count(empty_url, agencies) == 7849


def test_generated_ddl_files_are_up_to_date():
    for name in ("postgresql", "sqlite"):
        assert (SQL_DIR / f"schema.{name}.sql").read_text(encoding="utf-8") == ddl(name), (
            "run: uv run python -c 'from itaflow.warehouse.schema import write_ddl; write_ddl()'"
        )


def test_sync_registry_updates_and_retires_without_deleting(url):
    engine = engine_for(url)
    code = LAOS[0].lao_code
    with engine.begin() as conn:
        conn.execute(update(agencies).where(agencies.c.lao_code == code).values(name_th="ผิด"))
        conn.execute(
            agencies.insert().values(
                lao_code="9999999",
                name_th="ยุบแล้ว",
                full_name_th="อบต.ยุบแล้ว",
                lao_type="subdistrict_admin_org",
                type_th="อบต.",
                province_code="83",
                province_th=PROVINCE,
                district_th="เมืองภูเก็ต",
                active=True,
            )
        )
    assert sync_registry(url) == {"agencies": 7849, "inserted": 0, "updated": 1, "retired": 1}
    assert sync_registry(url) == {"agencies": 7849, "inserted": 0, "updated": 0, "retired": 0}
    with engine.connect() as conn:
        row = conn.execute(select(agencies).where(agencies.c.lao_code == "9999999")).one()
        assert row.active is False or row.active == 0
        assert (
            conn.execute(select(agencies.c.name_th).where(agencies.c.lao_code == code)).scalar()
            == LAOS[0].name_th
        )
    with engine.begin() as conn:
        conn.execute(agencies.delete().where(agencies.c.lao_code == "9999999"))


def test_database_down_fails_fast_and_visibly(tmp_path):
    with pytest.raises(OperationalError):
        upgrade("postgresql+psycopg://postgres@127.0.0.1:1/test?connect_timeout=2")
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises((OperationalError, OSError)):
        upgrade(f"sqlite:///{blocker}/warehouse.db")


# --- received files ------------------------------------------------------------------


def test_register_new_duplicate_seen_and_rerun(url):
    a = received("a.txt", "report A", "2024-04-01T03:00:00+00:00")
    a_again = received("copy of a.txt", "report A", "2024-04-02T10:00:00+07:00")
    b = received("b.pdf", "report B", "2024-04-01T09:00:00")
    out = register_received(url, [b, a_again, a], "run-1")
    assert [o["outcome"] for o in out] == ["new", "duplicate", "new"]
    assert out[1]["submission_id"] == out[2]["submission_id"]
    assert count(url, submissions) == 2 and count(url, receipts) == 3

    before = snapshot(url)
    assert register_received(url, [b, a_again, a], "run-1") == out  # rerun of the same run
    assert snapshot(url) == before

    # The inbox is never emptied: the next run sees the same files again.
    later = register_received(url, [a, b, a_again], "run-2")
    assert [o["outcome"] for o in later] == ["seen", "seen", "seen"]
    assert snapshot(url) == before

    # The same bytes under a new name in a later run: a duplicate, not a new submission.
    a_third = received("a-final.txt", "report A", "2024-04-03T08:00:00", path="late/a-final.txt")
    (dup,) = register_received(url, [a_third], "run-3")
    assert dup["outcome"] == "duplicate" and dup["submission_id"] == out[2]["submission_id"]
    with engine_for(url).connect() as conn:
        rows = conn.execute(
            select(findings.c.check_id, findings.c.receipt_id, findings.c.message).where(
                findings.c.check_id == "duplicate_submission"
            )
        ).all()
    assert {r.receipt_id for r in rows} == {out[1]["receipt_id"], dup["receipt_id"]}
    assert all(r.message.startswith("ไฟล์นี้มีเนื้อหาเดียวกับ") and " / " in r.message for r in rows)

    pending = pending_submissions(url)
    assert [p["original_name"] for p in pending] == ["b.pdf", "a.txt"]  # oldest first (local time)
    assert (
        pending[1]["received_at"] == "2024-04-01T10:00:00+07:00"
    )  # UTC input kept as Bangkok time
    assert get_submissions(url, [pending[1]["id"], pending[0]["id"]])[0]["original_name"] == "a.txt"


def test_file_with_a_problem_is_quarantined_at_once(url):
    link = received(
        "evil",
        "symlink:evil->/etc/passwd",
        "2024-04-01T09:00:00",
        stored_path="",
        problem="ลิงก์ชี้ออกนอกกล่องรับไฟล์ ไม่ได้เปิดอ่าน / link points outside the inbox; not opened",
    )
    (out,) = register_received(url, [link], "run-1")
    assert out["outcome"] == "new"
    assert pending_submissions(url) == []
    (acc,) = accounting(url, "run-1")
    assert (acc["received"], acc["quarantined"], acc["balanced"]) == (1, 1, True)
    with engine_for(url).connect() as conn:
        check = conn.execute(select(findings.c.check_id)).scalar_one()
    assert check == "unreadable_file"


def test_findings_decided_at_registration_are_worded_by_expectations(url, tmp_path):
    """duplicate_submission and unreadable_file at registration: id and severity from
    expectations/, the duplicate's wording too (an office that rewords the rule sees its
    words), the problem's own reason as the unreadable file's message."""
    problem = "ไม่ใช่ไฟล์ปกติ / not a regular file"
    a = received("a.txt", "report A", "2024-04-01T09:00:00")
    again = received("a-copy.txt", "report A", "2024-04-02T09:00:00", path="later/a-copy.txt")
    odd = received("fifo", "not_regular", "2024-04-01T10:00:00", stored_path="", problem=problem)
    out = register_received(url, [a, again, odd], "run-1")
    first = out[0]["submission_id"]
    assert found_at_registration(url) == [
        (
            "duplicate_submission",
            "error",
            None,
            out[1]["receipt_id"],
            f"ไฟล์นี้มีเนื้อหาเดียวกับไฟล์ที่ได้รับแล้ว (รายการที่ {first}: a.txt รับเมื่อ"
            " 2024-04-01T09:00:00+07:00) ไม่นับเป็นรายงานใหม่ / the same bytes were already"
            f" received as submission {first} (a.txt, 2024-04-01T09:00:00+07:00); not a new report",
        ),
        ("unreadable_file", "error", None, None, problem),
    ]

    folder = tmp_path / "expectations"
    shutil.copytree(resources.expectations_dir(), folder)
    path = folder / "submissions.json"
    suite = json.loads(path.read_text(encoding="utf-8"))
    (rule,) = [e for e in suite["expectations"] if e["meta"]["check_id"] == "duplicate_submission"]
    rule["meta"] |= {
        "severity": "warning",
        "message_th": "ซ้ำ {original_name}",
        "message_en": "copy",
    }
    path.write_text(json.dumps(suite, ensure_ascii=False), encoding="utf-8")
    third = received("a3.txt", "report A", "2024-04-03T09:00:00", path="x/a3.txt")
    register_received(url, [third], "run-2", expectations_dir=folder)
    assert found_at_registration(url)[-1][:2] == ("duplicate_submission", "warning")
    assert found_at_registration(url)[-1][-1] == "ซ้ำ a.txt / copy"


def found_at_registration(url: str) -> list[tuple]:
    f = findings.c
    with engine_for(url).connect() as conn:
        rows = conn.execute(
            select(f.check_id, f.severity, f.measure_seq, f.receipt_id, f.message).order_by(f.id)
        )
        return [tuple(r) for r in rows]


# --- loads ---------------------------------------------------------------------------


def test_load_sets_states_and_is_idempotent(url):
    files = [received(f"f{i}.txt", f"content {i}", f"2024-04-0{i + 1}T09:00:00") for i in range(4)]
    register_received(url, files, "run-1")
    records = [
        record(files[0], LAOS[0].lao_code),
        record(
            files[1],
            LAOS[1].lao_code,
            verdict="accepted_with_warnings",
            found=[Finding("missing_field", "warning", "ไม่มีผลลัพธ์ / no outcome", 2, "outcome")],
        ),
        record(
            files[2],
            LAOS[2].lao_code,
            verdict="rejected",
            found=[
                Finding("no_measures_found", "error", "ไม่พบตารางมาตรการ / no measure table found")
            ],
            measures_n=0,
        ),
        record(
            files[3],
            None,
            fy=None,
            rnd=None,
            verdict=None,
            readable=False,
            measures_n=0,
            found=[Finding("unreadable_file", "error", "ไฟล์เสีย / corrupt file")],
        ),
    ]
    summary = store_judged(url, records, "run-1")
    assert summary["submissions"] == 4 and summary["measures"] == 6 and summary["findings"] == 3
    assert (
        summary["accepted"],
        summary["accepted_with_warnings"],
        summary["rejected"],
        summary["quarantined"],
    ) == (1, 1, 1, 1)
    with engine_for(url).connect() as conn:
        rows = {r.original_name: r for r in conn.execute(select(submissions))}
    assert rows["f0.txt"].status == "accepted" and rows["f0.txt"].reason is None
    assert rows["f1.txt"].reason == "ไม่มีผลลัพธ์ / no outcome"
    assert rows["f2.txt"].status == "rejected" and rows["f2.txt"].verdict == "rejected"
    assert (
        rows["f3.txt"].status == "quarantined" and rows["f3.txt"].reason == "ไฟล์เสีย / corrupt file"
    )
    assert rows["f3.txt"].version is None and not rows["f3.txt"].is_current
    assert pending_submissions(url) == []

    before = snapshot(url)
    again = store_judged(url, records, "run-1")
    assert again["versions_changed"] == 0
    assert snapshot(url) == before
    with engine_for(url).connect() as conn:
        stored = conn.execute(select(measures.c.responsible, measures.c.raw).limit(1)).one()
    assert stored.responsible == ["สำนักปลัด", "กองคลัง"] and stored.raw["measure"].startswith(
        "มาตรการ"
    )


def test_load_refuses_bad_batches_whole(url):
    f = received("x.txt", "x", "2024-04-01T09:00:00")
    g = received("y.txt", "y", "2024-04-01T09:00:00")
    register_received(url, [f], "run-1")
    before = snapshot(url)
    with pytest.raises(LoadError, match="not registered"):
        store_judged(url, [record(f, LAOS[0].lao_code), record(g, LAOS[1].lao_code)], "run-1")
    with pytest.raises(LoadError, match="lao_code"):
        store_judged(url, [record(f, "0000000")], "run-1")
    with pytest.raises(LoadError, match="no verdict"):
        store_judged(url, [record(f, LAOS[0].lao_code, verdict=None)], "run-1")
    assert snapshot(url) == before


def test_hostile_text_is_stored_as_inert_text(url):
    f = received("weird.txt", "weird", "2024-04-01T09:00:00")
    register_received(url, [f], "run-1")
    rec = record(f, LAOS[0].lao_code)
    rec.measures[
        0
    ].result = 'ผล\x00ลัพธ์ \udcff\'); DROP TABLE measures; -- <script>x</script> =HYPERLINK("x")'
    rec.measures[0].responsible = ["กอง\x00คลัง"]
    rec.reporter.name = "Robert'); DROP TABLE submissions;--"
    store_judged(url, [rec], "run-1")
    with engine_for(url).connect() as conn:
        result = conn.execute(select(measures.c.result).where(measures.c.seq == 1)).scalar_one()
        responsible = conn.execute(
            select(measures.c.responsible).where(measures.c.seq == 1)
        ).scalar_one()
        name = conn.execute(select(submissions.c.reporter_name)).scalar_one()
    assert result.startswith("ผลลัพธ์ \ufffd'); DROP TABLE measures;") and "<script>" in result
    assert responsible == ["กองคลัง"]
    assert name == "Robert'); DROP TABLE submissions;--"
    assert count(url, measures) == 3


def test_assign_versions_orders_by_received_time():
    t = datetime(2024, 4, 1)
    rows = [
        {
            "id": 7,
            "lao_code": "1",
            "fiscal_year": 2567,
            "round": "H1",
            "received_at": t + timedelta(days=2),
        },
        {"id": 3, "lao_code": "1", "fiscal_year": 2567, "round": "H1", "received_at": t},
        {"id": 5, "lao_code": "1", "fiscal_year": 2567, "round": "FY", "received_at": t},
    ]
    assert assign_versions(rows) == {
        3: {"version": 1, "is_current": False, "superseded_by": 7},
        7: {"version": 2, "is_current": True, "superseded_by": None},
        5: {"version": 1, "is_current": True, "superseded_by": None},
    }


def test_new_file_supersedes_and_history_stays(url):
    code = LAOS[0].lao_code
    v1 = received("v1.txt", "first", "2024-04-20T09:00:00")
    v2 = received("v2.txt", "second", "2024-05-05T09:00:00")
    v3 = received("other-round.txt", "annual", "2024-05-06T09:00:00")
    register_received(url, [v1], "run-1")
    register_received(url, [v2, v3], "run-2")
    # Loaded newest first (batches can finish in any order): versions follow received time.
    store_judged(
        url,
        [
            record(
                v2,
                code,
                verdict="rejected",
                found=[Finding("missing_field", "error", "ขาด / missing")],
            )
        ],
        "run-2",
    )
    store_judged(url, [record(v3, code, rnd="FY")], "run-2")
    store_judged(url, [record(v1, code)], "run-1")
    with engine_for(url).connect() as conn:
        rows = {r.original_name: r for r in conn.execute(select(submissions))}
        current_view = conn.execute(
            text(
                "SELECT id, version FROM current_submissions WHERE lao_code = :c AND round = 'H1'"
            ),
            {"c": code},
        ).all()
    assert (
        rows["v1.txt"].version,
        bool(rows["v1.txt"].is_current),
        rows["v1.txt"].superseded_by,
    ) == (1, False, rows["v2.txt"].id)
    assert (
        rows["v2.txt"].version,
        bool(rows["v2.txt"].is_current),
        rows["v2.txt"].superseded_by,
    ) == (2, True, None)
    assert (rows["other-round.txt"].version, bool(rows["other-round.txt"].is_current)) == (1, True)
    assert current_view == [(rows["v2.txt"].id, 2)]
    assert count(url, measures) == 9  # history keeps its measures

    # Re-judged as another LAO, v2 leaves the group: v1 becomes current again.
    store_judged(url, [record(v2, LAOS[1].lao_code)], "run-3")
    with engine_for(url).connect() as conn:
        rows = {r.original_name: r for r in conn.execute(select(submissions))}
    assert (
        rows["v1.txt"].version,
        bool(rows["v1.txt"].is_current),
        rows["v1.txt"].superseded_by,
    ) == (1, True, None)
    assert (rows["v2.txt"].version, bool(rows["v2.txt"].is_current)) == (1, True)


def test_concurrent_loads_of_one_lao_keep_one_current_version(url):
    code = LAOS[0].lao_code
    files = [received(f"v{i}.txt", f"version {i}", f"2024-04-{10 + i}T09:00:00") for i in range(6)]
    register_received(url, files, "run-1")
    errors: list[BaseException] = []

    def load(part):
        try:
            store_judged(url, [record(f, code) for f in part], "run-1")
        except BaseException as exc:  # reported below, in the test's thread
            errors.append(exc)

    threads = [threading.Thread(target=load, args=(files[i::3],)) for i in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with engine_for(url).connect() as conn:
        rows = conn.execute(select(submissions).order_by(submissions.c.received_at)).all()
    assert [r.version for r in rows] == [1, 2, 3, 4, 5, 6]
    assert [bool(r.is_current) for r in rows] == [False] * 5 + [True]
    assert [r.superseded_by for r in rows] == [r.id for r in rows[1:]] + [None]


# --- the office's queries ------------------------------------------------------------


def build_round(url: str) -> dict:
    """A province in the 6-month round of 2567 (due 30 April 2024), every state once."""
    f = {
        "on_time": received("on-time.docx", "1", "2024-04-30T16:59:00+00:00"),  # 23:59 Bangkok
        "late_first": received("late.pdf", "2", "2024-04-30T17:01:00+00:00"),  # 00:01 on 1 May
        "rejected": received("rej.xlsx", "3", "2024-04-10T09:00:00"),
        "fixed": received("rej-fixed.xlsx", "3b", "2024-05-20T09:00:00"),  # v2 of rejected, late
        "quarantined": received("q.pdf", "4", "2024-04-11T09:00:00"),
        "unmatched": received("who.txt", "5", "2024-04-12T09:00:00"),
        "unmatched_old": received("old.txt", "6", "2023-01-01T09:00:00"),
        "other_round": received("fy.txt", "7", "2024-04-13T09:00:00"),
        "other_province": received("ranong.txt", "8", "2024-04-14T09:00:00"),
        "pending": received("pending.txt", "9", "2024-04-15T09:00:00"),
    }
    register_received(url, list(f.values()), "run-1")
    w = [Finding("missing_field", "warning", "ไม่มีผลลัพธ์ / no outcome", 1, "outcome")]
    e = [Finding("no_measures_found", "error", "ไม่พบตาราง / no table")]
    records = [
        record(f["on_time"], LAOS[0].lao_code, measures_n=4),
        record(f["late_first"], LAOS[1].lao_code, verdict="accepted_with_warnings", found=w),
        record(f["rejected"], LAOS[2].lao_code, verdict="rejected", found=e, measures_n=0),
        record(f["fixed"], LAOS[2].lao_code),
        record(
            f["quarantined"],
            LAOS[3].lao_code,
            verdict=None,
            readable=False,
            measures_n=0,
            found=[Finding("unreadable_file", "error", "เสีย / corrupt")],
        ),
        record(
            f["unmatched"],
            None,
            fy=None,
            rnd=None,
            verdict="rejected",
            found=[Finding("agency_unknown", "error", "ไม่รู้จัก / unknown agency")],
        ),
        record(f["unmatched_old"], None, fy=None, rnd=None, verdict="rejected", found=e),
        record(f["other_round"], LAOS[4].lao_code, rnd="FY"),
        record(f["other_province"], OTHER_PROVINCE_LAO.lao_code),
    ]
    store_judged(url, records, "run-1")
    return f


def test_report_data_states_timeliness_and_counts(url):
    build_round(url)
    data = report_data(
        url, 2567, "H1", PROVINCE, SETTINGS, generated_at="2024-06-01T08:00:00+07:00"
    )
    assert (data.period_start, data.period_end, data.due_date) == (
        date(2023, 10, 1),
        date(2024, 3, 31),
        date(2024, 4, 30),
    )
    assert data.generated_at == "2024-06-01T08:00:00+07:00"
    assert data.expected == len(LAOS) == 19
    by = {lao.lao_code: lao for lao in data.laos}
    on_time, late, fixed, quarantined = (by[LAOS[i].lao_code] for i in range(4))
    assert (on_time.state, on_time.on_time, on_time.version, on_time.measure_count) == (
        "accepted",
        True,
        1,
        4,
    )
    assert on_time.received_at == "2024-04-30T23:59:00+07:00"
    assert on_time.status_counts == {"done": 2, "in_progress": 1, "not_started": 1}
    assert (late.state, late.on_time, late.warnings, late.errors) == (
        "accepted_with_warnings",
        False,
        1,
        0,
    )
    assert late.findings[0].check == "missing_field" and late.findings[0].field == "outcome"
    # Resubmitted after the deadline: the first version came on time, so the LAO did.
    assert (fixed.state, fixed.version, fixed.on_time, fixed.original_name) == (
        "accepted",
        2,
        True,
        "rej-fixed.xlsx",
    )
    assert fixed.findings == [] and fixed.errors == 0
    assert (quarantined.state, quarantined.on_time) == ("quarantined", True)
    missing = [lao for lao in data.laos if lao.state == "missing"]
    assert len(missing) == 15 and all(m.on_time is None and m.version == 0 for m in missing)
    assert by[LAOS[4].lao_code].state == "missing"  # it reported for the other round only
    assert (data.received, data.on_time, data.late) == (4, 3, 1)
    assert on_time.name_th == registry.full_name(LAOS[0]) and on_time.province == PROVINCE
    # Measures of accepted states only: 4 + 3 + 3 by category cycle IIT, EIT, OIT, None.
    assert data.category_counts == {"IIT": 3, "EIT": 3, "OIT": 3, None: 1}
    assert data.check_counts == {"missing_field": 1, "unreadable_file": 1}
    assert [u["original_name"] for u in data.unmatched_files] == ["who.txt"]
    assert data.unmatched_files[0]["state"] == "rejected"
    assert data.unmatched_files[0]["reason"] == "ไม่รู้จัก / unknown agency"

    everywhere = report_data(url, 2567, "H1", None, SETTINGS)
    assert {lao.province for lao in everywhere.laos} == {PROVINCE, OTHER_PROVINCE_LAO.province_th}


def test_due_date_override_changes_timeliness(url):
    build_round(url)
    assert ensure_round(url, 2567, "H1", SETTINGS)["due_date"] == date(2024, 4, 30)
    set_due_date(url, 2567, "H1", date(2024, 5, 15), SETTINGS)
    data = report_data(url, 2567, "H1", PROVINCE, SETTINGS)
    assert data.due_date == date(2024, 5, 15)
    assert data.late == 0 and data.on_time == 4
    with pytest.raises(ValueError):
        ensure_round(url, 2567, "Q3", SETTINGS)


def sqlite_bytes(url: str) -> bytes | None:
    """The SQLite file's bytes with every connection closed (WAL checkpointed), else None."""
    engine = engine_for(url)
    if engine.dialect.name != "sqlite":
        return None
    engine.dispose()
    return Path(engine.url.database).read_bytes()


def test_reads_write_nothing(warehouse_url):
    """The report of a round with data and of a round nobody has read yet, the monitor's
    matrix (it used to create the round's row), and every other read: every table as it
    was, and on SQLite the same file bytes."""
    upgrade(warehouse_url)
    files = build_round(warehouse_url)
    record_report_run(
        warehouse_url,
        report_data(warehouse_url, 2567, "H1", PROVINCE, SETTINGS),
        ["r.pdf"],
        recipients=["office@example.go.th"],
        compiled_at="2024-05-02T08:00:00+07:00",
    )
    settings = SETTINGS.with_(warehouse_url=warehouse_url, province=PROVINCE)
    rows, raw = every_row(warehouse_url), sqlite_bytes(warehouse_url)
    assert rows["rounds"] == []

    report_data(warehouse_url, 2567, "H1", PROVINCE, SETTINGS)
    report_data(warehouse_url, 2569, "FY", None, SETTINGS)  # a fresh round: no row is made
    assert due_dates(warehouse_url, [(2569, "FY")], SETTINGS) == {(2569, "FY"): date(2026, 10, 31)}
    # A province that sent nothing: the matrix shows the latest closed round, 2569 FY.
    fresh = monitor.matrix_view(settings.with_(province="กระบี่"), {}, today=date(2026, 11, 2))
    assert fresh["columns"][0]["fiscal_year"] == 2569 and fresh["query"]["round"] == "FY"
    monitor.monitor_view(settings, {"fy": "2567", "round": "H1"})
    rounds_sent(warehouse_url, PROVINCE, ("H1", "FY"))
    accounting(warehouse_url)
    pending_submissions(warehouse_url)
    get_submissions(warehouse_url, [1, 2])
    report_run_history(warehouse_url, 2567, "H1", PROVINCE)
    report_run_sent(warehouse_url, 2567, "H1", PROVINCE)
    round_matrix(warehouse_url, PROVINCE)
    lao_history(warehouse_url, LAOS[0].lao_code)
    original_file(warehouse_url, files["on_time"]["sha256"])
    reminders_on(warehouse_url, 2567, "H1")
    mail_claims_of(warehouse_url, 2567, "H1", PROVINCE)

    assert every_row(warehouse_url) == rows
    assert sqlite_bytes(warehouse_url) == raw


def test_accounting_balances_for_every_run(url):
    files = build_round(url)
    dup = received("on-time-again.docx", "1", "2024-05-01T09:00:00")
    register_received(url, [dup, *files.values()], "run-2")
    runs = {r["run_id"]: r for r in accounting(url)}
    one = runs["run-1"]
    assert (
        one["received"],
        one["accepted"],
        one["accepted_with_warnings"],
        one["rejected"],
        one["quarantined"],
        one["duplicates"],
        one["pending"],
    ) == (10, 4, 1, 3, 1, 0, 1)
    assert not one["balanced"] and not one["complete"]  # pending.txt is not judged yet
    assert (
        runs["run-2"]["received"] == 1
        and runs["run-2"]["duplicates"] == runs["run-2"]["rejected"] == 1
    )
    assert runs["run-2"]["balanced"]

    # The next run judges what the earlier one left: run-1 now balances.
    store_judged(url, [record(files["pending"], LAOS[5].lao_code)], "run-3")
    (one,) = accounting(url, "run-1")
    assert one["balanced"] and one["complete"]
    assert (
        one["received"]
        == one["accepted"] + one["accepted_with_warnings"] + one["rejected"] + one["quarantined"]
    )
    assert accounting(url, "no-such-run") == []


def test_report_runs_are_recorded_and_mailed_once(url):
    build_round(url)
    data = report_data(url, 2567, "H1", PROVINCE, SETTINGS)
    files = {"html": "/out/r.html", "pdf": "/out/r.pdf"}
    rid = record_report_run(
        url,
        data,
        files,
        recipients=["office@localhost"],
        compiled_at="2024-05-01T00:05:00+00:00",
        run_id="compile-1",
    )
    assert (
        record_report_run(
            url,
            data,
            files,
            recipients=["office@localhost"],
            compiled_at="2024-05-01T00:06:00+00:00",
            run_id="compile-1",
        )
        == rid
    )
    assert not report_run_sent(url, 2567, "H1", PROVINCE)
    mark_mail(url, rid, "failed", error="550 refused")
    assert not report_run_sent(url, 2567, "H1", PROVINCE)
    mark_mail(url, rid, "sent", message_id="<x@itaflow>", mailed_at="2024-05-01T07:10:00+07:00")
    assert report_run_sent(url, 2567, "H1", PROVINCE)
    assert not report_run_sent(url, 2567, "H1", None) and not report_run_sent(
        url, 2567, "FY", PROVINCE
    )
    (run,) = report_run_history(url, 2567, "H1", PROVINCE)
    assert run["compiled_at"] == "2024-05-01T07:06:00+07:00" and run["mail_status"] == "sent"
    assert run["files"] == files and run["error"] is None
    assert run["submission_ids"] == sorted(
        lao.submission_id for lao in data.laos if lao.submission_id
    )
    with pytest.raises(ValueError):
        mark_mail(url, rid, "maybe")
    with pytest.raises(LoadError):
        mark_mail(url, rid + 100, "sent")


def test_timestamps_are_kept_in_bangkok_time():
    assert local_time("2024-04-30T17:30:00+00:00") == datetime(2024, 5, 1, 0, 30)
    assert local_time("2024-04-30T17:30:00") == datetime(2024, 4, 30, 17, 30)


# --- kill safety ---------------------------------------------------------------------

CHILD = """
import logging, sys, time
from pathlib import Path
from itaflow.serde import read_records
from itaflow.warehouse import store_judged

class Stop(logging.Handler):
    def emit(self, rec):
        if "uncommitted" in rec.getMessage():
            print("IN_TRANSACTION", flush=True)
            time.sleep(120)  # killed here, with every row written but not committed

logging.getLogger("itaflow.warehouse.judged").addHandler(Stop())
logging.getLogger("itaflow.warehouse.judged").setLevel(logging.INFO)
store_judged(sys.argv[1], read_records(Path(sys.argv[2])), sys.argv[3])
print("COMMITTED", flush=True)
"""


def _load_and_kill(url: str, batch: Path, run_id: str) -> None:
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, url, str(batch), run_id],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout.readline().strip() == "IN_TRANSACTION"
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
    assert child.returncode == -signal.SIGKILL


def test_killed_load_leaves_warehouse_as_before_and_rerun_completes(url, tmp_path):
    n_files, n_measures = 200, 30
    files = [received(f"lao{i}.txt", f"body {i}", "2024-04-20T09:00:00") for i in range(n_files)]
    register_received(url, files, "run-1")
    laos = list(registry.load())
    records = [record(f, laos[i], measures_n=n_measures) for i, f in enumerate(files)]
    batch = write_records(records, tmp_path / "batch.json")

    before = snapshot(url)
    _load_and_kill(url, batch, "run-1")
    assert snapshot(url) == before
    assert len(pending_submissions(url)) == n_files and count(url, measures) == 0

    store_judged(url, records, "run-1")  # the next run completes the job
    assert count(url, measures) == n_files * n_measures
    assert pending_submissions(url) == []
    (acc,) = accounting(url, "run-1")
    assert acc["balanced"] and acc["accepted"] == n_files

    # Killed while replacing loaded data: the earlier load stays whole.
    loaded = snapshot(url)
    for r in records:
        r.verdict = "rejected"
        r.measures = r.measures[:1]
    write_records(records, batch)
    _load_and_kill(url, batch, "run-2")
    assert snapshot(url) == loaded
    with engine_for(url).connect() as conn:
        assert (
            conn.execute(
                select(func.count()).where(submissions.c.status == "accepted")
            ).scalar_one()
            == n_files
        )


def test_report_files_are_plain_sql_with_bound_parameters():
    for path in SQL_DIR.glob("**/*.sql"):
        body = path.read_text(encoding="utf-8")
        assert "%s" not in body and "{" not in body, f"{path.name}: use :name parameters"
        comments = [line for line in body.splitlines() if line.lstrip().startswith("--")]
        # text() would take a ":word" in a comment for a parameter.
        assert not any(re.search(r"(?<!:):[a-z]", c) for c in comments), path.name
