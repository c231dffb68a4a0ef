"""itaflow on Airflow's distributed engine: CeleryExecutor, for real, in ``make test``.

The same shape as ``docker-compose.yml`` without Docker: api-server, scheduler,
dag-processor, triggerer and a Celery worker run as processes of this machine,
with its PostgreSQL (one database for Airflow's metadata, one for the warehouse,
both made here and dropped after) and its Redis as the broker. The DAGs are the
repo's ``dags/``; runs are started by collect's schedule, by the asset it updates
and through the REST API (JWT from ``/auth/token``), never by ``dags test``. Tasks share nothing
but the warehouse and the shared folder (``ITAFLOW_SHARED``). Mail goes through
Airflow's ``smtp_default`` connection to an aiosmtpd server of this test.

The failure path: the shared hand-off folder is broken when the files arrive, so
the asset-triggered run's batches fail and every file stays *received*; with the
folder back, a run re-triggered through the REST API finishes the job.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import sys
import time
import uuid
import warnings
from pathlib import Path

import pytest
from airflow_stack import AirflowStack, Api
from pgtools import PG_URL, pg_admin, skip_loudly_without_pg
from smtptools import free_port
from sqlalchemy import create_engine, text

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / "tests" / "fixtures" / "seeds"
REDIS_URL = os.environ.get("ITAFLOW_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
COLLECT, VALIDATE, COMPILE = "itaflow_collect", "itaflow_validate_load", "itaflow_compile_report"
ENDED = ("success", "failed")

pytestmark = pytest.mark.timeout(540)  # < 5 min on a quiet machine; headroom for a busy one


def redis_up() -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=3).ping())
    except redis.RedisError:
        return False


def db_url(name: str, driver: str = "psycopg") -> str:
    base = PG_URL.rsplit("/", 1)[0].replace("postgresql+psycopg", f"postgresql+{driver}")
    return f"{base}/{name}"


@pytest.fixture(scope="module")
def stack(tmp_path_factory, smtp_collector):
    """The five components up, the three DAGs parsed, a logged-in API client."""
    skip_loudly_without_pg("the CeleryExecutor run")
    if not redis_up():
        message = f"Redis NOT REACHABLE at {REDIS_URL}: the CeleryExecutor run SKIPPED"
        warnings.warn(message, stacklevel=1)
        print(f"\n{'!' * 78}\n{message}\n{'!' * 78}", file=sys.stderr)
        pytest.skip(message)
    tag = uuid.uuid4().hex[:10]
    meta_db, warehouse_db = f"itaflow_celery_meta_{tag}", f"itaflow_celery_wh_{tag}"
    root = tmp_path_factory.mktemp("celery")
    home, shared, airflow_home = root / "itaflow", root / "shared", root / "airflow"
    for folder in (home / "inbox", shared, airflow_home / "config"):
        folder.mkdir(parents=True)
    # Tests see a failure at once instead of after the DAGs' retry delays.
    (airflow_home / "config" / "airflow_local_settings.py").write_text(
        "def task_policy(task):\n    task.retries = 0\n"
    )
    password = secrets.token_urlsafe(12)
    passwords = airflow_home / "passwords.json"
    passwords.write_text(json.dumps({"admin": password}))
    port = free_port()
    _, smtp_port = smtp_collector
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("AIRFLOW", "ITAFLOW"))},
        "AIRFLOW_HOME": str(airflow_home),
        "AIRFLOW__CORE__EXECUTOR": "CeleryExecutor",
        "AIRFLOW__CORE__DAGS_FOLDER": str(REPO / "dags"),
        "AIRFLOW__CORE__PLUGINS_FOLDER": str(REPO / "plugins"),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION": "True",
        "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_USERS": "admin:admin",
        "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_PASSWORDS_FILE": str(passwords),
        "AIRFLOW__CORE__EXECUTION_API_SERVER_URL": f"http://127.0.0.1:{port}/execution/",
        "AIRFLOW__API__PORT": str(port),
        "AIRFLOW__API__SECRET_KEY": secrets.token_urlsafe(24),
        "AIRFLOW__API_AUTH__JWT_SECRET": secrets.token_urlsafe(32),
        "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": db_url(meta_db),
        "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN_ASYNC": db_url(meta_db, "psycopg_async"),
        "AIRFLOW__CELERY__BROKER_URL": REDIS_URL,
        "AIRFLOW__CELERY__RESULT_BACKEND": "db+" + db_url(meta_db),
        "AIRFLOW__OPERATORS__DEFAULT_QUEUE": f"itaflow-{tag}",  # no other run's worker takes it
        "AIRFLOW__LOGGING__WORKER_LOG_SERVER_PORT": str(free_port()),
        "AIRFLOW__LOGGING__TRIGGER_LOG_SERVER_PORT": str(free_port()),
        "AIRFLOW__SCHEDULER__ENABLE_HEALTH_CHECK": "False",
        "AIRFLOW_CONN_SMTP_DEFAULT": f"smtp://127.0.0.1:{smtp_port}",
        "GX_ANALYTICS_ENABLED": "False",
        "ITAFLOW_HOME": str(home),
        "ITAFLOW_SHARED": str(shared),
        "ITAFLOW_WAREHOUSE_URL": db_url(warehouse_db),
        "ITAFLOW_REPORTS_OUT": str(shared / "reports"),
        "ITAFLOW_PROVINCE": "นครราชสีมา",
        "ITAFLOW_MAIL_TO": "สำนักงานจังหวัด <office@example.go.th>",
        "ITAFLOW_BATCH_SIZE": "2",
        "ITAFLOW_QUIET_SECONDS": "0",  # files are dropped whole: no quiet period to wait out
    }
    pg_admin(f'CREATE DATABASE "{meta_db}"')
    pg_admin(f'CREATE DATABASE "{warehouse_db}"')
    airflow = AirflowStack(env, root / "logs", port, f"itaflow-{tag}")
    try:
        airflow.airflow("db", "migrate")
        airflow.start()
        api = Api(f"http://127.0.0.1:{port}")
        wait_for(lambda: api.healthy(), 180, "the api-server to answer", airflow)
        api.login("admin", password)
        wait_for(lambda: all(api.has_dag(d) for d in (COLLECT, VALIDATE, COMPILE)), 180,
                 "the dag-processor to parse dags/", airflow)  # fmt: skip
        yield airflow, api, home, shared, env["ITAFLOW_WAREHOUSE_URL"]
    finally:
        airflow.stop()
        for db in (meta_db, warehouse_db):
            pg_admin(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')


def wait_for(ready, seconds: float, what: str, airflow: AirflowStack):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = ready()
        if value:
            return value
        if airflow.dead():
            pytest.fail(f"{airflow.dead()} exited while waiting for {what}\n{airflow.tail()}")
        time.sleep(1)
    pytest.fail(f"timed out after {seconds}s waiting for {what}\n{airflow.tail()}")


def wait_run(api: Api, airflow: AirflowStack, dag_id: str, run_id: str, seconds: float = 240):
    def ended():
        run = next((r for r in api.runs(dag_id) if r["dag_run_id"] == run_id), None)
        return run if run and run["state"] in ENDED else None

    return wait_for(ended, seconds, f"{dag_id} run {run_id} to end", airflow)


def wait_asset_run(api: Api, airflow: AirflowStack, dag_id: str, known: set[str]) -> dict:
    """The next run the asset started (one not in ``known``), once it has ended."""

    def ended():
        new = [r for r in api.runs(dag_id) if r["dag_run_id"] not in known]
        return new[0] if new and new[0]["state"] in ENDED else None

    return wait_for(ended, 240, f"an asset-triggered {dag_id} run", airflow)


def statuses(url: str) -> dict[str, str]:
    engine = create_engine(url)
    with engine.connect() as conn:
        rows = conn.execute(text("select original_name, status from submissions")).all()
    engine.dispose()
    return dict(rows)


def scalar(url: str, sql: str):
    engine = create_engine(url)
    with engine.connect() as conn:
        value = conn.execute(text(sql)).scalar()
    engine.dispose()
    return value


def drop(inbox: Path, *files: Path) -> None:
    for f in files:
        shutil.copy(f, inbox / f.name)
        os.utime(inbox / f.name, (1760000000, 1760000000))  # 2025-10-09, before FY 2568's due date


def first_run(api: Api, airflow: AirflowStack, dag_id: str) -> dict:
    """The DAG's first run once it has ended: the one its schedule makes when unpaused
    (catchup off: the latest cron point), or one triggered through the REST API."""
    api.unpause(dag_id)
    deadline = time.monotonic() + 30
    while not api.runs(dag_id) and time.monotonic() < deadline:
        time.sleep(1)
    if not api.runs(dag_id):
        api.trigger(dag_id, "first")
    run_id = api.runs(dag_id)[0]["dag_run_id"]
    return wait_run(api, airflow, dag_id, run_id)


def test_the_dags_run_on_celery_workers_fail_visibly_and_recover(stack, smtp_collector):
    airflow, api, home, shared, url = stack
    box, _ = smtp_collector
    inbox = home / "inbox"
    started = time.monotonic()

    # 1. Files arrive while the shared hand-off folder is broken. The collect schedule
    #    registers them and its asset starts validate_load: its batches fail at once
    #    (before any reading), nothing is loaded, every file stays received.
    drop(inbox, *sorted(SEEDS.glob("*.txt")))
    (inbox / "broken.docx").write_bytes(b"PK\x03\x04 not really a zip")
    (shared / "work").write_text("a file where the shared work folder should be")
    api.unpause(VALIDATE)
    assert first_run(api, airflow, COLLECT)["state"] == "success"
    failed = wait_asset_run(api, airflow, VALIDATE, set())
    assert failed["run_type"] == "asset_triggered" and failed["state"] == "failed"
    states = {(t, i): s for t, i, s in api.task_states(VALIDATE, failed["dag_run_id"])}
    batches = sorted(i for t, i in states if t == "batch.check_batch")
    assert batches == [0, 1]  # 4 files in batches of 2: a mapped task per batch
    for i in batches:
        assert states[("batch.check_batch", i)] == "failed"
        assert states[("batch.load_batch", i)] == "upstream_failed"
    assert states[("account", -1)] == "failed"  # the planned files did not end
    received = statuses(url)
    assert sorted(received) == sorted(p.name for p in inbox.iterdir())
    assert set(received.values()) == {"received"}
    assert scalar(url, "select count(*) from measures") == 0

    # 2. The folder is back; the run re-triggered through the REST API finishes the job,
    #    both batches checked and loaded by the Celery worker.
    (shared / "work").unlink()
    api.trigger(VALIDATE, "validate-again")
    again = wait_run(api, airflow, VALIDATE, "validate-again")
    assert again["state"] == "success", api.task_states(VALIDATE, "validate-again")
    loaded = statuses(url)
    assert loaded["broken.docx"] == "quarantined"
    assert "received" not in loaded.values() and len(loaded) == 4
    assert scalar(url, "select count(distinct submission_id) from measures") == 3
    # What the check tasks handed to the load tasks sits in the shared folder, one file a
    # batch, named by the run and the batch's ids; nothing under the worker's own home.
    handoffs = sorted(p.name for p in (shared / "work" / "validate-again").glob("*.json"))
    assert len(handoffs) == 2 and handoffs[0] != handoffs[1]
    assert not (home / "work").exists()

    # 3. The provincial report, compiled by a worker and mailed through smtp_default.
    api.unpause(COMPILE)
    conf = {"fiscal_year": 2568, "round": "FY", "province": "นครราชสีมา"}
    api.trigger(COMPILE, "compile-1", conf)
    report = wait_run(api, airflow, COMPILE, "compile-1")
    assert report["state"] == "success", api.task_states(COMPILE, "compile-1")
    # Unpaused, the DAG's schedule also compiles the round that closed last (another
    # fiscal year): exactly one mail is the round asked for.
    (msg,) = [m for m in box.messages if "2568" in m["Subject"]]
    assert "office@example.go.th" in msg["To"]
    pdfs = [p for p in msg.iter_attachments() if p.get_content_type() == "application/pdf"]
    assert len(pdfs) == 1 and pdfs[0].get_content().startswith(b"%PDF")
    assert scalar(url, "select mail_status from report_runs order by id desc limit 1") == "sent"
    assert list((shared / "reports").glob("**/*.pdf"))
    print(f"\nCeleryExecutor scenario: {time.monotonic() - started:.0f} s after start-up")
