"""Rounds: their period, and the due date in force, which is decided each time it is
read and never frozen at first use.

A per-round ``ITAFLOW_DUE_OVERRIDES`` entry wins, then a deadline the office moved in
the warehouse (``set_due_date``), then ``ITAFLOW_DUE_H1`` / ``ITAFLOW_DUE_FY``.
Reads (``round_as_read``, ``due_dates``) never write; ``ensure_round`` and
``set_due_date`` are the only writers of the ``rounds`` table.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from sqlalchemy import Connection, Engine, insert, select, update
from sqlalchemy.engine import URL

from itaflow import periods
from itaflow.settings import Settings
from itaflow.warehouse.db import as_date, engine_for, read_tx, write_tx
from itaflow.warehouse.schema import rounds


def check_round(round: str) -> None:
    """Refuse a round name that is not ``H1`` or ``FY`` (ValueError)."""
    if round not in periods.ROUNDS:
        raise ValueError(f"round must be one of {periods.ROUNDS}, not {round!r}")


def round_defaults(fiscal_year: int, round: str, settings: Settings) -> dict[str, Any]:
    """A round's period and due date as configured (``itaflow.periods`` + settings)."""
    start, end = periods.round_bounds(fiscal_year, round)
    return {
        "fiscal_year": fiscal_year,
        "round": round,
        "period_start": start,
        "period_end": end,
        "due_date": periods.due_date(fiscal_year, round, settings),
    }


def _due_in_force(row: dict[str, Any], settings: Settings) -> date:
    key = (row["fiscal_year"], row["round"])
    if key in settings.due_overrides:
        return settings.due_overrides[key]
    office = as_date(row.get("due_date_office"))
    return office or periods.due_date(row["fiscal_year"], row["round"], settings)


def _round_row(conn: Connection, fiscal_year: int, round: str) -> dict[str, Any] | None:
    row = conn.execute(
        select(rounds).where(rounds.c.fiscal_year == fiscal_year, rounds.c.round == round)
    ).first()
    return dict(row._mapping) if row else None


def round_as_read(
    conn: Connection, fiscal_year: int, round: str, settings: Settings
) -> dict[str, Any]:
    """The round as a read sees it: its stored row (or the configured defaults) with the
    due date in force now, without writing anything."""
    row = _round_row(conn, fiscal_year, round)
    if row is None:
        return round_defaults(fiscal_year, round, settings)
    return {**row, "due_date": _due_in_force(row, settings)}


def due_dates(
    engine: Engine | str | URL, keys: Iterable[tuple[int, str]], settings: Settings
) -> dict[tuple[int, str], date]:
    """The due date in force of each (fiscal_year, round), in one read transaction."""
    with read_tx(engine_for(engine)) as conn:
        return {
            (fy, rnd): as_date(round_as_read(conn, fy, rnd, settings)["due_date"])  # type: ignore[misc]
            for fy, rnd in keys
        }


def ensure_round(
    engine: Engine | str | URL, fiscal_year: int, round: str, settings: Settings
) -> dict[str, Any]:
    """The round's row with the due date in force now, created when absent.

    The row is rewritten only when that date changed, so it records what reports use.
    Reads use ``round_as_read`` / ``due_dates`` instead: a page view writes nothing.
    """
    check_round(round)
    engine = engine_for(engine)
    with read_tx(engine) as conn:
        row = _round_row(conn, fiscal_year, round)
    if row is not None and as_date(row["due_date"]) == _due_in_force(row, settings):
        return row  # the usual case: no write lock
    with write_tx(engine) as conn:
        row = _round_row(conn, fiscal_year, round)
        if row is None:
            row = round_defaults(fiscal_year, round, settings)
            conn.execute(insert(rounds).values(**row))
            return {**row, "due_date_office": None}
        due = _due_in_force(row, settings)
        if as_date(row["due_date"]) != due:
            conn.execute(
                update(rounds)
                .where(rounds.c.fiscal_year == fiscal_year, rounds.c.round == round)
                .values(due_date=due)
            )
            row = {**row, "due_date": due}
    return row


def set_due_date(
    engine: Engine | str | URL, fiscal_year: int, round: str, due: date, settings: Settings
) -> None:
    """Move a round's deadline in the warehouse (e.g. the province extended it); reports
    use it from now on unless ``ITAFLOW_DUE_OVERRIDES`` names the round."""
    ensure_round(engine, fiscal_year, round, settings)
    with write_tx(engine_for(engine)) as conn:
        conn.execute(
            update(rounds)
            .where(rounds.c.fiscal_year == fiscal_year, rounds.c.round == round)
            .values(due_date_office=due)
        )
    ensure_round(engine, fiscal_year, round, settings)
