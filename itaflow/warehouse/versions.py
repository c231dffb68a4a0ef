"""Versions of an LAO's submissions for a round: the newest is current, earlier ones
point to the next via ``superseded_by`` and stay. Derived from received times only,
so loading batches in any order gives the same versions."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import Connection, bindparam, update

from itaflow.warehouse.bulk import chunks, select_in
from itaflow.warehouse.schema import submissions

Key = tuple[str, int, str]  # (lao_code, fiscal_year, round)


def assign_versions(rows: Iterable[Mapping[str, Any]]) -> dict[int, dict[str, Any]]:
    """Version numbers for the submissions of LAO rounds, from their received times.

    ``rows``: every judged submission of some (lao_code, fiscal_year, round) keys,
    each with id, lao_code, fiscal_year, round, received_at. Returns, per id, the
    version (1 = first), is_current (the newest) and superseded_by (the next one).
    Ties in received time are broken by id, i.e. by registration order.
    """
    groups: dict[Key, list[Mapping[str, Any]]] = defaultdict(list)
    for row in rows:
        groups[(row["lao_code"], row["fiscal_year"], row["round"])].append(row)
    wanted: dict[int, dict[str, Any]] = {}
    for group in groups.values():
        group.sort(key=lambda r: (r["received_at"], r["id"]))
        for i, row in enumerate(group):
            nxt = group[i + 1]["id"] if i + 1 < len(group) else None
            wanted[row["id"]] = {"version": i + 1, "is_current": nxt is None, "superseded_by": nxt}
    return wanted


def unversion(conn: Connection, ids: list[int]) -> int:
    """Submissions that belong to no LAO round (unmatched, unreadable) have no version."""
    changed = 0
    for part in chunks(ids):
        changed += conn.execute(
            update(submissions)
            .where(
                submissions.c.id.in_(part),
                (submissions.c.version.is_not(None))
                | submissions.c.is_current
                | submissions.c.superseded_by.is_not(None),
            )
            .values(version=None, is_current=False, superseded_by=None)
        ).rowcount
    return changed


def reversion(conn: Connection, keys: set[tuple[Any, Any, Any]]) -> int:
    """Re-derive versions for the given keys; writes only the rows that change."""
    keys = {k for k in keys if all(v is not None for v in k)}
    if not keys:
        return 0
    columns = [
        submissions.c.id,
        submissions.c.lao_code,
        submissions.c.fiscal_year,
        submissions.c.round,
        submissions.c.received_at,
        submissions.c.version,
        submissions.c.is_current,
        submissions.c.superseded_by,
        submissions.c.status,
    ]
    rows = [
        r._mapping
        for r in select_in(conn, columns, submissions.c.lao_code, {k[0] for k in keys})
        if (r.lao_code, r.fiscal_year, r.round) in keys and r.status != "received"
    ]
    wanted = assign_versions(rows)
    changes = [
        {"b_id": r["id"], **wanted[r["id"]]}
        for r in rows
        if (r["version"], bool(r["is_current"]), r["superseded_by"])
        != tuple(wanted[r["id"]].values())
    ]
    if changes:
        conn.execute(update(submissions).where(submissions.c.id == bindparam("b_id")), changes)
    return len(changes)
