"""Submissions waiting to be judged, as the validate DAG reads them. Read-only."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.engine import URL

from itaflow.warehouse.bulk import select_in
from itaflow.warehouse.db import engine_for, iso_local, read_tx
from itaflow.warehouse.schema import submissions

_FILE_COLUMNS = [
    submissions.c.id,
    submissions.c.sha256,
    submissions.c.size,
    submissions.c.format,
    submissions.c.original_name,
    submissions.c.inbox_path,
    submissions.c.stored_path,
    submissions.c.received_at,
    submissions.c.run_id,
    submissions.c.status,
]


def _file_info(row: Any) -> dict[str, Any]:
    info = dict(row._mapping)
    info["received_at"] = iso_local(info["received_at"])
    return info


def pending_submissions(
    engine: Engine | str | URL, limit: int | None = None
) -> list[dict[str, Any]]:
    """Submissions received but not yet judged, oldest first (what the validate DAG reads).

    A run killed before loading leaves its submissions here, so the next run
    picks them up. Each item: id, sha256, size, format, original_name,
    inbox_path, stored_path (the kept original), received_at (ISO, +07:00),
    run_id, status.
    """
    query = (
        select(*_FILE_COLUMNS)
        .where(submissions.c.status == "received")
        .order_by(submissions.c.received_at, submissions.c.id)
        .limit(limit)
    )
    with read_tx(engine_for(engine)) as conn:
        return [_file_info(r) for r in conn.execute(query)]


def get_submissions(engine: Engine | str | URL, ids: Sequence[int]) -> list[dict[str, Any]]:
    """The same information as ``pending_submissions`` for given ids, whatever their status
    (a retried check task must find its batch even after a load went through)."""
    with read_tx(engine_for(engine)) as conn:
        rows = select_in(conn, _FILE_COLUMNS, submissions.c.id, ids)
    by_id = {r.id: _file_info(r) for r in rows}
    return [by_id[i] for i in ids if i in by_id]
