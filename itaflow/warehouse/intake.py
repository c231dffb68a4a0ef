"""What intake saw in the inbox, and when: the office's clock, never the sender's.

``observe_inbox`` records the (size, mtime) state of each inbox path and the time
it was first seen in that state. Collect takes a file once its state has held for
the quiet period, and uses that first sighting as the file's arrival time.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, bindparam, select, update
from sqlalchemy.engine import URL

from itaflow.warehouse.db import BANGKOK, engine_for, local_time, write_tx
from itaflow.warehouse.load import _chunks, _select_in, clean
from itaflow.warehouse.schema import inbox_sightings


def observe_inbox(
    engine: Engine | str | URL, states: Sequence[Mapping[str, Any]], now: datetime
) -> dict[str, datetime]:
    """Record each path's ``size``/``mtime_ns`` as seen ``now``; returns, per inbox path,
    when it was first seen in its current state (aware, Asia/Bangkok).

    A path whose state changed since the last scan starts again at ``now``; an
    unchanged path keeps its first sighting. One transaction under the write lock,
    so concurrent collectors agree on the same first sighting.
    """
    wanted = {clean(s["inbox_path"]): (int(s["size"]), int(s["mtime_ns"])) for s in states}
    stamp = local_time(now)
    engine = engine_for(engine)
    with write_tx(engine) as conn:
        have = {
            r.inbox_path: r
            for r in _select_in(
                conn,
                [
                    inbox_sightings.c.inbox_path,
                    inbox_sightings.c.size,
                    inbox_sightings.c.mtime_ns,
                    inbox_sightings.c.seen_at,
                ],
                inbox_sightings.c.inbox_path,
                wanted,
            )
        }
        new = [
            {"inbox_path": p, "size": s, "mtime_ns": m, "seen_at": stamp}
            for p, (s, m) in wanted.items()
            if p not in have
        ]
        changed = [
            {"b_path": p, "size": s, "mtime_ns": m, "seen_at": stamp}
            for p, (s, m) in wanted.items()
            if p in have and (have[p].size, have[p].mtime_ns) != (s, m)
        ]
        for part in _chunks(new):
            conn.execute(inbox_sightings.insert(), list(part))
        if changed:
            conn.execute(
                update(inbox_sightings).where(inbox_sightings.c.inbox_path == bindparam("b_path")),
                changed,
            )
        seen = {p: r.seen_at for p, r in have.items()}
        seen.update({row["inbox_path"]: stamp for row in new})
        seen.update({row["b_path"]: stamp for row in changed})
    return {p: local_time(v).replace(tzinfo=BANGKOK) for p, v in seen.items()}


def sightings(engine: Engine | str | URL) -> list[dict[str, Any]]:
    """Every path intake has seen, with its state and first sighting (for tests and the UI)."""
    engine = engine_for(engine)
    with engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(select(inbox_sightings))]
