"""Files a collect run found in the inbox: receipts, the submissions they create, and
the findings decided at registration (a duplicate, a file that cannot be taken).

One transaction under the warehouse write lock per run, with the arrival times the
caller gives (never ``now()``): re-running the same run writes nothing.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, select
from sqlalchemy.engine import URL

from itaflow.warehouse.bulk import (
    as_dict,
    clean,
    finding_row,
    insert_rows,
    select_in,
    stored_time,
)
from itaflow.warehouse.db import engine_for, iso_local, local_time, write_tx
from itaflow.warehouse.schema import findings, receipts, submissions

log = logging.getLogger(__name__)


def register_received(
    engine: Engine | str | URL,
    files: Sequence[Mapping[str, Any] | Any],
    run_id: str,
    *,
    expectations_dir: Path | None = None,
) -> list[dict[str, Any]]:
    """Record the files a run found in the inbox; returns one outcome per file, in order.

    ``files`` are ``itaflow.collect.ReceivedFile`` objects or dicts with ``sha256,
    size, original_name, inbox_path, stored_path, received_at`` (optional
    ``format``, ``problem``, ``claimed_at``, ``arrival_source``). ``received_at`` is the
    arrival time intake recorded (or a gateway's manifest), never the file's mtime:
    that one is ``claimed_at``, kept and shown but never used for lateness or versions.
    Each result is ``{sha256, inbox_path, submission_id, receipt_id, outcome}`` where
    ``outcome`` is:

    - ``new``: first time these bytes were received: a submission, status ``received``
      (or ``quarantined`` at once when the file has a ``problem``, e.g. a link out of
      the inbox: it gets an ``unreadable_file`` finding and is never read);
    - ``duplicate``: the bytes were already a submission: the receipt ends rejected
      with a ``duplicate_submission`` finding, no second submission;
    - ``seen``: this path with these bytes was registered by an earlier run (the inbox
      is never emptied): nothing new is recorded.

    The findings take their id, severity and wording from the suites in
    ``expectations_dir`` (default: the packaged ``expectations/``). Re-running the
    same ``run_id`` returns the same outcomes and writes nothing.
    """
    items = [as_dict(f) for f in files]
    engine = engine_for(engine)
    with write_tx(engine) as conn:
        shas = {f["sha256"] for f in items}
        known = _submissions_by_sha(conn, shas)
        seen = {
            (r.inbox_path, r.sha256): r
            for r in select_in(
                conn,
                [
                    receipts.c.id,
                    receipts.c.run_id,
                    receipts.c.inbox_path,
                    receipts.c.sha256,
                    receipts.c.is_duplicate,
                ],
                receipts.c.sha256,
                shas,
            )
        }
        order = sorted(
            range(len(items)),
            key=lambda i: (local_time(items[i]["received_at"]), items[i]["inbox_path"]),
        )
        new_subs: dict[str, dict[str, Any]] = {}
        new_receipts: dict[tuple[str, str], dict[str, Any]] = {}
        for i in order:
            f = items[i]
            key = (clean(f["inbox_path"]), f["sha256"])
            if key in seen or key in new_receipts:
                continue
            is_duplicate = f["sha256"] in known or f["sha256"] in new_subs
            if not is_duplicate:
                new_subs[f["sha256"]] = _submission_row(f, run_id)
            new_receipts[key] = {
                "run_id": run_id,
                "inbox_path": key[0],
                "original_name": clean(f["original_name"]),
                "sha256": f["sha256"],
                "size": f["size"],
                "received_at": stored_time(local_time(f["received_at"])),
                "is_duplicate": is_duplicate,
                **_arrival_fields(f),
            }
        if new_subs:
            insert_rows(conn, submissions, list(new_subs.values()))
            known = _submissions_by_sha(conn, shas)
        ids: dict[tuple[str, str], int] = {}
        if new_receipts:
            rows = [{**r, "submission_id": known[r["sha256"]].id} for r in new_receipts.values()]
            insert_rows(conn, receipts, rows)
            ids = {
                (r.inbox_path, r.sha256): r.id
                for r in conn.execute(
                    select(receipts.c.id, receipts.c.inbox_path, receipts.c.sha256).where(
                        receipts.c.run_id == run_id
                    )
                )
            }
            found = _registration_findings(new_receipts, new_subs, known, ids, expectations_dir)
            insert_rows(conn, findings, found)
        results = []
        for f in items:
            key = (clean(f["inbox_path"]), f["sha256"])
            sub = known[f["sha256"]]
            if key in new_receipts:
                outcome = "duplicate" if new_receipts[key]["is_duplicate"] else "new"
                receipt_id = ids[key]
            else:
                earlier = seen[key]
                receipt_id = earlier.id
                if earlier.run_id != run_id:
                    outcome = "seen"
                else:
                    outcome = "duplicate" if earlier.is_duplicate else "new"
            results.append(
                {
                    "sha256": f["sha256"],
                    "inbox_path": key[0],
                    "submission_id": sub.id,
                    "receipt_id": receipt_id,
                    "outcome": outcome,
                }
            )
    counts = Counter(r["outcome"] for r in results)
    log.info("run %s: %s", run_id, dict(counts))
    return results


def _submissions_by_sha(conn: Connection, shas: Iterable[str]) -> dict[str, Any]:
    columns = [
        submissions.c.id,
        submissions.c.sha256,
        submissions.c.original_name,
        submissions.c.received_at,
    ]
    return {r.sha256: r for r in select_in(conn, columns, submissions.c.sha256, shas)}


def _submission_row(f: dict[str, Any], run_id: str) -> dict[str, Any]:
    problem = f.get("problem")
    return {
        "sha256": f["sha256"],
        "size": f["size"],
        "format": clean(f.get("format")),
        "original_name": clean(f["original_name"]),
        "inbox_path": clean(f["inbox_path"]),
        "stored_path": clean(f.get("stored_path") or ""),
        "received_at": stored_time(local_time(f["received_at"])),
        "run_id": run_id,
        "status": "quarantined" if problem else "received",
        "verdict": "rejected" if problem else None,
        "reason": clean(problem),
        "is_current": False,
        "loaded_run_id": run_id if problem else None,
        **_arrival_fields(f),
    }


def _arrival_fields(f: Mapping[str, Any]) -> dict[str, Any]:
    """The sender's claimed time (the file's mtime) and where the arrival time came from."""
    return {
        "claimed_at": stored_time(local_time(f.get("claimed_at"))),
        "arrival_source": f.get("arrival_source") or "intake",
    }


def _registration_findings(
    new_receipts: dict[tuple[str, str], dict[str, Any]],
    new_subs: dict[str, dict[str, Any]],
    known: dict[str, Any],
    receipt_ids: dict[tuple[str, str], int],
    expectations_dir: Path | None,
) -> list[dict[str, Any]]:
    """``duplicate_submission`` per duplicate receipt (worded from the submission it
    repeats); ``unreadable_file`` per file with a problem (collect's reason is the message)."""
    duplicates = [(key, r) for key, r in new_receipts.items() if r["is_duplicate"]]
    problems = [(sha, sub["reason"]) for sha, sub in new_subs.items() if sub["reason"]]
    if not duplicates and not problems:
        return []
    from itaflow import resources
    from itaflow.checks.suites import rule_metas, stage_finding

    rules = rule_metas(expectations_dir or resources.expectations_dir())
    rows = []
    for key, r in duplicates:
        first = known[r["sha256"]]
        values = {
            "submission_id": first.id,
            "original_name": first.original_name,
            "received_at": iso_local(first.received_at),
        }
        found = stage_finding(rules, "duplicate_submission", values)
        rows.append(finding_row(first.id, found, receipt_ids[key]))
    for sha, reason in problems:
        found = stage_finding(rules, "unreadable_file", reason=reason)
        rows.append(finding_row(known[sha].id, found))
    return rows
