"""Compiled reports and their mail: one ``report_runs`` row per compiled report of a
round and province, with the submissions it showed and what happened to its mail."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, insert, select, update
from sqlalchemy.engine import URL

from itaflow.models import ReportData
from itaflow.warehouse.bulk import LoadError, clean
from itaflow.warehouse.db import engine_for, iso_local, local_time, read_tx, write_tx
from itaflow.warehouse.schema import DELIVERED, MAIL_STATUSES, report_runs


def _province_is(province: str | None) -> Any:
    return (
        report_runs.c.province.is_(None) if province is None else report_runs.c.province == province
    )


def record_report_run(
    engine: Engine | str | URL,
    data: ReportData,
    files: dict[str, str] | Sequence[str],
    *,
    recipients: Sequence[str],
    compiled_at: datetime | str,
    run_id: str | None = None,
) -> int:
    """Record a compiled report of ``data``'s round and province (mail pending); returns its id.

    Keeps which submissions it showed (the current submission of every LAO) and
    which files were written. With a ``run_id``, a rerun of the same DAG run
    updates its own row instead of adding one, and keeps the mail status it reached.
    """
    values = {
        "fiscal_year": data.fiscal_year,
        "round": data.round,
        "province": data.province,
        "run_id": run_id,
        "compiled_at": local_time(compiled_at),
        "recipients": clean(list(recipients)),
        "files": clean(
            {k: str(v) for k, v in files.items()}
            if isinstance(files, dict)
            else [str(f) for f in files]
        ),
        "submission_ids": sorted(
            lao.submission_id for lao in data.laos if lao.submission_id is not None
        ),
    }
    engine = engine_for(engine)
    with write_tx(engine) as conn:
        existing = None
        if run_id is not None:
            existing = conn.execute(
                select(report_runs.c.id).where(
                    report_runs.c.run_id == run_id,
                    report_runs.c.fiscal_year == data.fiscal_year,
                    report_runs.c.round == data.round,
                    _province_is(data.province),
                )
            ).scalar()
        if existing is not None:
            conn.execute(update(report_runs).where(report_runs.c.id == existing).values(**values))
            return int(existing)
        return int(
            conn.execute(
                insert(report_runs)
                .values(**values, mail_status="pending")
                .returning(report_runs.c.id)
            ).scalar_one()
        )


def mark_mail(
    engine: Engine | str | URL,
    report_run_id: int,
    status: str,
    *,
    message_id: str | None = None,
    error: str | None = None,
    mailed_at: datetime | str | None = None,
) -> None:
    """Record what happened to a report's mail: sent, failed, written_to_outbox, or
    skipped_already_sent (an earlier report of the round was delivered)."""
    if status not in MAIL_STATUSES:
        raise ValueError(f"mail status must be one of {MAIL_STATUSES}, not {status!r}")
    engine = engine_for(engine)
    with write_tx(engine) as conn:
        done = conn.execute(
            update(report_runs)
            .where(report_runs.c.id == report_run_id)
            .values(
                mail_status=status,
                mail_message_id=clean(message_id),
                error=clean(error),
                mailed_at=local_time(mailed_at),
            )
        )
        if done.rowcount != 1:
            raise LoadError(f"no report run {report_run_id}")


def report_run_sent(
    engine: Engine | str | URL, fiscal_year: int, round: str, province: str | None
) -> bool:
    """True when this round's report for this province was already mailed (or written
    to the outbox): the compile DAG checks it so a rerun never mails twice."""
    with read_tx(engine_for(engine)) as conn:
        found = conn.execute(
            select(report_runs.c.id)
            .where(
                report_runs.c.fiscal_year == fiscal_year,
                report_runs.c.round == round,
                _province_is(province),
                report_runs.c.mail_status.in_(DELIVERED),
            )
            .limit(1)
        ).first()
    return found is not None


def report_run_history(
    engine: Engine | str | URL, fiscal_year: int, round: str, province: str | None
) -> list[dict[str, Any]]:
    """Every compiled report of a round, oldest first, with its mail status."""
    with read_tx(engine_for(engine)) as conn:
        rows = conn.execute(
            select(report_runs)
            .where(
                report_runs.c.fiscal_year == fiscal_year,
                report_runs.c.round == round,
                _province_is(province),
            )
            .order_by(report_runs.c.id)
        ).mappings()
        return [
            {
                **dict(r),
                "compiled_at": iso_local(r["compiled_at"]),
                "mailed_at": iso_local(r["mailed_at"]),
            }
            for r in rows
        ]
