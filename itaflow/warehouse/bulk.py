"""Plumbing every writer shares: values as the databases store them, and rows in bulk.

Writers build plain rows here (text cleaned, JSON serialised once, timestamps and
dates as the stored text) and insert them with ``insert_rows``: COPY on PostgreSQL,
the driver's executemany on SQLite. ``select_in`` reads rows by key in chunks that
stay under both engines' bound-parameter limits.
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Table, select

from itaflow.models import Finding
from itaflow.warehouse.db import as_date

# Rows per IN (...) list: well under SQLite's and PostgreSQL's bound-parameter limits.
CHUNK = 900


class LoadError(ValueError):
    """A batch the warehouse must refuse whole (nothing was written)."""


def chunks(items: Sequence[Any], size: int = CHUNK) -> Iterator[Sequence[Any]]:
    """``items`` in slices of at most ``size``."""
    for start in range(0, len(items), size):
        yield items[start : start + size]


_BAD_TEXT = re.compile("[\x00\ud800-\udfff]")
_JSON = json.JSONEncoder(ensure_ascii=False, default=str).encode


def _fix_char(match: re.Match[str]) -> str:
    return "" if match.group() == "\x00" else "\ufffd"


def clean(value: Any) -> Any:
    """Text as the databases accept it: no NUL (PostgreSQL refuses it in text and
    JSON) and no lone surrogates (not encodable as UTF-8; they become U+FFFD).
    Submissions can hold anything, and one odd character must not fail a batch."""
    if isinstance(value, str):
        return value if _BAD_TEXT.search(value) is None else _BAD_TEXT.sub(_fix_char, value)
    if isinstance(value, list | tuple):
        return [clean(v) for v in value]
    if isinstance(value, dict):
        return {clean(str(k)): clean(v) for k, v in value.items()}
    return value


def json_text(value: Any) -> str:
    """A JSON column value, serialised once here for both bulk paths (Thai kept readable).

    The encoder escapes NUL as ``\\u0000`` and passes lone surrogates through, so one
    look at the encoded text tells whether the (rare) cleaning pass is needed."""
    text = _JSON(value)
    if "\\u0000" in text or _BAD_TEXT.search(text):
        text = _JSON(clean(value))
    return text


def stored_time(value: datetime | None) -> str | None:
    """A timestamp as SQLAlchemy stores it on SQLite (PostgreSQL parses the same text)."""
    return value.strftime("%Y-%m-%d %H:%M:%S.%f") if value else None


def stored_day(value: Any) -> str | None:
    """A date (or date-like text) as ISO text, None when there is none."""
    day = as_date(value)
    return day.isoformat() if day else None


def as_dict(item: Any) -> dict[str, Any]:
    """A dataclass or a mapping as a plain dict (callers pass either)."""
    if dataclasses.is_dataclass(item) and not isinstance(item, type):
        return dataclasses.asdict(item)
    return dict(item)


def finding_row(
    submission_id: int, finding: Finding, receipt_id: int | None = None
) -> dict[str, Any]:
    """A ``findings`` row; ``receipt_id`` only for a finding about one receipt (a duplicate)."""
    return {
        "submission_id": submission_id,
        "receipt_id": receipt_id,
        "measure_seq": finding.measure_seq,
        "check_id": clean(finding.check),
        "severity": finding.severity,
        "field": clean(finding.field),
        "message": clean(finding.message),
    }


def select_in(
    conn: Connection, columns: list[Any], key_column: Any, keys: Iterable[Any]
) -> list[Any]:
    """``columns`` of the rows whose ``key_column`` is one of ``keys``, read in chunks."""
    keys = sorted(set(keys))
    rows: list[Any] = []
    for part in chunks(keys):
        rows.extend(conn.execute(select(*columns).where(key_column.in_(part))).all())
    return rows


def insert_rows(conn: Connection, table: Table, rows: list[dict[str, Any]]) -> None:
    """Bulk insert of rows whose values are already what the database stores (JSON as
    text, timestamps via ``stored_time``, dates as ISO): COPY on PostgreSQL, the
    driver's executemany on SQLite. Skipping SQLAlchemy's per-value processing is what
    makes a national round (160,000 measures) load in seconds."""
    if not rows:
        return
    columns = list(rows[0])
    tuples = [tuple(row.values()) for row in rows]
    dbapi = conn.connection.driver_connection
    if conn.dialect.name == "postgresql":
        from psycopg.copy import QueuedLibpqWriter

        statement = f"COPY {table.name} ({', '.join(columns)}) FROM STDIN"
        # A writer thread sends while Python formats the next rows (2 cores).
        with dbapi.cursor() as cur, cur.copy(statement, writer=QueuedLibpqWriter(cur)) as copy:
            for row in tuples:
                copy.write_row(row)
        return
    marks = ", ".join("?" for _ in columns)
    cur = dbapi.cursor()
    try:
        cur.executemany(f"INSERT INTO {table.name} ({', '.join(columns)}) VALUES ({marks})", tuples)
    finally:
        cur.close()
