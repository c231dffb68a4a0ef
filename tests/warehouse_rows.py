"""The warehouse's rows as plain data, for before/after comparisons in tests."""

from __future__ import annotations

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
