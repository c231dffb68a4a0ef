"""The round report's data: one read transaction, shaped into ``itaflow.models`` objects.

The SQL lives in ``sql/`` (plain files, executed as they are, with bound parameters);
this module only shapes rows. Read-only: nothing here writes, so a page view or a
compile leaves the warehouse as it was. Formatting is ``itaflow.compile``'s job.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, DateTime, Engine, bindparam, distinct, func, select
from sqlalchemy.engine import URL

from itaflow import periods
from itaflow.models import Finding, LaoRoundStatus, ReportData
from itaflow.settings import Settings
from itaflow.warehouse.bulk import chunks
from itaflow.warehouse.db import as_date, engine_for, iso_local, local_time, read_tx, sql_file
from itaflow.warehouse.rounds import check_round, round_as_read
from itaflow.warehouse.schema import agencies, rounds, submissions

# A file that states no round is listed with a round's unmatched files when it
# arrived between the round's start and this long after its due date.
UNMATCHED_GRACE = timedelta(days=60)


def _in_chunks(conn: Connection, name: str, ids: Sequence[int]) -> list[Any]:
    statement = sql_file(name).bindparams(bindparam("ids", expanding=True))
    rows: list[Any] = []
    for part in chunks(ids):
        rows.extend(conn.execute(statement, {"ids": list(part)}).mappings())
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
    check_round(round)
    with read_tx(engine_for(engine)) as conn:
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


def _measure_view(m: Any) -> dict[str, Any]:
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
    info = round_as_read(conn, fiscal_year, round, settings)
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
        measures=[_measure_view(m) for m in measure_rows],
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
        due = as_date(round_as_read(conn, fy, rnd, settings)["due_date"])
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


def rounds_sent(
    engine: Engine | str | URL | Connection, province: str | None, known_rounds: Sequence[str]
) -> dict[tuple[int, str], int]:
    """Every round the warehouse knows, with how many LAOs of ``province`` (None: any)
    have a judged submission for it. A round is known when a submission states it or
    it has a ``rounds`` row (a moved deadline). Read-only."""
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
    with read_tx(engine_for(engine)) as conn:
        return _known(conn, sent)


def _known(conn: Connection, sent: Any) -> dict[tuple[int, str], int]:
    counts = {(int(fy), rnd): int(n) for fy, rnd, n in conn.execute(sent)}
    for fy, rnd in conn.execute(select(rounds.c.fiscal_year, rounds.c.round)):
        counts.setdefault((int(fy), rnd), 0)
    return counts
