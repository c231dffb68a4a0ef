"""Engines, transactions and SQL files: the only place that knows database dialects.

SQLite is the embedded default (one file, WAL so the Airflow UI can read while a
load writes); PostgreSQL is production. Both get the same behaviour from here:
foreign keys enforced, writers that wait instead of failing, JSON stored as
readable UTF-8, and timestamps kept in the office's local time (Asia/Bangkok).
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta, timezone
from functools import cache
from pathlib import Path

from sqlalchemy import Connection, Engine, TextClause, create_engine, event, make_url, text
from sqlalchemy.engine import URL

SQL_DIR = Path(__file__).with_name("sql")

# Thailand has one fixed offset and no daylight saving, so no tz database is needed.
BANGKOK = timezone(timedelta(hours=7), "Asia/Bangkok")

# One advisory lock serialises writers on PostgreSQL (SQLite has one writer anyway),
# so two mapped load tasks never interleave versioning of the same LAO.
WRITE_LOCK_KEY = 0x17AF10  # "itaflow"

SQLITE_BUSY_MS = 60_000


def _json_dumps(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, default=str)


def engine_for(url: str | URL | Engine) -> Engine:
    """The engine for a warehouse URL (an Engine is returned as is).

    SQLite: the parent folder is created, WAL journal, foreign keys on, a busy
    timeout, and transactions begun by us (``BEGIN`` / ``BEGIN IMMEDIATE`` for
    writers) instead of by the driver, so DDL is transactional and two writers
    queue instead of deadlocking. PostgreSQL: a connect timeout so a server that
    is down fails the task quickly and visibly.

    One engine (and connection pool) per URL and process: the pipeline passes URLs
    around, and a load of many batches should not reconnect for each. Keyed by
    process id, so a child forked by Airflow's task runner never reuses its
    parent's connections; pre-ping replaces connections a restarted server dropped.
    """
    if isinstance(url, Engine):
        return url
    parsed = make_url(url)
    key = (os.getpid(), parsed.render_as_string(hide_password=False))
    with _ENGINES_LOCK:
        engine = _ENGINES.get(key)
        if engine is None:
            engine = _ENGINES[key] = _new_engine(parsed)
    return engine


_ENGINES: dict[tuple[int, str], Engine] = {}
_ENGINES_LOCK = threading.Lock()


def _new_engine(url: URL) -> Engine:
    if url.get_backend_name() == "sqlite":
        return _sqlite_engine(url)
    connect_args = {} if "connect_timeout" in url.query else {"connect_timeout": 10}
    return create_engine(
        url, pool_pre_ping=True, json_serializer=_json_dumps, connect_args=connect_args
    )


def _sqlite_engine(url: URL) -> Engine:
    if url.database and url.database != ":memory:" and not url.database.startswith("file:"):
        Path(url.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(
        url,
        json_serializer=_json_dumps,
        connect_args={"timeout": SQLITE_BUSY_MS / 1000},
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record) -> None:  # type: ignore[no-untyped-def]
        dbapi_conn.isolation_level = None  # we emit BEGIN ourselves (see _on_begin)
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_MS}")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.execute("PRAGMA cache_size=-65536")  # 64 MB: big loads spill less to the WAL
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        immediate = conn.get_execution_options().get("itaflow_write", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


@contextmanager
def write_tx(engine: Engine) -> Iterator[Connection]:
    """One write transaction: committed on success, rolled back on any error.

    Takes the warehouse write lock first (PostgreSQL advisory lock; SQLite
    ``BEGIN IMMEDIATE``), so concurrent loads run one after the other.
    """
    with engine.connect().execution_options(itaflow_write=True) as conn, conn.begin():
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": WRITE_LOCK_KEY})
        yield conn


@contextmanager
def read_tx(engine: Engine) -> Iterator[Connection]:
    """One read transaction, so every query of a read sees the same snapshot.

    It ends in a rollback, never a commit: a read has nothing to keep, and whatever a
    bug might write inside one is undone."""
    with engine.connect() as conn:
        if conn.dialect.name == "postgresql":
            conn.execution_options(isolation_level="REPEATABLE READ")
        with conn.begin() as tx:
            yield conn
            tx.rollback()


@cache
def sql_file(name: str) -> TextClause:
    """A statement from ``itaflow/warehouse/sql`` (also readable as ``sql/`` at the repo root)."""
    return text((SQL_DIR / name).read_text(encoding="utf-8"))


def local_time(value: str | datetime | None) -> datetime | None:
    """A timestamp as naive Asia/Bangkok local time, the way the warehouse stores it.

    Naive input is taken as already local; aware input (e.g. collect's UTC mtimes)
    is converted, so a file that lands at 01:00 on 1 May Bangkok time is late for a
    30 April deadline on every engine.
    """
    if value is None:
        return None
    dt = datetime.fromisoformat(value) if isinstance(value, str) else value
    if dt.tzinfo is not None:
        dt = dt.astimezone(BANGKOK).replace(tzinfo=None)
    return dt


def iso_local(value: datetime | str | None) -> str | None:
    """A stored local timestamp as ISO 8601 with the +07:00 offset (None stays None)."""
    dt = local_time(value)
    return dt.replace(tzinfo=BANGKOK).isoformat(timespec="seconds") if dt else None


def as_date(value: date | str | None) -> date | None:
    """A DATE column value as ``date`` (SQLite text views return strings)."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(value[:10])
