"""Writing to the warehouse: the registry, received files, and judged submissions.

Every function here is one transaction under the warehouse write lock, takes its
timestamps from the caller (never ``now()``), and can be re-run with the same
input without changing anything: a DAG task that is retried or re-run, or a
process killed half-way, leaves the warehouse as a finished load or as no load.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import re
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Engine, Table, bindparam, select, update
from sqlalchemy.engine import URL

from itaflow.models import Finding, Measure, SubmissionRecord
from itaflow.warehouse.db import as_date, engine_for, iso_local, local_time, write_tx
from itaflow.warehouse.schema import agencies, findings, measures, receipts, submissions

log = logging.getLogger(__name__)

# Rows per IN (...) list: well under SQLite's and PostgreSQL's bound-parameter limits.
CHUNK = 900

Key = tuple[str, int, str]  # (lao_code, fiscal_year, round)


class LoadError(ValueError):
    """A batch the warehouse must refuse whole (nothing was written)."""


# --- helpers ------------------------------------------------------------------------


def _chunks(items: Sequence[Any], size: int = CHUNK) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


_BAD_TEXT = re.compile("[\x00\ud800-\udfff]")
_JSON = json.JSONEncoder(ensure_ascii=False, default=str).encode


def _fix_char(match: re.Match[str]) -> str:
    return "" if match.group() == "\x00" else "\ufffd"


def clean(value: Any) -> Any:
    """Text as the databases accept it: no NUL (PostgreSQL refuses it in text and
    JSON) and no lone surrogates (not encodable as UTF-8; they become U+FFFD).
    Submissions can hold anything, and one odd character must not fail a batch."""
    if isinstance(value, str):
        return value if _BAD_TEXT.search(value) is None else _BAD_TEXT.sub(_fix_char, value)
    if isinstance(value, list | tuple):
        return [clean(v) for v in value]
    if isinstance(value, dict):
        return {clean(str(k)): clean(v) for k, v in value.items()}
    return value


def _json(value: Any) -> str:
    """A JSON column value, serialised once here for both bulk paths (Thai kept readable).

    The encoder escapes NUL as ``\\u0000`` and passes lone surrogates through, so one
    look at the encoded text tells whether the (rare) cleaning pass is needed."""
    text = _JSON(value)
    if "\\u0000" in text or _BAD_TEXT.search(text):
        text = _JSON(clean(value))
    return text


def _ts(value: datetime | None) -> str | None:
    """A timestamp as SQLAlchemy stores it on SQLite (PostgreSQL parses the same text)."""
    return value.strftime("%Y-%m-%d %H:%M:%S.%f") if value else None


def _day(value: Any) -> str | None:
    day = as_date(value)
    return day.isoformat() if day else None


def _as_dict(item: Any) -> dict[str, Any]:
    if dataclasses.is_dataclass(item) and not isinstance(item, type):
        return dataclasses.asdict(item)
    return dict(item)


def _select_in(
    conn: Connection, columns: list[Any], key_column: Any, keys: Iterable[Any]
) -> list[Any]:
    keys = sorted(set(keys))
    rows: list[Any] = []
    for part in _chunks(keys):
        rows.extend(conn.execute(select(*columns).where(key_column.in_(part))).all())
    return rows


def _insert_rows(conn: Connection, table: Table, rows: list[dict[str, Any]]) -> None:
    """Bulk insert of rows whose values are already what the database stores (JSON as
    text, timestamps via ``_ts``, dates as ISO): COPY on PostgreSQL, the driver's
    executemany on SQLite. Skipping SQLAlchemy's per-value processing is what makes
    a national round (160,000 measures) load in seconds."""
    if not rows:
        return
    columns = list(rows[0])
    tuples = [tuple(row.values()) for row in rows]
    dbapi = conn.connection.driver_connection
    if conn.dialect.name == "postgresql":
        from psycopg.copy import QueuedLibpqWriter

        statement = f"COPY {table.name} ({', '.join(columns)}) FROM STDIN"
        # A writer thread sends while Python formats the next rows (2 cores).
        with dbapi.cursor() as cur, cur.copy(statement, writer=QueuedLibpqWriter(cur)) as copy:
            for row in tuples:
                copy.write_row(row)
        return
    marks = ", ".join("?" for _ in columns)
    cur = dbapi.cursor()
    try:
        cur.executemany(f"INSERT INTO {table.name} ({', '.join(columns)}) VALUES ({marks})", tuples)
    finally:
        cur.close()


# --- registry -----------------------------------------------------------------------


def sync_registry(engine: Engine | str | URL) -> dict[str, int]:
    """Make ``agencies`` match the packaged registry (``itaflow/data/lao_registry.csv``).

    New LAOs are inserted, changed ones updated, and LAOs that left the registry
    are marked inactive, never deleted (their old submissions still point at
    them). Writes nothing when already in sync, so every DAG run can call it.
    """
    from itaflow import registry

    wanted = {
        code: {
            "lao_code": code,
            "name_th": lao.name_th,
            "full_name_th": registry.full_name(lao),
            "lao_type": lao.lao_type,
            "type_th": lao.type_th,
            "province_code": lao.province_code,
            "province_th": lao.province_th,
            "province_en": lao.province_en,
            "district_th": lao.district_th,
            "active": True,
        }
        for code, lao in registry.load().items()
    }
    engine = engine_for(engine)
    with write_tx(engine) as conn:
        have = {row["lao_code"]: dict(row) for row in conn.execute(select(agencies)).mappings()}
        new = [row for code, row in wanted.items() if code not in have]
        changed = [row for code, row in wanted.items() if code in have and have[code] != row]
        retired = [
            {"b_code": code} for code, row in have.items() if code not in wanted and row["active"]
        ]
        if new:
            conn.execute(agencies.insert(), new)
        if changed:
            conn.execute(
                update(agencies).where(agencies.c.lao_code == bindparam("b_code")),
                [{**row, "b_code": row.pop("lao_code")} for row in changed],
            )
        if retired:
            conn.execute(
                update(agencies)
                .where(agencies.c.lao_code == bindparam("b_code"))
                .values(active=False),
                retired,
            )
    return {
        "agencies": len(wanted),
        "inserted": len(new),
        "updated": len(changed),
        "retired": len(retired),
    }


# --- received files -----------------------------------------------------------------

DUPLICATE_MESSAGE = (
    "ไฟล์นี้มีเนื้อหาเดียวกับไฟล์ที่ได้รับแล้ว (รายการที่ {id}: {name} รับเมื่อ {at}) ไม่นับเป็นรายงานใหม่"
    " / the same bytes were already received as submission {id} ({name}, {at}); not a new report"
)


def register_received(
    engine: Engine | str | URL, files: Sequence[Mapping[str, Any] | Any], run_id: str
) -> list[dict[str, Any]]:
    """Record the files a run found in the inbox; returns one outcome per file, in order.

    ``files`` are ``itaflow.collect.ReceivedFile`` objects or dicts with ``sha256,
    size, original_name, inbox_path, stored_path, received_at`` (optional
    ``format``, ``problem``, ``claimed_at``, ``arrival_source``). ``received_at`` is the
    arrival time intake recorded (or a gateway's manifest), never the file's mtime:
    that one is ``claimed_at``, kept and shown but never used for lateness or versions. Each result is ``{sha256, inbox_path, submission_id,
    receipt_id, outcome}`` where ``outcome`` is:

    - ``new``: first time these bytes were received: a submission, status ``received``
      (or ``quarantined`` at once when the file has a ``problem``, e.g. a link out of
      the inbox: it gets an ``unreadable_file`` finding and is never read);
    - ``duplicate``: the bytes were already a submission: the receipt ends rejected
      with a ``duplicate_submission`` finding, no second submission;
    - ``seen``: this path with these bytes was registered by an earlier run (the inbox
      is never emptied): nothing new is recorded.

    Re-running the same ``run_id`` returns the same outcomes and writes nothing.
    """
    items = [_as_dict(f) for f in files]
    engine = engine_for(engine)
    with write_tx(engine) as conn:
        shas = {f["sha256"] for f in items}
        known = _submissions_by_sha(conn, shas)
        seen = {
            (r.inbox_path, r.sha256): r
            for r in _select_in(
                conn,
                [
                    receipts.c.id,
                    receipts.c.run_id,
                    receipts.c.inbox_path,
                    receipts.c.sha256,
                    receipts.c.is_duplicate,
                ],
                receipts.c.sha256,
                shas,
            )
        }
        order = sorted(
            range(len(items)),
            key=lambda i: (local_time(items[i]["received_at"]), items[i]["inbox_path"]),
        )
        new_subs: dict[str, dict[str, Any]] = {}
        new_receipts: dict[tuple[str, str], dict[str, Any]] = {}
        for i in order:
            f = items[i]
            key = (clean(f["inbox_path"]), f["sha256"])
            if key in seen or key in new_receipts:
                continue
            is_duplicate = f["sha256"] in known or f["sha256"] in new_subs
            if not is_duplicate:
                new_subs[f["sha256"]] = _submission_row(f, run_id)
            new_receipts[key] = {
                "run_id": run_id,
                "inbox_path": key[0],
                "original_name": clean(f["original_name"]),
                "sha256": f["sha256"],
                "size": f["size"],
                "received_at": _ts(local_time(f["received_at"])),
                "is_duplicate": is_duplicate,
                **_arrival_fields(f),
            }
        if new_subs:
            _insert_rows(conn, submissions, list(new_subs.values()))
            known = _submissions_by_sha(conn, shas)
        ids: dict[tuple[str, str], int] = {}
        if new_receipts:
            rows = [{**r, "submission_id": known[r["sha256"]].id} for r in new_receipts.values()]
            _insert_rows(conn, receipts, rows)
            ids = {
                (r.inbox_path, r.sha256): r.id
                for r in conn.execute(
                    select(receipts.c.id, receipts.c.inbox_path, receipts.c.sha256).where(
                        receipts.c.run_id == run_id
                    )
                )
            }
            _insert_rows(conn, findings, _registration_findings(new_receipts, new_subs, known, ids))
        results = []
        for f in items:
            key = (clean(f["inbox_path"]), f["sha256"])
            sub = known[f["sha256"]]
            if key in new_receipts:
                outcome = "duplicate" if new_receipts[key]["is_duplicate"] else "new"
                receipt_id = ids[key]
            else:
                earlier = seen[key]
                receipt_id = earlier.id
                if earlier.run_id != run_id:
                    outcome = "seen"
                else:
                    outcome = "duplicate" if earlier.is_duplicate else "new"
            results.append(
                {
                    "sha256": f["sha256"],
                    "inbox_path": key[0],
                    "submission_id": sub.id,
                    "receipt_id": receipt_id,
                    "outcome": outcome,
                }
            )
    counts = Counter(r["outcome"] for r in results)
    log.info("run %s: %s", run_id, dict(counts))
    return results


def _submissions_by_sha(conn: Connection, shas: Iterable[str]) -> dict[str, Any]:
    columns = [
        submissions.c.id,
        submissions.c.sha256,
        submissions.c.original_name,
        submissions.c.received_at,
    ]
    return {r.sha256: r for r in _select_in(conn, columns, submissions.c.sha256, shas)}


def _submission_row(f: dict[str, Any], run_id: str) -> dict[str, Any]:
    problem = f.get("problem")
    return {
        "sha256": f["sha256"],
        "size": f["size"],
        "format": clean(f.get("format")),
        "original_name": clean(f["original_name"]),
        "inbox_path": clean(f["inbox_path"]),
        "stored_path": clean(f.get("stored_path") or ""),
        "received_at": _ts(local_time(f["received_at"])),
        "run_id": run_id,
        "status": "quarantined" if problem else "received",
        "verdict": "rejected" if problem else None,
        "reason": clean(problem),
        "is_current": False,
        "loaded_run_id": run_id if problem else None,
        **_arrival_fields(f),
    }


def _arrival_fields(f: Mapping[str, Any]) -> dict[str, Any]:
    """The sender's claimed time (the file's mtime) and where the arrival time came from."""
    return {
        "claimed_at": _ts(local_time(f.get("claimed_at"))),
        "arrival_source": f.get("arrival_source") or "intake",
    }


def _registration_findings(
    new_receipts: dict[tuple[str, str], dict[str, Any]],
    new_subs: dict[str, dict[str, Any]],
    known: dict[str, Any],
    receipt_ids: dict[tuple[str, str], int],
) -> list[dict[str, Any]]:
    """``duplicate_submission`` per duplicate receipt; ``unreadable_file`` per file with a problem."""
    rows = []
    for key, r in new_receipts.items():
        sub = known[r["sha256"]]
        if r["is_duplicate"]:
            message = DUPLICATE_MESSAGE.format(
                id=sub.id, name=sub.original_name, at=iso_local(sub.received_at)
            )
            rows.append(
                _finding_row(sub.id, receipt_ids[key], "duplicate_submission", "error", message)
            )
    for sha, sub in new_subs.items():
        if sub["reason"]:
            rows.append(
                _finding_row(known[sha].id, None, "unreadable_file", "error", sub["reason"])
            )
    return rows


def _finding_row(
    submission_id: int,
    receipt_id: int | None,
    check: str,
    severity: str,
    message: str,
    measure_seq: int | None = None,
    field: str | None = None,
) -> dict[str, Any]:
    return {
        "submission_id": submission_id,
        "receipt_id": receipt_id,
        "measure_seq": measure_seq,
        "check_id": clean(check),
        "severity": severity,
        "field": clean(field),
        "message": clean(message),
    }


def _file_info(row: Any) -> dict[str, Any]:
    info = dict(row._mapping)
    info["received_at"] = iso_local(info["received_at"])
    return info


_FILE_COLUMNS = [
    submissions.c.id,
    submissions.c.sha256,
    submissions.c.size,
    submissions.c.format,
    submissions.c.original_name,
    submissions.c.inbox_path,
    submissions.c.stored_path,
    submissions.c.received_at,
    submissions.c.run_id,
    submissions.c.status,
]


def pending_submissions(
    engine: Engine | str | URL, limit: int | None = None
) -> list[dict[str, Any]]:
    """Submissions received but not yet judged, oldest first (what the validate DAG reads).

    A run killed before loading leaves its submissions here, so the next run
    picks them up. Each item: id, sha256, size, format, original_name,
    inbox_path, stored_path (the kept original), received_at (ISO, +07:00),
    run_id, status.
    """
    engine = engine_for(engine)
    query = (
        select(*_FILE_COLUMNS)
        .where(submissions.c.status == "received")
        .order_by(submissions.c.received_at, submissions.c.id)
        .limit(limit)
    )
    with engine.connect() as conn:
        return [_file_info(r) for r in conn.execute(query)]


def get_submissions(engine: Engine | str | URL, ids: Sequence[int]) -> list[dict[str, Any]]:
    """The same information as ``pending_submissions`` for given ids, whatever their status
    (a retried check task must find its batch even after a load went through)."""
    engine = engine_for(engine)
    with engine.connect() as conn:
        rows = _select_in(conn, _FILE_COLUMNS, submissions.c.id, ids)
    by_id = {r.id: _file_info(r) for r in rows}
    return [by_id[i] for i in ids if i in by_id]


# --- judged submissions -------------------------------------------------------------


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
        "responsible": _json(list(m.responsible or [])),
        "period_text": clean(m.period_text or ""),
        "period_start": _day(m.period_start),
        "period_end": _day(m.period_end),
        "result": clean(m.result or ""),
        "outcome": clean(m.outcome or ""),
        "status": m.status or "unknown",
        "raw": _json(stored_raw(m)),
    }


def _content_findings(submission_id: int, items: list[Finding]) -> list[dict[str, Any]]:
    return [
        _finding_row(submission_id, None, f.check, f.severity, f.message, f.measure_seq, f.field)
        for f in items
    ]


class _Clock:
    """Seconds per phase of a load, returned in its summary (and so in the task log)."""

    def __init__(self) -> None:
        self.laps: dict[str, float] = {}
        self._last = time.perf_counter()

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.laps[name] = round(now - self._last, 3)
        self._last = now


def load_batch(
    engine: Engine | str | URL, records: Sequence[SubmissionRecord], run_id: str
) -> dict[str, Any]:
    """Store judged records in one transaction; returns what was stored.

    Each record is matched to its registered submission by ``sha256``; its status,
    verdict, agency, fiscal year and round are set, its measures and findings
    replaced (so loading the same records again changes nothing), and versions per
    (lao_code, fiscal_year, round) are re-derived by received time: the newest is
    current, earlier ones point to the next via ``superseded_by`` and stay.
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
            for r in _select_in(
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
        for part in _chunks(ids):
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
            row
            for sha, rec in by_sha.items()
            for row in _content_findings(subs[sha].id, rec.findings)
        ]
        _insert_rows(conn, measures, measure_rows)
        _insert_rows(conn, findings, finding_rows)
        clock.lap("insert")
        new_keys = {(v["lao_code"], v["fiscal_year"], v["round"]) for v in values}
        changed = _unversion(conn, [v["b_id"] for v in values if not _complete(v)])
        changed += _reversion(conn, old_keys | new_keys)
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
    known = {
        r.lao_code for r in _select_in(conn, [agencies.c.lao_code], agencies.c.lao_code, codes)
    }
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


def assign_versions(rows: Iterable[Mapping[str, Any]]) -> dict[int, dict[str, Any]]:
    """Version numbers for the submissions of LAO rounds, from their received times.

    ``rows``: every judged submission of some (lao_code, fiscal_year, round) keys,
    each with id, lao_code, fiscal_year, round, received_at. Returns, per id, the
    version (1 = first), is_current (the newest) and superseded_by (the next one).
    Ties in received time are broken by id, i.e. by registration order.
    """
    groups: dict[Key, list[Mapping[str, Any]]] = defaultdict(list)
    for row in rows:
        groups[(row["lao_code"], row["fiscal_year"], row["round"])].append(row)
    wanted: dict[int, dict[str, Any]] = {}
    for group in groups.values():
        group.sort(key=lambda r: (r["received_at"], r["id"]))
        for i, row in enumerate(group):
            nxt = group[i + 1]["id"] if i + 1 < len(group) else None
            wanted[row["id"]] = {"version": i + 1, "is_current": nxt is None, "superseded_by": nxt}
    return wanted


def _complete(values: Mapping[str, Any]) -> bool:
    return all(values[k] is not None for k in ("lao_code", "fiscal_year", "round"))


def _unversion(conn: Connection, ids: list[int]) -> int:
    """Submissions that belong to no LAO round (unmatched, unreadable) have no version."""
    changed = 0
    for part in _chunks(ids):
        changed += conn.execute(
            update(submissions)
            .where(
                submissions.c.id.in_(part),
                (submissions.c.version.is_not(None))
                | submissions.c.is_current
                | submissions.c.superseded_by.is_not(None),
            )
            .values(version=None, is_current=False, superseded_by=None)
        ).rowcount
    return changed


def _reversion(conn: Connection, keys: set[tuple[Any, Any, Any]]) -> int:
    """Re-derive versions for the given keys; writes only the rows that change."""
    keys = {k for k in keys if all(v is not None for v in k)}
    if not keys:
        return 0
    columns = [
        submissions.c.id,
        submissions.c.lao_code,
        submissions.c.fiscal_year,
        submissions.c.round,
        submissions.c.received_at,
        submissions.c.version,
        submissions.c.is_current,
        submissions.c.superseded_by,
        submissions.c.status,
    ]
    rows = [
        r._mapping
        for r in _select_in(conn, columns, submissions.c.lao_code, {k[0] for k in keys})
        if (r.lao_code, r.fiscal_year, r.round) in keys and r.status != "received"
    ]
    wanted = assign_versions(rows)
    changes = [
        {"b_id": r["id"], **wanted[r["id"]]}
        for r in rows
        if (r["version"], bool(r["is_current"]), r["superseded_by"])
        != tuple(wanted[r["id"]].values())
    ]
    if changes:
        conn.execute(update(submissions).where(submissions.c.id == bindparam("b_id")), changes)
    return len(changes)
