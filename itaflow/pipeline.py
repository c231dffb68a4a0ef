"""The pipeline's stages as functions of (settings, plain data), one per DAG task.

The DAG files only wire these together; everything here runs and is tested
without Airflow. Big data moves between tasks as files under ``settings.work``;
the functions return small JSON-able summaries (Airflow XComs).
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
    return run_id or f"cli__{datetime.now(UTC).strftime('%Y%m%dT%H%M%S')}"


def prepare_warehouse(settings: Settings) -> str:
    """Migrate the warehouse to head and sync the LAO registry (idempotent)."""
    from itaflow.warehouse import upgrade

    return upgrade(settings.warehouse_url)


def collect(settings: Settings, run_id: str | None = None) -> dict[str, Any]:
    """Hash and keep every inbox file, register what is new; returns counts by outcome."""
    from itaflow.collect import scan_inbox
    from itaflow.warehouse import register_received

    run_id = _run_id(run_id)
    files = scan_inbox(settings.inbox, settings.store)
    outcomes = register_received(settings.warehouse_url, [asdict(f) for f in files], run_id)
    counts = {"seen": 0, "new": 0, "duplicate": 0}
    for o in outcomes:
        counts[o["outcome"]] = counts.get(o["outcome"], 0) + 1
    return {"run_id": run_id, "files": len(files), **counts}


def plan_batches(settings: Settings) -> list[list[int]]:
    """Split pending submissions into batches of ``settings.batch_size`` ids."""
    from itaflow.warehouse import pending_submissions

    ids = [s["id"] for s in pending_submissions(settings.warehouse_url)]
    size = max(1, settings.batch_size)
    return [ids[i : i + size] for i in range(0, len(ids), size)]


def check_batch(submission_ids: list[int], settings: Settings, run_id: str | None = None) -> str:
    """Read, extract and check one batch on the worker pool; write the records, return the path.

    Data Docs are not built here (they cost ~2 s a batch): ``build_data_docs`` builds
    them once per run.
    """
    from itaflow.serde import write_records
    from itaflow.warehouse import get_submissions
    from itaflow.workers import check_files, items_of

    run_id = _run_id(run_id)
    subs = get_submissions(settings.warehouse_url, submission_ids)
    records = check_files(items_of(subs), settings)
    name = f"{_safe(run_id)}-batch-{submission_ids[0]}-{submission_ids[-1]}"
    path = settings.work / _safe(run_id) / f"{name}.json"
    write_records(records, path)
    return str(path)


DATA_DOCS_MAX_RECORDS = 2000  # bounds the once-per-run validation (time and memory) nationally


def build_data_docs(settings: Settings, run_id: str) -> str | None:
    """The run's Great Expectations Data Docs, built once from the records its batches
    checked (no file is read again); returns the site's index.html, None for an empty run.

    A national run validates its first ``DATA_DOCS_MAX_RECORDS`` files only: the pages
    show every rule and how that sample fared; the findings of every file are in the
    warehouse either way.
    """
    from itaflow.checks import check_batch as run_checks
    from itaflow.serde import read_records

    records: list[Any] = []
    for path in sorted((settings.work / _safe(run_id)).glob("*-batch-*.json")):
        records.extend(read_records(path))
        if len(records) >= DATA_DOCS_MAX_RECORDS:
            break
    if not records:
        return None
    run = run_checks(
        records[:DATA_DOCS_MAX_RECORDS], settings, data_docs=True, batch_name=_safe(run_id)
    )
    return str(run.data_docs)


def load_batch(results_path: str, settings: Settings, run_id: str | None = None) -> dict[str, Any]:
    """Load one checked batch in one transaction (idempotent)."""
    from itaflow.serde import read_records
    from itaflow.warehouse import load_batch as load

    return load(settings.warehouse_url, read_records(Path(results_path)), run_id=_run_id(run_id))


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
    """Build the round's ReportData from the warehouse and render HTML, PDF and XLSX."""
    from itaflow.compile import compile_report
    from itaflow.warehouse import record_report_run, report_data

    province = province or settings.province
    data = report_data(settings.warehouse_url, fiscal_year, round, province, settings)
    data.data_docs = data_docs_pages(settings)
    files = compile_report(data, settings.reports_out)
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
        "expected": data.expected,
        "received": data.received,
    }


def send_report(settings: Settings, compiled: dict[str, Any], smtp: Any = None) -> dict[str, Any]:
    """Mail the compiled report once per round; raise when the server refuses (Airflow retries).

    ``smtp`` is the DAG's ``SmtpConfig`` from Airflow's ``smtp_default``; without it the
    settings decide (SMTP host, else the outbox). The Message-ID is derived from the
    round, so a retried task never mails a round twice.
    """
    from itaflow.mail import DeliveryError, build_report_mail, deliver, report_message_key
    from itaflow.warehouse import mark_mail, report_data, report_run_sent

    fy, rnd, province = compiled["fiscal_year"], compiled["round"], compiled["province"]
    if report_run_sent(settings.warehouse_url, fy, rnd, province):
        return {"status": "already_sent"}
    data = report_data(settings.warehouse_url, fy, rnd, province, settings)
    msg = build_report_mail(
        data,
        {k: Path(v) for k, v in compiled["files"].items()},
        sender=settings.mail_from,
        recipients=list(settings.mail_to),
        message_id=report_message_key(data),
    )
    try:
        result = deliver(msg, smtp or settings, outbox=settings.outbox)
    except DeliveryError as exc:
        mark_mail(
            settings.warehouse_url,
            compiled["report_run_id"],
            "failed",
            message_id=exc.result.message_id,
            error=exc.result.error,
        )
        raise
    status = "sent" if result.method == "smtp" else "written_to_outbox"
    mark_mail(
        settings.warehouse_url, compiled["report_run_id"], status, message_id=result.message_id
    )
    return {
        "status": status,
        "message_id": result.message_id,
        "path": str(result.path) if result.path else None,
        "duplicate": result.duplicate,
    }
