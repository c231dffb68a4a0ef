"""Claims on a round's report mail: one row per round and recipient, taken before SMTP.

Checking "already sent?" after sending let three concurrent ``compile --send`` mail
the same report three times. Here a sender first claims each recipient in one
write transaction (the warehouse write lock serialises claimers; the primary key is
the backstop), sends only to what it claimed, then marks the claims sent or failed.
A failed claim can be claimed again (retry); a claim left by a process that died
mid-send is taken over once it is older than ``stale_after``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Engine, and_, select, update
from sqlalchemy.engine import URL

from itaflow.warehouse.bulk import clean
from itaflow.warehouse.db import engine_for, local_time, read_tx, write_tx
from itaflow.warehouse.schema import mail_claims

STALE_AFTER = timedelta(minutes=30)


def _key(fiscal_year: int, round: str, province: str | None) -> Any:
    c = mail_claims.c
    return and_(c.fiscal_year == fiscal_year, c.round == round, c.province == (province or ""))


def claim_mail(
    engine: Engine | str | URL,
    fiscal_year: int,
    round: str,
    province: str | None,
    recipients: Sequence[str],
    claimed_by: str,
    now: datetime,
    stale_after: timedelta = STALE_AFTER,
    *,
    again: bool = False,
) -> list[str]:
    """Claim the round's mail for ``recipients`` (normalised addresses); returns the ones
    this caller now holds and must send to: never sent, failed before, or stale
    (``again``: sent ones too, when the office asks for the mail once more)."""
    stamp = local_time(now)
    wanted = list(dict.fromkeys(clean(r) for r in recipients))
    engine = engine_for(engine)
    with write_tx(engine) as conn:
        have = {
            r.recipient: r
            for r in conn.execute(
                select(
                    mail_claims.c.recipient, mail_claims.c.status, mail_claims.c.claimed_at
                ).where(_key(fiscal_year, round, province))
            )
        }
        mine = []
        for rcpt in wanted:
            row = have.get(rcpt)
            values = {"status": "claimed", "claimed_by": clean(claimed_by), "claimed_at": stamp}
            if row is None:
                conn.execute(
                    mail_claims.insert().values(
                        fiscal_year=fiscal_year,
                        round=round,
                        province=province or "",
                        recipient=rcpt,
                        **values,
                    )
                )
            elif (
                row.status == "failed"
                or (again and row.status == "sent")
                or (row.status == "claimed" and local_time(row.claimed_at) < stamp - stale_after)
            ):
                conn.execute(
                    update(mail_claims)
                    .where(_key(fiscal_year, round, province), mail_claims.c.recipient == rcpt)
                    .values(**values, error=None)
                )
            else:
                continue
            mine.append(rcpt)
    return mine


def finish_mail(
    engine: Engine | str | URL,
    fiscal_year: int,
    round: str,
    province: str | None,
    recipients: Sequence[str],
    status: str,
    now: datetime,
    *,
    message_id: str | None = None,
    error: str | None = None,
) -> None:
    """Mark claimed recipients ``sent`` or ``failed`` (a failed one can be claimed again)."""
    if status not in ("sent", "failed"):
        raise ValueError(f"status must be sent or failed, not {status!r}")
    engine = engine_for(engine)
    with write_tx(engine) as conn:
        for rcpt in recipients:
            conn.execute(
                update(mail_claims)
                .where(_key(fiscal_year, round, province), mail_claims.c.recipient == clean(rcpt))
                .values(
                    status=status,
                    sent_at=local_time(now) if status == "sent" else None,
                    message_id=clean(message_id),
                    error=clean(error),
                )
            )


def mail_claims_of(
    engine: Engine | str | URL, fiscal_year: int, round: str, province: str | None
) -> list[dict[str, Any]]:
    """The round's claims, one per recipient (for tests and the monitoring view)."""
    with read_tx(engine_for(engine)) as conn:
        rows = conn.execute(select(mail_claims).where(_key(fiscal_year, round, province)))
        return [dict(r._mapping) for r in rows]
