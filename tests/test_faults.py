"""Issue 6 §5: faults fail the run visibly, leave nothing half-done, and the next run finishes.

- A worker killed (SIGKILL, a real subprocess) while checking a batch or inside the
  load transaction: the warehouse is exactly as before and the next run, planning
  its batches again, judges and loads every file.
- A warehouse that is down when a run starts (a closed port, an unopenable file):
  the stage raises a clear error at once, nothing is written; with the right URL the
  same run completes. Down between check and load: the load fails whole, the retry loads.
- An SMTP server that refuses the report (aiosmtpd answering 550): ``send_report``
  raises and the report run is recorded as failed; with a working server the mail goes
  out exactly once, and neither a third call, a recompiled report nor a worker killed
  between sending and recording sends it again.

Real databases (SQLite and PostgreSQL) and a real SMTP server; no mocks.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
from homes import settings_for
from smtptools import smtp_server
from sqlalchemy import select
from sqlalchemy.exc import OperationalError
from warehouse_rows import snapshot

from itaflow import pipeline
from itaflow.mail import DeliveryError
from itaflow.settings import Settings
from itaflow.warehouse import accounting, engine_for, pending_submissions, report_run_history
from itaflow.warehouse.schema import measures, submissions

REPO = Path(__file__).resolve().parents[1]
FIXTURES = REPO / "tests" / "fixtures"
PG_DOWN = "postgresql+psycopg://postgres@127.0.0.1:1/test"
ENDED = {"accepted", "accepted_with_warnings", "rejected", "quarantined"}
CHILD_TIMEOUT = 240  # seconds; a child that never reaches its kill point fails the test


# --- warehouses ----------------------------------------------------------------------


def fill_inbox(inbox: Path) -> int:
    """Three sample reports, an empty file and random bytes; returns the file count."""
    inbox.mkdir(parents=True)
    for seed in sorted((FIXTURES / "seeds").glob("*.txt")):
        shutil.copyfile(seed, inbox / seed.name)
    (inbox / "empty.docx").write_bytes(b"")
    (inbox / "noise.pdf").write_bytes(os.urandom(3000))
    return len(list(inbox.iterdir()))


def finish_run(settings: Settings, run_id: str) -> list[dict]:
    """What the validate DAG does: plan the pending batches, check and load each."""
    batches = pipeline.plan_batches(settings)
    loaded = [
        pipeline.load_batch(pipeline.check_batch(batch, settings, run_id), settings, run_id)
        for batch in batches
    ]
    pipeline.account(settings, batches)
    return loaded


def assert_all_ended(url: str, run_id: str, files: int) -> None:
    (acc,) = accounting(url, run_id)
    assert acc["received"] == files and acc["pending"] == 0
    assert acc["balanced"] and acc["complete"]
    assert pending_submissions(url) == []
    with engine_for(url).connect() as conn:
        assert set(conn.execute(select(submissions.c.status)).scalars()) <= ENDED


# --- a worker killed mid-batch ---------------------------------------------------------

WORKER = """
import json, sys, time
from pathlib import Path
from sqlalchemy import event
from sqlalchemy.engine import Engine
from itaflow import pipeline
from itaflow.settings import Settings

home, url, run_id, ids, kill_at = sys.argv[1:6]
settings = Settings(home=Path(home), warehouse_url=url, reports_out=Path(home) / "reports",
                    expectations_dir=Path(sys.argv[6]))

def before_commit(conn):
    # every row of the batch is written, the COMMIT not yet sent: the worst moment to die
    print("IN_LOAD_TRANSACTION", flush=True)
    time.sleep(600)

if kill_at == "load":
    event.listen(Engine, "commit", before_commit)
print("CHECKING", flush=True)
path = pipeline.check_batch(json.loads(ids), settings, run_id)
print("CHECKED", flush=True)
pipeline.load_batch(path, settings, run_id)
print("COMMITTED", flush=True)
"""


@contextmanager
def child(*args: str):
    """A real worker process, killed by a watchdog if it never reaches its kill point."""
    proc = subprocess.Popen([sys.executable, "-c", *args], stdout=subprocess.PIPE, text=True)
    watchdog = threading.Timer(CHILD_TIMEOUT, proc.kill)
    watchdog.start()
    try:
        yield proc
    finally:
        watchdog.cancel()
        if proc.poll() is None:
            proc.kill()
        proc.wait(timeout=30)
        proc.stdout.close()


def wait_for(proc: subprocess.Popen, line: str) -> list[str]:
    seen = []
    while (got := proc.stdout.readline()) != "":
        seen.append(got.strip())
        if got.strip() == line:
            return seen
    raise AssertionError(f"worker ended before {line!r}: {seen}, exit {proc.wait()}")


def kill_worker(settings: Settings, batch: list[int], run_id: str, kill_at: str) -> None:
    """Run check+load of ``batch`` in a subprocess and SIGKILL it at ``kill_at``."""
    args = [str(settings.home), settings.warehouse_url, run_id, json.dumps(batch), kill_at]
    with child(WORKER, *args, str(settings.expectations_dir)) as proc:
        if kill_at == "load":
            assert wait_for(proc, "IN_LOAD_TRANSACTION")[-2:] == ["CHECKED", "IN_LOAD_TRANSACTION"]
        else:
            wait_for(proc, "CHECKING")
            time.sleep(1.5)  # inside check_batch: reading files, importing GE, validating
            assert proc.poll() is None, "the check finished before it could be killed"
        proc.send_signal(signal.SIGKILL)
        assert proc.wait(timeout=30) == -signal.SIGKILL


def test_worker_killed_mid_batch_leaves_the_warehouse_as_before(warehouse_url, tmp_path):
    settings = settings_for(tmp_path / "home", warehouse_url)
    files = fill_inbox(settings.inbox)
    pipeline.prepare_warehouse(settings)
    assert pipeline.collect(settings, "run-1")["new"] == files
    (batch,) = pipeline.plan_batches(settings)
    before = snapshot(warehouse_url)

    if warehouse_url.startswith(
        "sqlite"
    ):  # the check writes no warehouse row: one engine is enough
        kill_worker(settings, batch, "run-1", "check")
        assert snapshot(warehouse_url) == before
        assert pipeline.plan_batches(settings) == [batch]
    kill_worker(settings, batch, "run-1", "load")

    assert snapshot(warehouse_url) == before  # nothing of the batch, not one row
    assert [s["id"] for s in pending_submissions(warehouse_url)] == batch
    (acc,) = accounting(warehouse_url, "run-1")
    assert acc["pending"] == files and not acc["complete"]

    loaded = finish_run(settings, "run-2")  # the next run plans the same batch and finishes it
    assert [b["submissions"] for b in loaded] == [files]
    assert_all_ended(warehouse_url, "run-1", files)
    with engine_for(warehouse_url).connect() as conn:
        assert conn.execute(select(measures.c.submission_id)).first() is not None


# --- a warehouse that is down ---------------------------------------------------------


def down_url(engine: str, tmp_path: Path) -> str:
    if engine == "postgresql":
        return PG_DOWN  # nothing listens on port 1
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the warehouse folder should be")
    return f"sqlite:///{blocker}/warehouse.db"


def test_database_down_at_the_start_fails_visibly_then_the_run_completes(warehouse_url, tmp_path):
    engine = "postgresql" if warehouse_url.startswith("postgresql") else "sqlite"
    home = tmp_path / "home"
    files = fill_inbox(home / "inbox")
    down = settings_for(home, down_url(engine, tmp_path))
    inbox_before = sorted((p.name, p.read_bytes()) for p in down.inbox.iterdir())

    for stage in (pipeline.prepare_warehouse, pipeline.collect, pipeline.plan_batches):
        started = time.monotonic()
        with pytest.raises((OperationalError, OSError)) as raised:
            stage(down)
        assert time.monotonic() - started < 15  # fails at once, so Airflow retries
        message = str(raised.value)
        if engine == "postgresql":
            assert "127.0.0.1" in message and ("refused" in message or "port 1" in message)
    assert not down.work.exists()
    assert sorted((p.name, p.read_bytes()) for p in down.inbox.iterdir()) == inbox_before

    up = settings_for(home, warehouse_url)
    pipeline.prepare_warehouse(up)
    assert pipeline.collect(up, "run-1")["new"] == files
    (batch,) = pipeline.plan_batches(up)
    results = pipeline.check_batch(batch, up, "run-1")
    before = snapshot(warehouse_url)
    # The warehouse goes down between check and load: the load fails whole ...
    with pytest.raises((OperationalError, OSError)):
        pipeline.load_batch(results, down, "run-1")
    assert snapshot(warehouse_url) == before
    # ... and the retry, with the warehouse back, loads the results already checked.
    pipeline.load_batch(results, up, "run-1")
    pipeline.account(up)
    assert_all_ended(warehouse_url, "run-1", files)


# --- an SMTP server that refuses the report ----------------------------------------------


class Mailbox:
    """An aiosmtpd handler: keeps what it accepts, or answers every DATA with ``reply``."""

    def __init__(self, reply: str = "250 OK"):
        self.reply = reply
        self.received: list[bytes] = []

    async def handle_DATA(self, server, session, envelope):
        if self.reply.startswith("250"):
            self.received.append(envelope.content)
        return self.reply


SENDER = """
import json, sys, time
from pathlib import Path
from sqlalchemy import event
from sqlalchemy.engine import Engine
from itaflow import pipeline
from itaflow.settings import Settings

home, url, port, compiled = sys.argv[1:5]
settings = Settings(home=Path(home), warehouse_url=url, reports_out=Path(home) / "reports",
                    expectations_dir=Path("."), smtp_host="127.0.0.1", smtp_port=int(port))

def before_commit(conn):
    # killed after the server took the mail, before the warehouse records it as sent
    if any((settings.outbox / "sent").glob("*.eml")):
        print("SENT_NOT_RECORDED", flush=True)
        time.sleep(600)

event.listen(Engine, "commit", before_commit)
pipeline.send_report(settings, json.loads(compiled))
print("RECORDED", flush=True)
"""


def mail_status(url: str, compiled: dict) -> list[str]:
    history = report_run_history(
        url, compiled["fiscal_year"], compiled["round"], compiled["province"]
    )
    return [h["mail_status"] for h in history]


def test_refused_mail_fails_visibly_and_is_sent_exactly_once(warehouse_url, tmp_path):
    settings = settings_for(
        tmp_path / "home", warehouse_url, mail_to=("office@phuket.example.go.th",)
    )
    pipeline.prepare_warehouse(settings)
    compiled = pipeline.compile_round(settings, 2568, "FY", "ภูเก็ต")

    refusing = Mailbox("550 5.7.1 message refused by policy")
    with smtp_server(refusing) as port, pytest.raises(DeliveryError, match="550"):
        pipeline.send_report(settings.with_(smtp_host="127.0.0.1", smtp_port=port), compiled)
    assert refusing.received == []
    assert mail_status(warehouse_url, compiled) == ["failed"]
    (failed,) = report_run_history(warehouse_url, 2568, "FY", "ภูเก็ต")
    assert "550" in failed["error"]

    mailbox = Mailbox()
    with smtp_server(mailbox) as port:
        working = settings.with_(smtp_host="127.0.0.1", smtp_port=port)
        sent = pipeline.send_report(working, compiled)
        assert sent["status"] == "sent" and len(mailbox.received) == 1
        assert sent["message_id"].encode() in mailbox.received[0]
        assert pipeline.send_report(working, compiled) == {"status": "already_sent"}
        # the compile DAG rerun: a new report run of the same round is not mailed again
        again = pipeline.compile_round(working, 2568, "FY", "ภูเก็ต")
        assert again["report_run_id"] != compiled["report_run_id"]
        assert pipeline.send_report(working, again) == {"status": "already_sent"}
    assert len(mailbox.received) == 1
    assert mail_status(warehouse_url, compiled)[0] == "sent"


def test_worker_killed_between_sending_and_recording_does_not_send_twice(tmp_path):
    home = tmp_path / "home"
    url = f"sqlite:///{home / 'warehouse.db'}"
    settings = settings_for(home, url, mail_to=("office@phuket.example.go.th",))
    pipeline.prepare_warehouse(settings)
    compiled = pipeline.compile_round(settings, 2568, "FY", "ภูเก็ต")
    mailbox = Mailbox()
    with smtp_server(mailbox) as port:
        with child(SENDER, str(home), url, str(port), json.dumps(compiled)) as proc:
            wait_for(proc, "SENT_NOT_RECORDED")
            proc.send_signal(signal.SIGKILL)
            assert proc.wait(timeout=30) == -signal.SIGKILL
        assert len(mailbox.received) == 1
        assert mail_status(url, compiled) == ["pending"]  # the run never recorded the send
        retried = pipeline.send_report(
            settings.with_(smtp_host="127.0.0.1", smtp_port=port), compiled
        )
    assert retried["status"] == "sent" and retried["duplicate"]
    assert len(mailbox.received) == 1
    assert mail_status(url, compiled) == ["sent"]
