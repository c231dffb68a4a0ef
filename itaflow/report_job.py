"""The provincial report of one round: compile it from the warehouse, then mail it once.

Two DAG tasks (``compile_report``, ``send_report``) and ``itaflow compile --send``.
Compile renders from one read of the warehouse and keeps the view it rendered; send
mails that view and those files, so the mail and its attachments always agree, and
claims each recipient in the warehouse first, so concurrent or retried sends deliver
once.
"""

from __future__ import annotations

import os
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from itaflow.settings import Settings


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
        claimed_by=_claimant(compiled.get("report_run_id")),
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


def _claimant(report_run_id: Any) -> str:
    """Who holds a claim: ``host:pid:report run``, read back by ``_sender_alive``."""
    return f"{os.uname().nodename}:{os.getpid()}:{report_run_id}"


def _sender_alive(claims: list[dict[str, Any]]) -> bool:
    """Whether a claim is held by a sender process still running on this machine: it
    may be between handing the mail to the server and recording it, so it is in
    flight, not dead."""
    host = os.uname().nodename
    for claim in claims:
        parts = str(claim.get("claimed_by") or "").split(":")
        if claim.get("status") != "claimed" or len(parts) < 2 or parts[0] != host:
            continue
        try:
            os.kill(int(parts[1]), 0)
        except (ValueError, ProcessLookupError):
            continue  # no such process: the holder died
        except PermissionError:
            pass  # it exists, run by another user
        return True
    return False
