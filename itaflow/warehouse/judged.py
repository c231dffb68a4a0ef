"""Judged submissions into the warehouse: status, verdict, measures, findings, versions.

``store_judged`` is one transaction under the warehouse write lock and can be re-run
with the same records without changing anything: a DAG task that is retried or
re-run, or a process killed half-way, leaves the warehouse as a finished load or as
no load.
"""

from __future__ import annotations

import logging
import time
from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Connection, Engine, bindparam, update
from sqlalchemy.engine import URL

from itaflow.models import Measure, SubmissionRecord
from itaflow.warehouse.bulk import (
    LoadError,
    chunks,
    clean,
    finding_row,
    insert_rows,
    json_text,
    select_in,
    stored_day,
)
from itaflow.warehouse.db import engine_for, write_tx
from itaflow.warehouse.schema import agencies, findings, measures, submissions
from itaflow.warehouse.versions import reversion, unversion

log = logging.getLogger(__name__)


def submission_status(record: SubmissionRecord) -> str:
    """The final state of a judged record: quarantined when unreadable, else its verdict."""
    if not record.readable or any(f.check == "unreadable_file" for f in record.findings):
        return "quarantined"
    if record.verdict is None:
        raise LoadError(f"{record.file}: no verdict (run the checks before loading)")
    return record.verdict


def _reason(record: SubmissionRecord, status: str) -> str | None:
    """The one line an officer sees next to the status: the first finding that decided it."""
    if status == "accepted":
        return None
    if status == "quarantined":
        wanted = [f for f in record.findings if f.check == "unreadable_file"]
    else:
        severity = "warning" if status == "accepted_with_warnings" else "error"
        wanted = [f for f in record.findings if f.severity == severity]
    return wanted[0].message if wanted else None


# Measure fields stored normalised, by the name of their original in ``Measure.raw``.
RAW_TWINS = {
    "measure": "measure",
    "steps": "steps",
    "period": "period_text",
    "result": "result",
    "outcome": "outcome",
}


def stored_raw(m: Measure) -> dict[str, str]:
    """The originals worth storing: those that differ from the stored normalised text.

    Most cells survive normalisation unchanged; storing them twice would double the
    size of a national round. The original of a field absent here is its stored value.
    """
    return {
        k: v
        for k, v in (m.raw or {}).items()
        if not (k in RAW_TWINS and v == getattr(m, RAW_TWINS[k]))
    }


def _measure_row(submission_id: int, position: int, m: Measure) -> dict[str, Any]:
    return {
        "submission_id": submission_id,
        "position": position,
        "seq": m.seq,
        "category": clean(m.category),
        "indicator": clean(m.indicator),
        "measure": clean(m.measure or ""),
        "steps": clean(m.steps or ""),
        "responsible": json_text(list(m.responsible or [])),
        "period_text": clean(m.period_text or ""),
        "period_start": stored_day(m.period_start),
        "period_end": stored_day(m.period_end),
        "result": clean(m.result or ""),
        "outcome": clean(m.outcome or ""),
        "status": m.status or "unknown",
        "raw": json_text(stored_raw(m)),
    }


class _Clock:
    """Seconds per phase of a load, returned in its summary (and so in the task log)."""

    def __init__(self) -> None:
        self.laps: dict[str, float] = {}
        self._last = time.perf_counter()

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.laps[name] = round(now - self._last, 3)
        self._last = now


def store_judged(
    engine: Engine | str | URL, records: Sequence[SubmissionRecord], run_id: str
) -> dict[str, Any]:
    """Store judged records in one transaction; returns what was stored.

    Each record is matched to its registered submission by ``sha256``; its status,
    verdict, agency, fiscal year and round are set, its measures and findings
    replaced (so storing the same records again changes nothing), and versions per
    (lao_code, fiscal_year, round) are re-derived by received time
    (``itaflow.warehouse.versions``).
    Refuses the whole batch (``LoadError``, nothing written) for a record that was
    never registered, has no verdict, or names an lao_code not in ``agencies``.
    """
    by_sha = {r.sha256: r for r in records}  # the same file twice: the last one counts
    engine = engine_for(engine)
    clock = _Clock()
    with write_tx(engine) as conn:
        clock.lap("lock")
        subs = {
            r.sha256: r
            for r in select_in(
                conn,
                [
                    submissions.c.id,
                    submissions.c.sha256,
                    submissions.c.lao_code,
                    submissions.c.fiscal_year,
                    submissions.c.round,
                ],
                submissions.c.sha256,
                by_sha,
            )
        }
        _refuse_unknown(conn, by_sha, subs)
        statuses = {sha: submission_status(rec) for sha, rec in by_sha.items()}
        old_keys = {(s.lao_code, s.fiscal_year, s.round) for s in subs.values()}
        values = [
            _judged_values(rec, subs[sha].id, statuses[sha], run_id) for sha, rec in by_sha.items()
        ]
        clock.lap("check")
        if values:
            conn.execute(update(submissions).where(submissions.c.id == bindparam("b_id")), values)
        clock.lap("submissions")
        ids = sorted(s.id for s in subs.values())
        for part in chunks(ids):
            conn.execute(measures.delete().where(measures.c.submission_id.in_(part)))
            conn.execute(
                findings.delete().where(
                    findings.c.submission_id.in_(part), findings.c.receipt_id.is_(None)
                )
            )
        clock.lap("delete")
        measure_rows = [
            _measure_row(subs[sha].id, i, m)
            for sha, rec in by_sha.items()
            for i, m in enumerate(rec.measures, start=1)
        ]
        finding_rows = [
            finding_row(subs[sha].id, f) for sha, rec in by_sha.items() for f in rec.findings
        ]
        insert_rows(conn, measures, measure_rows)
        insert_rows(conn, findings, finding_rows)
        clock.lap("insert")
        new_keys = {(v["lao_code"], v["fiscal_year"], v["round"]) for v in values}
        changed = unversion(conn, [v["b_id"] for v in values if not _complete(v)])
        changed += reversion(conn, old_keys | new_keys)
        clock.lap("versions")
        log.info(
            "run %s: %d submissions, %d measures, %d findings written; uncommitted until the batch ends",
            run_id,
            len(values),
            len(measure_rows),
            len(finding_rows),
        )
    clock.lap("commit")
    summary: dict[str, Any] = {
        "run_id": run_id,
        "submissions": len(values),
        "measures": len(measure_rows),
        "findings": len(finding_rows),
        "versions_changed": changed,
        "seconds": clock.laps,
        **{s: 0 for s in ("accepted", "accepted_with_warnings", "rejected", "quarantined")},
    }
    summary.update(Counter(statuses.values()))
    return summary


def _refuse_unknown(
    conn: Connection, by_sha: dict[str, SubmissionRecord], subs: dict[str, Any]
) -> None:
    unregistered = [rec.file for sha, rec in by_sha.items() if sha not in subs]
    if unregistered:
        raise LoadError(
            f"not registered as received (call register_received first): {unregistered[:5]}"
        )
    codes = {rec.agency.lao_code for rec in by_sha.values() if rec.agency.lao_code}
    known = {r.lao_code for r in select_in(conn, [agencies.c.lao_code], agencies.c.lao_code, codes)}
    if codes - known:
        raise LoadError(
            f"lao_code not in agencies (run sync_registry): {sorted(codes - known)[:5]}"
        )


def _judged_values(
    record: SubmissionRecord, sub_id: int, status: str, run_id: str
) -> dict[str, Any]:
    agency, reporter = record.agency, record.reporter
    return {
        "b_id": sub_id,
        "status": status,
        "verdict": record.verdict or "rejected",
        "reason": clean(_reason(record, status)),
        "format": clean(record.format),
        "lao_code": agency.lao_code or None,
        "agency_name": clean(agency.name),
        "stated_district": clean(agency.district),
        "stated_province": clean(agency.province),
        "match_score": agency.match_score,
        "fiscal_year": record.fiscal_year,
        "round": record.round,
        "reporter_name": clean(reporter.name),
        "reporter_position": clean(reporter.position),
        "title": clean(record.title or None),
        "loaded_run_id": run_id,
    }


def _complete(values: Mapping[str, Any]) -> bool:
    return all(values[k] is not None for k in ("lao_code", "fiscal_year", "round"))
