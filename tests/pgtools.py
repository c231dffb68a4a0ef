"""PostgreSQL for the tests: one place that knows the URL, probes the server and makes
throw-away schemas, so every test file runs the same way on SQLite and PostgreSQL.

PostgreSQL tests may skip only when no server is reachable, and then say so loudly.
"""

from __future__ import annotations

import os
import sys
import uuid
import warnings
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import create_engine, text

PG_URL = os.environ.get("ITAFLOW_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def pg_problem() -> str | None:
    """Why PostgreSQL cannot be used (first line of the error), or None when it can."""
    try:
        engine = create_engine(PG_URL, connect_args={"connect_timeout": 3})
        with engine.connect():
            pass
        engine.dispose()
        return None
    except Exception as exc:  # any failure to connect means: no server for these tests
        return f"{type(exc).__name__}: {exc}".splitlines()[0]


def skip_loudly_without_pg(what: str) -> None:
    problem = pg_problem()
    if problem:
        message = f"PostgreSQL NOT REACHABLE at {PG_URL} ({problem}): {what} SKIPPED"
        warnings.warn(message, stacklevel=2)
        print(f"\n{'!' * 78}\n{message}\n{'!' * 78}", file=sys.stderr)
        pytest.skip(message)


def pg_admin(sql: str) -> None:
    engine = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(sql))
    engine.dispose()


def schema_url(schema: str) -> str:
    """The test database URL with ``schema`` first on the search path."""
    sep = "&" if "?" in PG_URL else "?"
    return f"{PG_URL}{sep}options=-csearch_path%3D{schema}"


@contextmanager
def fresh_schema(prefix: str, what: str) -> Iterator[str]:
    """An empty schema of its own (dropped afterwards), or a loud skip without a server."""
    skip_loudly_without_pg(what)
    schema = f"{prefix}_{uuid.uuid4().hex[:10]}"
    pg_admin(f'CREATE SCHEMA "{schema}"')
    try:
        yield schema_url(schema)
    finally:
        pg_admin(f'DROP SCHEMA "{schema}" CASCADE')
