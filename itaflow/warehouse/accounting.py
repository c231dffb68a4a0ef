"""Where the files received by each run ended: the accounting the validate DAG logs
and the tests balance. Read-only."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine
from sqlalchemy.engine import URL

from itaflow.warehouse.db import engine_for, iso_local, read_tx, sql_file

# The states a received file can end in (issue 6: every file ends in exactly one).
ENDED = ("accepted", "accepted_with_warnings", "rejected", "quarantined")


def accounting(engine: Engine | str | URL, run_id: str | None = None) -> list[dict[str, Any]]:
    """Where the files received by each run ended (one run with ``run_id``), oldest first.

    Per run: received, accepted, accepted_with_warnings, rejected (duplicates
    included: the same bytes again end rejected), quarantined, duplicates, and
    pending (received, not judged yet), ``complete`` (nothing pending) and
    ``balanced``: received = accepted + accepted_with_warnings + rejected +
    quarantined, which holds exactly when every file of the run has ended.
    """
    with read_tx(engine_for(engine)) as conn:
        rows = conn.execute(sql_file("accounting.sql"), {"run_id": run_id}).mappings().all()
    result = []
    for r in rows:
        item = {
            k: (int(v) if k not in ("run_id", "first_received_at") else v) for k, v in r.items()
        }
        item["first_received_at"] = iso_local(r["first_received_at"])
        item["complete"] = item["pending"] == 0
        item["balanced"] = item["received"] == sum(item[k] for k in ENDED)
        result.append(item)
    return result
