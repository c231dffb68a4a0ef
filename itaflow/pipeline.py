"""The pipeline's stages as functions of (settings, plain data), one per DAG task.

The DAG files only wire these together; everything here runs and is tested
without Airflow. Big data moves between tasks through the warehouse or as files
under ``settings.work`` in the shared folder every worker reaches (``ITAFLOW_SHARED``);
a task hands the next one a key relative to that folder, never a path on its own
disk. The functions return small JSON-able summaries (Airflow XComs).
"""

from __future__ import annotations

import logging
import re
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from itaflow.report_job import choose_round, compile_round, data_docs_pages, send_report
from itaflow.settings import Settings

# The report tasks live in ``report_job``; named here too so that this module stays
# the one list of what the DAG tasks call.
__all__ = [
    "account",
    "attribute_unreadable",
    "build_data_docs",
    "check_batch",
    "choose_round",
    "collect",
    "compile_round",
    "data_docs_pages",
    "handoff_path",
    "load_batch",
    "new_run_id",
    "plan_batches",
    "prepare_warehouse",
    "send_report",
]

log = logging.getLogger(__name__)


def _safe(run_id: str) -> str:
    """A run id as a folder name (Airflow run ids hold ':' and '+')."""
    return re.sub(r"[^0-9A-Za-z._-]+", "_", run_id)[:120] or "run"


def new_run_id(run_id: str | None) -> str:
    """The given run id, or one unique even for two processes started the same second."""
    if run_id:
        return run_id
    import os
    import uuid

    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S.%f")
    return f"cli__{stamp}_{os.getpid()}_{uuid.uuid4().hex[:8]}"


def prepare_warehouse(settings: Settings) -> str:
    """Migrate the warehouse to head and sync the LAO registry (idempotent)."""
    from itaflow.warehouse import upgrade

    return upgrade(settings.warehouse_url)


def collect(settings: Settings, run_id: str | None = None) -> dict[str, Any]:
    """Take every quiet inbox entry, register what is new; returns counts by outcome.

    Each entry's (size, mtime) is recorded with the time intake first saw it. A file
    is taken when that state has held for ``settings.quiet_seconds`` (two scans), or
    at once when a ``.done`` marker or the gateway's manifest vouches for it; the rest
    wait for the next run and are listed under ``waiting``. The arrival time is the
    manifest's, else that first sighting: the file's mtime is kept only as claimed.
    A file already registered in the same (size, mtime, ctime) state is not read again.
    """
    from dataclasses import replace
    from datetime import timedelta

    from itaflow.collect import collect_entry, is_marked_done, read_manifests, walk_inbox
    from itaflow.store import ChangedWhileReading, StoreUnavailable
    from itaflow.warehouse import register_received
    from itaflow.warehouse.intake import observe_inbox, remember_hashes

    run_id = new_run_id(run_id)
    now = datetime.now(UTC)
    entries = walk_inbox(settings.inbox, settings.collect_max_depth)
    trusted = read_manifests(settings.intake_dir, settings.inbox)
    states = [
        {"inbox_path": e.rel, "size": e.size, "mtime_ns": e.mtime_ns, "ctime_ns": e.ctime_ns}
        for e in entries
    ]
    first_seen = observe_inbox(settings.warehouse_url, states, now)
    # From the clock after the sightings are written: another collector may have
    # written this state's first sighting after our ``now``.
    quiet_since = datetime.now(UTC) - timedelta(seconds=settings.quiet_seconds)
    files, waiting, unchanged, taken = [], [], 0, []
    for entry, state in zip(entries, states, strict=True):
        seen_at, known_sha = first_seen[entry.rel]
        if entry.kind == "file" and known_sha:
            unchanged += 1  # registered in this very state by an earlier run: not read again
            continue
        vouched = entry.rel in trusted or is_marked_done(entry)
        if entry.kind in ("file", "link") and not vouched and seen_at > quiet_since:
            waiting.append(entry.rel)
            continue
        try:
            received = collect_entry(
                entry,
                settings.inbox,
                settings.store,
                seen_at.isoformat(timespec="seconds"),
                max_bytes=settings.limits.max_file_bytes,
                max_depth=settings.collect_max_depth,
            )
        except ChangedWhileReading:
            waiting.append(entry.rel)
            continue
        except StoreUnavailable as exc:
            log.error("the store cannot take %s, it waits for the next run: %s", entry.rel, exc)
            waiting.append(entry.rel)
            continue
        record = trusted.get(entry.rel)
        if record and not received.problem and record["sha256"] in (None, received.sha256):
            received = replace(
                received, received_at=record["received_at"], arrival_source="manifest"
            )
        files.append(received)
        if entry.kind == "file" and not received.problem:
            taken.append({**state, "sha256": received.sha256})
    outcomes = register_received(
        settings.warehouse_url,
        [asdict(f) for f in files],
        run_id,
        expectations_dir=settings.expectations_dir,
    )
    remember_hashes(settings.warehouse_url, taken)
    counts = {"seen": unchanged, "new": 0, "duplicate": 0}
    for o in outcomes:
        counts[o["outcome"]] = counts.get(o["outcome"], 0) + 1
    if waiting:
        log.info("%d files not yet quiet, waiting for the next run: %s", len(waiting), waiting[:20])
    return {
        "run_id": run_id,
        "files": len(files) + unchanged,
        **counts,
        "waiting": len(waiting),
        "waiting_files": waiting[:50],
    }


def plan_batches(settings: Settings) -> list[list[int]]:
    """Split pending submissions into batches of ``settings.batch_size`` ids."""
    from itaflow.warehouse import pending_submissions

    ids = [s["id"] for s in pending_submissions(settings.warehouse_url)]
    size = max(1, settings.batch_size)
    return [ids[i : i + size] for i in range(0, len(ids), size)]


def handoff_path(key: str, settings: Settings) -> Path:
    """The file behind a hand-off key, inside this worker's ``settings.work``; refuses a key
    that leaves it (an absolute path from another host, ``..``)."""
    root = settings.work.resolve()
    path = (root / key).resolve()
    if not path.is_relative_to(root):
        raise ValueError(f"hand-off {key!r} is not inside the shared work folder {root}")
    return path


def check_batch(submission_ids: list[int], settings: Settings, run_id: str | None = None) -> str:
    """Read, extract and check one batch on the worker pool; write the records to the
    shared folder and return their key (relative to ``settings.work``) for ``load_batch``.

    The key names the run and the batch's first and last id, and batches never share an
    id, so mapped batches never write the same file; their loads never the same
    submission. Data Docs are not built here (they cost ~2 s a batch):
    ``build_data_docs`` builds them once per run.
    """
    run_id = new_run_id(run_id)
    name = f"{_safe(run_id)}-batch-{submission_ids[0]}-{submission_ids[-1]}"
    key = f"{_safe(run_id)}/{name}.json"
    target = handoff_path(key, settings)
    target.parent.mkdir(parents=True, exist_ok=True)  # no shared folder: fail before the work

    from itaflow.serde import write_records
    from itaflow.warehouse import get_submissions
    from itaflow.workers import check_files, items_of

    subs = get_submissions(settings.warehouse_url, submission_ids)
    records = check_files(items_of(subs, settings.store), settings)
    attribute_unreadable(records, subs, settings)
    write_records(records, target)
    return key


def attribute_unreadable(records: list[Any], subs: list[dict[str, Any]], settings: Settings) -> int:
    """Tie each unreadable record to the LAO its file name, folder or sender names
    (``itaflow.attribute``), so that LAO shows as received – must resubmit, not missing.
    Returns how many were tied."""
    from itaflow.attribute import attribute
    from itaflow.contacts import read_contacts

    by_sha = {s["sha256"]: s for s in subs}
    senders: dict[str, str] | None = None
    tied = 0
    for record in records:
        sub = by_sha.get(record.sha256)
        unreadable_ = not record.readable or any(
            f.check == "unreadable_file" for f in record.findings
        )
        if not unreadable_ or record.agency.lao_code or sub is None:
            continue
        if senders is None:
            senders = read_contacts(settings.contacts).by_email()
        found = attribute(
            sub["original_name"], sub["inbox_path"], sub["received_at"], settings.province, senders
        )
        if found:
            record.agency.lao_code = found.lao_code
            record.fiscal_year, record.round = found.fiscal_year, found.round
            record.evidence["attributed_by"] = found.how
            tied += 1
    return tied


DATA_DOCS_MAX_RECORDS = 2000  # bounds the once-per-run validation (time and memory) nationally


def build_data_docs(settings: Settings, run_id: str) -> str | None:
    """The run's Great Expectations Data Docs, built once from the records its batches
    checked (no file is read again); returns the site's index.html, None for an empty run.

    A national run validates its first ``DATA_DOCS_MAX_RECORDS`` files only: the pages
    show every rule and how that sample fared; the findings of every file are in the
    warehouse either way.
    """
    from itaflow.checks import judge_records as run_checks
    from itaflow.serde import read_records

    records: list[Any] = []
    for path in sorted(handoff_path(_safe(run_id), settings).glob("*-batch-*.json")):
        records.extend(read_records(path))
        if len(records) >= DATA_DOCS_MAX_RECORDS:
            break
    if not records:
        return None
    run = run_checks(
        records[:DATA_DOCS_MAX_RECORDS], settings, data_docs=True, batch_name=_safe(run_id)
    )
    return str(run.data_docs)


def load_batch(results_key: str, settings: Settings, run_id: str | None = None) -> dict[str, Any]:
    """Load one checked batch (``check_batch``'s key) in one transaction (idempotent)."""
    from itaflow.serde import read_records
    from itaflow.warehouse import store_judged

    records = read_records(handoff_path(results_key, settings))
    return store_judged(settings.warehouse_url, records, run_id=new_run_id(run_id))


def account(settings: Settings, batches: list[list[int]] | None = None) -> dict[str, Any]:
    """Prove no file was lost: every run's received = ended + still pending, and every
    submission this run planned has ended (accepted, rejected or quarantined).

    Files a concurrent collect registered after the plan may still be pending; that is
    not an error, they are the next run's work.
    """
    from itaflow.warehouse import accounting, get_submissions

    rows = accounting(settings.warehouse_url)
    ended = ("accepted", "accepted_with_warnings", "rejected", "quarantined")
    lost = [r for r in rows if r["received"] != sum(r[k] for k in ended) + r["pending"]]
    planned = [i for batch in batches or [] for i in batch]
    stuck = [
        s["id"]
        for s in get_submissions(settings.warehouse_url, planned)
        if s["status"] == "received"
    ]
    if lost or stuck:
        raise RuntimeError(
            f"accounting failed: runs not adding up {lost}; planned but not loaded {stuck}"
        )
    totals = {k: sum(r[k] for r in rows) for k in ("received", *ended, "duplicates", "pending")}
    return {"runs": len(rows), "planned": len(planned), **totals}
