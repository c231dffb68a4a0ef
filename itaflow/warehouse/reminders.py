"""Reminders sent to LAOs: at most one per LAO, round and day, whatever re-runs or retries.

``claim_reminder`` is called before a mail is built: it records the reminder as
``pending`` under the unique key (lao_code, fiscal_year, round, day) and says
whether to send. A reminder already delivered that day is never claimed again; a
``pending`` or ``failed`` one (a crashed or refused attempt) is, and the mail's
deterministic Message-ID lets ``itaflow.mail.deliver`` recognise a copy that did go out.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Engine, insert, select, update
from sqlalchemy.engine import URL

from itaflow.warehouse.bulk import clean
from itaflow.warehouse.db import as_date, engine_for, iso_local, local_time, read_tx, write_tx
from itaflow.warehouse.schema import DELIVERED, REMINDER_STATUSES, agencies, reminders


def _key(lao_code: str, fiscal_year: int, round: str, day: date) -> Any:
    r = reminders.c
    return (
        (r.lao_code == lao_code)
        & (r.fiscal_year == fiscal_year)
        & (r.round == round)
        & (r.day == day)
    )


def claim_reminder(
    engine: Engine | str | URL,
    *,
    lao_code: str,
    fiscal_year: int,
    round: str,
    day: date,
    state: str,
    recipient: str,
    message_id: str,
    run_id: str | None = None,
) -> bool:
    """Reserve today's reminder for one LAO; False when it was already delivered today."""
    values = {
        "state": state,
        "recipient": clean(recipient),
        "message_id": message_id,
        "status": "pending",
        "run_id": run_id,
        "error": None,
    }
    with write_tx(engine_for(engine)) as conn:
        row = conn.execute(
            select(reminders.c.status).where(_key(lao_code, fiscal_year, round, day))
        ).first()
        if row is not None and row.status in DELIVERED:
            return False
        if row is None:
            conn.execute(
                insert(reminders).values(
                    lao_code=lao_code, fiscal_year=fiscal_year, round=round, day=day, **values
                )
            )
        else:
            conn.execute(
                update(reminders).where(_key(lao_code, fiscal_year, round, day)).values(**values)
            )
    return True


def finish_reminder(
    engine: Engine | str | URL,
    *,
    lao_code: str,
    fiscal_year: int,
    round: str,
    day: date,
    status: str,
    error: str | None = None,
    sent_at: datetime | str | None = None,
) -> None:
    """Record what happened to a claimed reminder (sent, written_to_outbox or failed)."""
    if status not in REMINDER_STATUSES:
        raise ValueError(f"reminder status must be one of {REMINDER_STATUSES}, not {status!r}")
    with write_tx(engine_for(engine)) as conn:
        conn.execute(
            update(reminders)
            .where(_key(lao_code, fiscal_year, round, day))
            .values(
                status=status,
                error=clean(error),
                sent_at=local_time(sent_at or datetime.now().astimezone()),
            )
        )


def reminders_on(
    engine: Engine | str | URL, fiscal_year: int, round: str, day: date | None = None
) -> list[dict[str, Any]]:
    """Reminders of a round (one day, or all), with the LAO's name and district."""
    r, a = reminders.c, agencies.c
    query = (
        select(reminders, a.full_name_th, a.district_th, a.province_th)
        .select_from(reminders.join(agencies, a.lao_code == r.lao_code))
        .where(r.fiscal_year == fiscal_year, r.round == round)
        .order_by(r.day, a.district_th, r.lao_code)
    )
    if day is not None:
        query = query.where(r.day == day)
    with read_tx(engine_for(engine)) as conn:
        rows = conn.execute(query).mappings().all()
    return [{**dict(x), "day": as_date(x["day"]), "sent_at": iso_local(x["sent_at"])} for x in rows]
