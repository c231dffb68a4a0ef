"""What the office asks the warehouse: a round's report data, the accounting of
runs, and which reports were compiled and mailed.

The SQL of the report and the accounting lives in ``sql/`` (plain files, executed
as they are, with bound parameters); this module only shapes rows into
``itaflow.models`` objects. Queries never format: that is ``itaflow.compile``'s job.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import (
    Connection,
    DateTime,
    Engine,
    bindparam,
    distinct,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.engine import URL

from itaflow import periods
from itaflow.models import Finding, LaoRoundStatus, ReportData
from itaflow.settings import Settings
from itaflow.warehouse.db import (
    as_date,
    engine_for,
    iso_local,
    local_time,
    read_tx,
    sql_file,
    write_tx,
)
from itaflow.warehouse.load import CHUNK, LoadError, clean
from itaflow.warehouse.schema import MAIL_STATUSES, agencies, report_runs, rounds, submissions

# A file that states no round is listed with a round's unmatched files when it
# arrived between the round's start and this long after its due date.
UNMATCHED_GRACE = timedelta(days=60)

# Mail states after which a report must not be mailed again.
DELIVERED = ("sent", "written_to_outbox")

# The states a received file can end in (issue 6: every file ends in exactly one).
ENDED = ("accepted", "accepted_with_warnings", "rejected", "quarantined")


# --- rounds ------------------------------------------------------------------------


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


def ensure_round(
    engine: Engine | str | URL, fiscal_year: int, round: str, settings: Settings
) -> dict[str, Any]:
    """The round's row with the due date in force now, created when absent.

    The due date is decided each time, never frozen at first use: a per-round
    ``ITAFLOW_DUE_OVERRIDES`` entry wins, then a deadline the office moved in the
    warehouse (``set_due_date``), then ``ITAFLOW_DUE_H1`` / ``ITAFLOW_DUE_FY``.
    The row is rewritten only when that date changed, so it records what reports use.
    """
    if round not in periods.ROUNDS:
        raise ValueError(f"round must be one of {periods.ROUNDS}, not {round!r}")
    engine = engine_for(engine)
    with engine.connect() as conn:
        row = _round_row(conn, fiscal_year, round)
    if row is not None and as_date(row["due_date"]) == _due_in_force(row, settings):
        return row  # the usual case: no write lock for a read-only report
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


def _due_in_force(row: dict[str, Any], settings: Settings) -> date:
    key = (row["fiscal_year"], row["round"])
    if key in settings.due_overrides:
        return settings.due_overrides[key]
    office = as_date(row.get("due_date_office"))
    return office or periods.due_date(row["fiscal_year"], row["round"], settings)


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


def _round_row(conn: Connection, fiscal_year: int, round: str) -> dict[str, Any] | None:
    row = conn.execute(
        select(rounds).where(rounds.c.fiscal_year == fiscal_year, rounds.c.round == round)
    ).first()
    return dict(row._mapping) if row else None


# --- the round report --------------------------------------------------------------


def _in_chunks(conn: Connection, name: str, ids: Sequence[int]) -> list[Any]:
    statement = sql_file(name).bindparams(bindparam("ids", expanding=True))
    rows: list[Any] = []
    for start in range(0, len(ids), CHUNK):
        rows.extend(conn.execute(statement, {"ids": list(ids[start : start + CHUNK])}).mappings())
    return rows


def comparison_rounds(fiscal_year: int, round: str) -> list[tuple[int, str]]:
    """The rounds a report is compared with: the same round a year earlier, and for the
    annual round the 6-month round of the same year (H1 → FY)."""
    return [(fiscal_year - 1, round)] + ([(fiscal_year, "H1")] if round == "FY" else [])


def _round_order(fiscal_year: int, round: str) -> tuple[int, int]:
    return fiscal_year, periods.ROUNDS.index(round) if round in periods.ROUNDS else 9


def report_data(
    engine: Engine | str | URL,
    fiscal_year: int,
    round: str,
    province: str | None,
    settings: Settings,
    *,
    generated_at: datetime | str | None = None,
    history: bool = True,
) -> ReportData:
    """Everything the provincial report of one round shows (``itaflow.models.ReportData``).

    Every expected LAO of ``province`` (None: every province that sent something)
    with its current submission: state (accepted, accepted_with_warnings, rejected,
    quarantined or missing), on time or late against the round's due date (judged
    by the LAO's first submission for the round), version, findings, measures and
    measure counts; category and check counts over the province; files that could
    not be tied to an LAO listed apart. With ``history``: the comparison rounds
    (``comparison_rounds``, those with data), the trend of every known round up to
    this one, and which checks failed for each LAO in earlier rounds.

    Read-only: one snapshot, no write. ``generated_at`` defaults to the time of the
    data (the newest file shown), so the same warehouse content gives the same report.
    """
    if round not in periods.ROUNDS:
        raise ValueError(f"round must be one of {periods.ROUNDS}, not {round!r}")
    engine = engine_for(engine)
    with read_tx(engine) as conn:
        data = _round_data(conn, fiscal_year, round, province, settings, generated_at)
        if history:
            previous = [
                _round_data(conn, fy, rnd, province, settings, None)
                for fy, rnd in comparison_rounds(fiscal_year, round)
            ]
            data.previous = [p for p in previous if p.received]
            data.trend = _trend(conn, fiscal_year, round, province, settings)
            data.finding_history = [
                {
                    "lao_code": r["lao_code"],
                    "fiscal_year": int(r["fiscal_year"]),
                    "round": r["round"],
                    "check": r["check_id"],
                }
                for r in conn.execute(
                    sql_file("report_finding_history.sql"),
                    {"fiscal_year": fiscal_year, "province": province},
                ).mappings()
                if _round_order(int(r["fiscal_year"]), r["round"])
                <= _round_order(fiscal_year, round)
            ]
    data.office_name = settings.office_name
    data.officer_name = settings.officer_name
    data.officer_position = settings.officer_position
    return data


def _stored_or_default(
    conn: Connection, fiscal_year: int, round: str, settings: Settings
) -> dict[str, Any]:
    """The round as a read sees it: its stored row (or the configured defaults) with the
    due date in force now (``_due_in_force``), without writing anything."""
    row = _round_row(conn, fiscal_year, round)
    if row is None:
        return round_defaults(fiscal_year, round, settings)
    return {**row, "due_date": _due_in_force(row, settings)}


def _measure_row(m: Any) -> dict[str, Any]:
    responsible = m["responsible"]
    if isinstance(responsible, str):
        try:
            responsible = json.loads(responsible)
        except ValueError:
            responsible = [responsible]
    return {
        **{k: m[k] for k in ("submission_id", "position", "seq", "category", "indicator")},
        **{k: m[k] for k in ("measure", "steps", "period_text", "result", "outcome", "status")},
        "responsible": list(responsible or []),
        "period_start": as_date(m["period_start"]),
        "period_end": as_date(m["period_end"]),
    }


def _round_data(
    conn: Connection,
    fiscal_year: int,
    round: str,
    province: str | None,
    settings: Settings,
    generated_at: datetime | str | None,
) -> ReportData:
    info = _stored_or_default(conn, fiscal_year, round, settings)
    due = as_date(info["due_date"])
    assert due is not None
    params = {"fiscal_year": fiscal_year, "round": round, "province": province}
    window_end = datetime.combine(due + UNMATCHED_GRACE, datetime.min.time())
    unmatched_sql = sql_file("report_unmatched.sql").bindparams(
        bindparam("window_start", type_=DateTime), bindparam("window_end", type_=DateTime)
    )
    expected = conn.execute(sql_file("report_expected.sql"), params).mappings().all()
    ids = [r["submission_id"] for r in expected if r["submission_id"] is not None]
    found = _in_chunks(conn, "report_findings.sql", ids)
    counted = _in_chunks(conn, "report_measure_counts.sql", ids)
    measure_rows = _in_chunks(conn, "report_measures.sql", ids)
    unmatched = (
        conn.execute(
            unmatched_sql,
            {
                **params,
                "window_start": datetime.combine(
                    as_date(info["period_start"]), datetime.min.time()
                ),
                "window_end": window_end,
            },
        )
        .mappings()
        .all()
    )

    findings_by: dict[int, list[Finding]] = defaultdict(list)
    for f in found:
        findings_by[f["submission_id"]].append(
            Finding(f["check_id"], f["severity"], f["message"], f["measure_seq"], f["field"])
        )
    status_by: dict[int, Counter[str]] = defaultdict(Counter)
    category_by: dict[int, Counter[str | None]] = defaultdict(Counter)
    for c in counted:
        status_by[c["submission_id"]][c["status"]] += c["n"]
        category_by[c["submission_id"]][c["category"]] += c["n"]

    laos = [_lao_status(r, due, findings_by, status_by) for r in expected]
    category_counts: Counter[str | None] = Counter()
    check_counts: Counter[str] = Counter()
    for lao in laos:
        if lao.submission_id is None:
            continue
        check_counts.update(f.check for f in lao.findings)
        if lao.state in ("accepted", "accepted_with_warnings"):
            category_counts.update(category_by[lao.submission_id])
    times = [local_time(r["received_at"]) for r in (*expected, *unmatched) if r["received_at"]]
    data_time = max(times, default=None) or datetime.combine(due, datetime.min.time())
    return ReportData(
        fiscal_year=fiscal_year,
        round=round,  # type: ignore[arg-type]
        province=province,
        period_start=as_date(info["period_start"]),  # type: ignore[arg-type]
        period_end=as_date(info["period_end"]),  # type: ignore[arg-type]
        due_date=due,
        generated_at=iso_local(local_time(generated_at) if generated_at else data_time),  # type: ignore[arg-type]
        laos=laos,
        category_counts=dict(category_counts),  # type: ignore[arg-type]
        check_counts=dict(check_counts),
        unmatched_files=[
            {**dict(u), "received_at": iso_local(u["received_at"])} for u in unmatched
        ],
        measures=[_measure_row(m) for m in measure_rows],
    )


def _trend(
    conn: Connection, fiscal_year: int, round: str, province: str | None, settings: Settings
) -> list[dict[str, Any]]:
    """Expected, received and on time for every known round up to this one (oldest first,
    at most the last six): the report's trend chart."""
    known = rounds_sent(conn, province, periods.ROUNDS)
    upto = sorted(
        (k for k in known if _round_order(*k) <= _round_order(fiscal_year, round)),
        key=lambda k: _round_order(*k),
    )[-6:]
    rows = []
    for fy, rnd in upto:
        due = as_date(_stored_or_default(conn, fy, rnd, settings)["due_date"])
        expected = conn.execute(
            sql_file("report_expected.sql"), {"fiscal_year": fy, "round": rnd, "province": province}
        ).mappings()
        n = received = on_time = 0
        for r in expected:
            n += 1
            if r["submission_id"] is not None:
                received += 1
                first = local_time(r["first_received_at"])
                on_time += int(first is not None and due is not None and first.date() <= due)
        rows.append(
            {
                "fiscal_year": fy,
                "round": rnd,
                "expected": n,
                "received": received,
                "on_time": on_time,
            }
        )
    return rows


def _lao_status(
    row: Any,
    due: date,
    findings_by: dict[int, list[Finding]],
    status_by: dict[int, Counter[str]],
) -> LaoRoundStatus:
    lao = LaoRoundStatus(
        lao_code=row["lao_code"],
        name_th=row["full_name_th"],
        type_th=row["type_th"],
        district=row["district_th"],
        province=row["province_th"],
    )
    sub_id = row["submission_id"]
    if sub_id is None:
        return lao
    first = local_time(row["first_received_at"])
    found = findings_by.get(sub_id, [])
    lao.state = row["status"]
    lao.on_time = first is not None and first.date() <= due
    lao.received_at = iso_local(row["received_at"])
    lao.version = row["version"]
    lao.original_name = row["original_name"]
    lao.submission_id = sub_id
    lao.findings = found
    lao.errors = sum(1 for f in found if f.severity == "error")
    lao.warnings = sum(1 for f in found if f.severity == "warning")
    lao.status_counts = dict(status_by.get(sub_id, {}))
    lao.measure_count = sum(lao.status_counts.values())
    return lao


# --- accounting --------------------------------------------------------------------


def accounting(engine: Engine | str | URL, run_id: str | None = None) -> list[dict[str, Any]]:
    """Where the files received by each run ended (one run with ``run_id``), oldest first.

    Per run: received, accepted, accepted_with_warnings, rejected (duplicates
    included: the same bytes again end rejected), quarantined, duplicates, and
    pending (received, not judged yet), ``complete`` (nothing pending) and
    ``balanced``: received = accepted + accepted_with_warnings + rejected +
    quarantined, which holds exactly when every file of the run has ended.
    """
    engine = engine_for(engine)
    with engine.connect() as conn:
        rows = conn.execute(sql_file("accounting.sql"), {"run_id": run_id}).mappings().all()
    result = []
    for r in rows:
        item = {
            k: (int(v) if k not in ("run_id", "first_received_at") else v) for k, v in r.items()
        }
        item["first_received_at"] = iso_local(r["first_received_at"])
        item["complete"] = item["pending"] == 0
        item["balanced"] = item["received"] == sum(item[k] for k in ENDED)
        result.append(item)
    return result


# --- report runs and mail ----------------------------------------------------------


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
    engine = engine_for(engine)
    with engine.connect() as conn:
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
    engine = engine_for(engine)
    with engine.connect() as conn:
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


def rounds_sent(
    engine: Engine | str | URL | Connection, province: str | None, known_rounds: Sequence[str]
) -> dict[tuple[int, str], int]:
    """Every round the warehouse knows, with how many LAOs of ``province`` (None: any)
    have a judged submission for it. A round is known when a submission states it or
    it has a ``rounds`` row (a compiled report or a moved deadline). Read-only."""
    s, a = submissions.c, agencies.c
    sent = (
        select(s.fiscal_year, s.round, func.count(distinct(s.lao_code)))
        .select_from(submissions.join(agencies, a.lao_code == s.lao_code))
        .where(s.fiscal_year.is_not(None), s.round.in_(known_rounds), s.status != "received")
        .group_by(s.fiscal_year, s.round)
    )
    if province is not None:
        sent = sent.where(a.province_th == province)
    if isinstance(engine, Connection):
        return _known(engine, sent)
    with engine_for(engine).connect() as conn:
        return _known(conn, sent)


def _known(conn: Connection, sent: Any) -> dict[tuple[int, str], int]:
    counts = {(int(fy), rnd): int(n) for fy, rnd, n in conn.execute(sent)}
    for fy, rnd in conn.execute(select(rounds.c.fiscal_year, rounds.c.round)):
        counts.setdefault((int(fy), rnd), 0)
    return counts
