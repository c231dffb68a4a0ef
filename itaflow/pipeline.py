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
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from itaflow.settings import Settings

log = logging.getLogger(__name__)


def _safe(run_id: str) -> str:
    """A run id as a folder name (Airflow run ids hold ':' and '+')."""
    return re.sub(r"[^0-9A-Za-z._-]+", "_", run_id)[:120] or "run"


def _run_id(run_id: str | None) -> str:
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

    run_id = _run_id(run_id)
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
    run_id = _run_id(run_id)
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
    return store_judged(settings.warehouse_url, records, run_id=_run_id(run_id))


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


def choose_round(day: date, params: dict[str, Any]) -> dict[str, Any]:
    """The round to compile: from the params when given, else the round that closed last."""
    from itaflow.periods import latest_closed_round

    fiscal_year, round_ = latest_closed_round(day)
    return {
        "fiscal_year": int(params.get("fiscal_year") or fiscal_year),
        "round": params.get("round") or round_,
        "province": params.get("province"),
    }


def data_docs_pages(settings: Settings) -> list[str]:
    """Every Data Docs index built so far, newest first, for the report's links."""
    root = settings.reports_out / "data_docs"
    pages = sorted(root.glob("**/index.html"), key=lambda p: p.stat().st_mtime, reverse=True)
    return [str(p) for p in pages]


def compile_round(
    settings: Settings,
    fiscal_year: int,
    round: str,
    province: str | None = None,
    run_id: str | None = None,
) -> dict[str, Any]:
    """Build the round's ReportData from the warehouse (a read: nothing is written) and
    render HTML, PDF and XLSX into ``reports_out/<fiscal year>-<round>/``; the same
    warehouse content gives the same bytes.

    The view the files were rendered from is kept beside them (``<stem>.view.json``,
    its path under ``snapshot``): ``send_report`` mails that, never a newer state of
    the warehouse, so the mail's figures are the attachments' figures.
    """
    from itaflow.compile import render_report, report_stem, report_view, round_folder
    from itaflow.serde import write_json
    from itaflow.warehouse import record_report_run, report_data

    province = province or settings.province
    data = report_data(settings.warehouse_url, fiscal_year, round, province, settings)
    data.data_docs = data_docs_pages(settings)
    folder, stem, view = (
        round_folder(settings.reports_out, data),
        report_stem(data),
        report_view(data),
    )
    files = render_report(view, stem, folder)
    snapshot = write_json(view, folder / f"{stem}.view.json")
    report_run_id = record_report_run(
        settings.warehouse_url,
        data,
        {k: str(v) for k, v in files.items()},
        recipients=list(settings.mail_to),
        compiled_at=datetime.now(UTC).isoformat(timespec="seconds"),
        run_id=run_id,
    )
    return {
        "report_run_id": report_run_id,
        "fiscal_year": fiscal_year,
        "round": round,
        "province": province,
        "files": {k: str(v) for k, v in files.items()},
        "snapshot": str(snapshot),
        "expected": data.expected,
        "received": data.received,
    }


def send_report(
    settings: Settings, compiled: dict[str, Any], smtp: Any = None, *, again: bool = False
) -> dict[str, Any]:
    """Mail the compiled report once per round and recipient (``again``: once more, as
    asked): the body is the view ``compile_round`` rendered (its ``snapshot``), the
    attachments the files on disk. Raise when the server refuses (Airflow retries).

    Each recipient is claimed in the warehouse before SMTP is spoken to
    (``warehouse.mail_claims``): of several sends at once, one holds the claims and
    the others send nothing; a failed send releases its claims for the retry.
    ``smtp`` is the DAG's ``SmtpConfig`` from Airflow's ``smtp_default``; without it
    the settings decide (SMTP host, else the outbox). The Message-ID is derived from
    the round, so a mail system can recognise a retry.
    """
    import os

    from itaflow.mail import (
        DeliveryError,
        addresses,
        already_delivered,
        build_report_mail,
        deliver,
        report_message_key,
    )
    from itaflow.serde import read_json
    from itaflow.warehouse import mark_mail, report_run_sent
    from itaflow.warehouse.mail_claims import claim_mail, finish_mail, mail_claims_of

    fy, rnd, province = compiled["fiscal_year"], compiled["round"], compiled["province"]
    if not again and report_run_sent(settings.warehouse_url, fy, rnd, province):
        return {"status": "already_sent"}
    by_address = {addresses(r)[0].addr_spec.lower(): r for r in settings.mail_to}
    claimed = claim_mail(
        settings.warehouse_url,
        fy,
        rnd,
        province,
        list(by_address),
        claimed_by=f"{os.uname().nodename}:{os.getpid()}:{compiled.get('report_run_id')}",
        now=datetime.now(UTC),
        again=again,
    )
    key = report_message_key(fy, rnd, province)
    if not claimed:
        # Held by another sender: in flight, or one that died after the server took the
        # mail (its copy is in the outbox): then the mail went out, record it as sent.
        earlier = already_delivered(settings.outbox, key, settings.mail_from)
        holders = mail_claims_of(settings.warehouse_url, fy, rnd, province)
        if earlier is None or _sender_alive(holders):
            mark_mail(settings.warehouse_url, compiled["report_run_id"], "skipped_already_sent")
            return {"status": "already_sent"}
        now = datetime.now(UTC)
        finish_mail(settings.warehouse_url, fy, rnd, province, list(by_address), "sent", now)
        mark_mail(settings.warehouse_url, compiled["report_run_id"], "sent")
        return {"status": "sent", "message_id": None, "path": str(earlier), "duplicate": True}
    msg = build_report_mail(
        read_json(Path(compiled["snapshot"])),
        {k: Path(v) for k, v in compiled["files"].items()},
        sender=settings.mail_from,
        recipients=[by_address[a] for a in claimed],
        # Asked again: a new identity (per report run), else the outbox/SMTP dedup holds it back.
        message_id=key + (f":again:{compiled['report_run_id']}" if again else ""),
    )
    try:
        result = deliver(msg, smtp or settings, outbox=settings.outbox)
    except DeliveryError as exc:
        finish_mail(
            settings.warehouse_url, fy, rnd, province, claimed, "failed", datetime.now(UTC),
            message_id=exc.result.message_id, error=exc.result.error,
        )  # fmt: skip
        mark_mail(
            settings.warehouse_url,
            compiled["report_run_id"],
            "failed",
            message_id=exc.result.message_id,
            error=exc.result.error,
        )
        raise
    except BaseException as exc:  # not a refusal: release the claims so a retry can send
        finish_mail(
            settings.warehouse_url, fy, rnd, province, claimed, "failed", datetime.now(UTC),
            error=f"{type(exc).__name__}: {exc}",
        )  # fmt: skip
        raise
    finish_mail(
        settings.warehouse_url, fy, rnd, province, claimed, "sent", datetime.now(UTC),
        message_id=result.message_id,
    )  # fmt: skip
    status = "sent" if result.method == "smtp" else "written_to_outbox"
    mark_mail(
        settings.warehouse_url, compiled["report_run_id"], status, message_id=result.message_id
    )
    return {
        "status": status,
        "message_id": result.message_id,
        "path": str(result.path) if result.path else None,
        "duplicate": result.duplicate,
        "recipients": claimed,
    }


def _sender_alive(claims: list[dict[str, Any]]) -> bool:
    """Whether a claim is held by a sender process still running on this machine: it
    may be between handing the mail to the server and recording it, so it is in
    flight, not dead (``claimed_by`` is ``host:pid:report run``)."""
    import os

    host = os.uname().nodename
    for claim in claims:
        parts = str(claim.get("claimed_by") or "").split(":")
        if claim.get("status") != "claimed" or len(parts) < 2 or parts[0] != host:
            continue
        try:
            os.kill(int(parts[1]), 0)
        except (ValueError, ProcessLookupError):
            continue
        except PermissionError:
            return True
        return True
    return False
