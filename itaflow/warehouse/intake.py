"""What intake saw in the inbox, and when: the office's clock, never the sender's.

``observe_inbox`` records the (size, mtime) state of each inbox path and the time
it was first seen in that state. Collect takes a file once its state has held for
the quiet period, and uses that first sighting as the file's arrival time.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, bindparam, update
from sqlalchemy.engine import URL

from itaflow.warehouse.bulk import chunks, clean, select_in
from itaflow.warehouse.db import BANGKOK, engine_for, local_time, write_tx
from itaflow.warehouse.schema import inbox_sightings


def observe_inbox(
    engine: Engine | str | URL, states: Sequence[Mapping[str, Any]], now: datetime
) -> dict[str, tuple[datetime, str | None]]:
    """Record each path's ``size``/``mtime_ns``/``ctime_ns`` as seen ``now``; returns, per
    inbox path, when it was first seen in its current state (aware, Asia/Bangkok) and
    the hash registered for that very state (None when it changed or was never taken).

    A path whose state changed since the last scan starts again at ``now``; an
    unchanged path keeps its first sighting. One transaction under the write lock,
    so concurrent collectors agree on the same first sighting.
    """
    wanted = {
        clean(s["inbox_path"]): (int(s["size"]), int(s["mtime_ns"]), int(s.get("ctime_ns") or 0))
        for s in states
    }
    stamp = local_time(now)
    c = inbox_sightings.c
    engine = engine_for(engine)
    with write_tx(engine) as conn:
        have = {
            r.inbox_path: r
            for r in select_in(
                conn,
                [c.inbox_path, c.size, c.mtime_ns, c.ctime_ns, c.seen_at, c.sha256],
                c.inbox_path,
                wanted,
            )
        }

        def same(p: str) -> bool:
            r = have[p]
            return (r.size, r.mtime_ns, r.ctime_ns or 0) == wanted[p]

        fresh = [
            {"inbox_path": p, "size": s, "mtime_ns": m, "ctime_ns": ct, "seen_at": stamp}
            for p, (s, m, ct) in wanted.items()
            if p not in have
        ]
        changed = [
            {
                "b_path": p,
                "size": s,
                "mtime_ns": m,
                "ctime_ns": ct,
                "seen_at": stamp,
                "sha256": None,
            }
            for p, (s, m, ct) in wanted.items()
            if p in have and not same(p)
        ]
        for part in chunks(fresh):
            conn.execute(inbox_sightings.insert(), list(part))
        if changed:
            conn.execute(
                update(inbox_sightings).where(c.inbox_path == bindparam("b_path")), changed
            )
        seen = {p: (r.seen_at, r.sha256) for p, r in have.items()}
        seen.update({row["inbox_path"]: (stamp, None) for row in fresh})
        seen.update({row["b_path"]: (stamp, None) for row in changed})
    return {p: (local_time(at).replace(tzinfo=BANGKOK), sha) for p, (at, sha) in seen.items()}


def remember_hashes(engine: Engine | str | URL, taken: Sequence[Mapping[str, Any]]) -> None:
    """After registration: the hash of each taken file, kept with the state it was read
    in (``inbox_path, size, mtime_ns, ctime_ns, sha256``), so the next scan skips it."""
    if not taken:
        return
    c = inbox_sightings.c
    engine = engine_for(engine)
    with write_tx(engine) as conn:
        conn.execute(
            update(inbox_sightings)
            .where(
                c.inbox_path == bindparam("b_path"),
                c.size == bindparam("b_size"),
                c.mtime_ns == bindparam("b_mtime"),
                c.ctime_ns == bindparam("b_ctime"),
            )
            .values(sha256=bindparam("b_sha")),
            [
                {
                    "b_path": clean(t["inbox_path"]),
                    "b_size": int(t["size"]),
                    "b_mtime": int(t["mtime_ns"]),
                    "b_ctime": int(t.get("ctime_ns") or 0),
                    "b_sha": t["sha256"],
                }
                for t in taken
            ],
        )
