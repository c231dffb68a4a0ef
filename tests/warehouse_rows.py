"""The warehouse's rows as plain data: what a test registers, and before/after comparisons."""

from __future__ import annotations

import hashlib

from sqlalchemy import select

from itaflow.warehouse import engine_for
from itaflow.warehouse.schema import findings, measures, metadata, receipts, submissions


def snapshot(url: str) -> dict[str, list]:
    """Every row of the tables a load writes, without the surrogate ids of replaced rows
    (measures and findings are replaced on a reload)."""
    out = {}
    with engine_for(url).connect() as conn:
        for table in (submissions, receipts, measures, findings):
            cols = [
                c for c in table.columns if not (c.name == "id" and table in (measures, findings))
            ]
            out[table.name] = sorted(tuple(map(str, r)) for r in conn.execute(select(*cols)))
    return out


def every_row(url: str) -> dict[str, list[str]]:
    """Every row of every warehouse table, for proving that something wrote nothing."""
    with engine_for(url).connect() as conn:
        return {
            t.name: sorted(repr(tuple(r)) for r in conn.execute(select(t)))
            for t in metadata.sorted_tables
        }


def received(name: str, content: str, at: str, path: str | None = None, **extra) -> dict:
    """A file as collect registers it (``register_received``), its bytes ``content``."""
    data = content.encode()
    sha = hashlib.sha256(data).hexdigest()
    return {
        "sha256": sha,
        "size": len(data),
        "original_name": name,
        "inbox_path": path or name,
        "stored_path": f"/store/{sha[:2]}/{sha}.bin",
        "received_at": at,
        **extra,
    }
