"""One full run of the three real DAGs on SQLite, the report mailed to a real SMTP server.

The DAGs run exactly as ``make demo`` runs them (``scripts/run_dag.py`` → ``dag.test()``)
in a subprocess with a throw-away Airflow home; aiosmtpd on 127.0.0.1 stands in for
the office's mail server behind Airflow's ``smtp_default`` connection.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from itaflow.collect import iter_manifest_lines

REPO = Path(__file__).resolve().parents[1]
FIXTURES = REPO / "tests" / "fixtures"


@pytest.fixture(scope="module")
def env(tmp_path_factory, smtp_collector):
    _, port = smtp_collector
    home = tmp_path_factory.mktemp("dagrun")
    inbox = home / "itaflow" / "inbox"
    inbox.mkdir(parents=True)
    for f in [
        *(FIXTURES / "seeds").glob("*.txt"),
        FIXTURES / "real" / "real_02_namyuen_hospital_bribery_2567.pdf",
    ]:
        shutil.copy(f, inbox / f.name)
    # Arrived 2025-10-09, before the FY 2568 due date: told by the gateway's intake record
    # (a file's mtime is only the sender's claim).
    arrived = datetime.fromtimestamp(1760000000, UTC)
    (home / "itaflow" / "intake").mkdir()
    (home / "itaflow" / "intake" / "gateway.jsonl").write_text(
        "".join(
            line + "\n"
            for line in iter_manifest_lines([(p, arrived, None) for p in inbox.iterdir()])
        ),
        encoding="utf-8",
    )
    shutil.copy(FIXTURES / "seeds" / "tapraya_sao_sakaeo_2568_annual.txt", inbox / "ส่งซ้ำ.txt")
    (inbox / "broken.docx").write_bytes(b"PK\x03\x04 not really a zip")
    airflow_home = home / "airflow"
    e = {
        **os.environ,
        "AIRFLOW_HOME": str(airflow_home),
        "AIRFLOW__CORE__DAGS_FOLDER": str(REPO / "dags"),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": f"sqlite:///{airflow_home / 'airflow.db'}",
        "AIRFLOW_CONN_SMTP_DEFAULT": f"smtp://127.0.0.1:{port}",
        "ITAFLOW_HOME": str(home / "itaflow"),
        "ITAFLOW_REPORTS_OUT": str(home / "reports"),
        "ITAFLOW_PROVINCE": "นครราชสีมา",
        "ITAFLOW_MAIL_TO": "สำนักงานจังหวัด <office@example.go.th>",
        "ITAFLOW_BATCH_SIZE": "4",
        "ITAFLOW_QUIET_SECONDS": "0",
    }
    airflow_home.mkdir()
    subprocess.run(
        [sys.executable, "-m", "airflow", "db", "migrate"], env=e, check=True, capture_output=True
    )
    return e, home


def run_dag(env, dag_id, conf=None):
    cmd = [sys.executable, str(REPO / "scripts" / "run_dag.py"), dag_id]
    if conf:
        cmd += ["--conf", conf]
    out = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=900)
    log = out.stdout + out.stderr
    if out.returncode != 0:
        start = log.find("Traceback")
        pytest.fail(f"{dag_id} failed:\n{log[start : start + 4000]}\n...\n{log[-2000:]}")
    return log


def warehouse(home):
    return sqlite3.connect(home / "itaflow" / "warehouse.db")


def test_full_round_through_the_dags(env, smtp_collector):
    e, home = env
    handler, _ = smtp_collector
    run_dag(e, "itaflow_collect")
    run_dag(e, "itaflow_validate_load")

    with warehouse(home) as db:
        states = dict(
            db.execute("select status, count(*) from submissions group by status").fetchall()
        )
        assert sum(states.values()) == 5  # 6 files, one of them the same bytes again
        assert states.get("received", 0) == 0
        assert states.get("quarantined") == 1  # broken.docx
        assert states.get("rejected", 0) >= 1  # the hospital
        measures = db.execute("select count(*) from measures").fetchone()[0]
        assert measures >= 7 + 5 + 7
        dupes = db.execute("select count(*) from receipts where is_duplicate").fetchone()[0]
        assert dupes == 1

    conf = '{"fiscal_year": 2568, "round": "FY", "province": "นครราชสีมา"}'
    run_dag(e, "itaflow_compile_report", conf)
    assert len(handler.messages) == 1
    msg = handler.messages[0]
    assert "2568" in msg["Subject"]
    pdfs = [p for p in msg.iter_attachments() if p.get_content_type() == "application/pdf"]
    assert len(pdfs) == 1 and pdfs[0].get_content().startswith(b"%PDF")
    with warehouse(home) as db:
        (status,) = db.execute(
            "select mail_status from report_runs order by id desc limit 1"
        ).fetchone()
        assert status == "sent"

    # Re-running is harmless: nothing new to load, and the round is not mailed twice.
    with warehouse(home) as db:
        before = db.execute("select count(*), sum(version) from submissions").fetchone()
    run_dag(e, "itaflow_collect")
    run_dag(e, "itaflow_validate_load")
    run_dag(e, "itaflow_compile_report", conf)
    with warehouse(home) as db:
        assert db.execute("select count(*), sum(version) from submissions").fetchone() == before
    assert len(handler.messages) == 1
