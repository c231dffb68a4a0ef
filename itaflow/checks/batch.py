"""Check a batch of records: derive columns, validate once per table, judge.

This is the stage's entry point (``itaflow.checks.judge_records``). It takes the
records extraction produced and gives back the same records with ``findings``
(the reader's and extraction's kept first) and ``verdict`` set.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from itaflow.checks import derive, findings, suites, validate
from itaflow.checks.measure_columns import measure_rows
from itaflow.checks.submission_columns import submission_row
from itaflow.models import Finding, SubmissionRecord
from itaflow.settings import Settings


@dataclass
class CheckRun:
    """The checked records, and where this batch's Data Docs are (when built)."""

    records: list[SubmissionRecord]
    data_docs: Path | None = None  # the Data Docs site's index.html
    batch_name: str = ""
    problems: list[str] | None = None  # expectations GE could not evaluate


def batch_name_of(records: list[SubmissionRecord]) -> str:
    """A stable name for a batch: the same files give the same name (and Data Docs folder)."""
    digest = hashlib.sha256("\n".join(r.sha256 or r.file for r in records).encode()).hexdigest()
    return f"batch-{digest[:12]}"


def judge_records(
    records: list[SubmissionRecord],
    settings: Settings,
    *,
    data_docs: bool = False,
    batch_name: str | None = None,
    spent: list[float] | None = None,
) -> CheckRun:
    """Run every suite in ``settings.expectations_dir`` over the batch.

    ``spent``: seconds each record already used reading and extracting; its checks
    get what is left of ``settings.seconds_per_file_total`` (see ``derive_within_budget``).

    With ``data_docs`` the Great Expectations Data Docs of this run are built
    into ``settings.reports_out / "data_docs" / <batch name>`` and the index
    path is returned in ``CheckRun.data_docs``.
    """
    name = batch_name or batch_name_of(records)
    if not records:
        return CheckRun([], None, name, [])
    loaded = suites.load_suites(
        settings.expectations_dir,
        required=settings.required_fields,
        recommended=settings.recommended_fields,
    )
    fields = derive.measure_fields(settings.required_fields, settings.recommended_fields)
    records, rows = derive_within_budget(records, fields, settings.seconds_per_file_total, spent)
    tables = derive.frames(records, fields, rows=rows)
    docs_dir = settings.reports_out / "data_docs" / name if data_docs else None
    result = validate.run(tables, loaded, run_name=name, docs_dir=docs_dir)

    labels: dict[str, Any] = {}
    for suite in loaded:
        labels.update(suite.meta.get("field_labels") or {})
    rows = {t: _by_ids(frame, derive.ROW_IDS[t]) for t, frame in tables.items()}
    failed: dict[int, list[tuple[dict[str, Any], dict[str, Any]]]] = defaultdict(list)
    for failure in result.failures:
        failed[int(failure.row[0])].append((failure.meta, rows[failure.table][failure.row]))

    checked = []
    for key, record in enumerate(records):
        new = findings_for(failed[key], len(record.measures), labels)
        merged = findings.merge(record.findings, new)
        checked.append(replace(record, findings=merged, verdict=findings.verdict_of(merged)))
    return CheckRun(checked, result.data_docs, name, result.problems)


def derive_within_budget(
    records: list[SubmissionRecord],
    fields: tuple[str, ...],
    total: float,
    spent: list[float] | None = None,
) -> tuple[list[SubmissionRecord], list[tuple[dict[str, Any], list[dict[str, Any]]]]]:
    """Each record's derived columns, computed under what is left of its time budget
    (``total`` seconds per file, ``spent`` already used). ``fields``: ``derive.measure_fields``.

    The Python-side columns (similarity, registry look-ups, script detection) are the
    part of checking whose cost depends on one file; a record over its budget becomes
    an unreadable one with the reason, and the batch goes on. Great Expectations then
    validates the whole batch at once, at a cost linear in its rows.
    """
    from itaflow.process import FileTimeout, time_limit

    spent = spent or [0.0] * len(records)
    _warm_up(fields)
    kept, rows = [], []
    for key, (record, used) in enumerate(zip(records, spent, strict=True)):
        try:
            if total - used <= 0:
                raise FileTimeout
            with time_limit(total - used):
                row = (
                    submission_row(key, record),
                    measure_rows(key, record, fields),
                )
        except FileTimeout:
            record = over_budget(record, total)
            row = (submission_row(key, record), measure_rows(key, record, fields))
        kept.append(record)
        rows.append(row)
    return kept, rows


def _warm_up(fields: tuple[str, ...]) -> None:
    """Load what every file's checks share (registry, dictionaries) before any clock runs,
    so the first file of a batch is not charged for it."""
    from itaflow.models import Measure

    text = "องค์การบริหารส่วนตำบลตัวอย่าง ประชุมชี้แจงบุคลากร 1 ต.ค. 2567"
    probe = SubmissionRecord(
        file="",
        sha256="",
        format="unknown",
        text=text,
        measures=[Measure(seq=1, measure=text, steps=text, result=text, outcome=text)],
    )
    submission_row(0, probe)
    measure_rows(0, probe, fields)


def over_budget(record: SubmissionRecord, seconds: float) -> SubmissionRecord:
    """The record of a file whose reading and checks took longer than its whole budget."""
    reason = Finding(
        "unreadable_file",
        "error",
        f"อ่านและตรวจไฟล์นานเกิน {seconds:g} วินาที ระบบหยุดตรวจไฟล์นี้ กรุณาตรวจสอบขนาดไฟล์แล้วส่งใหม่"
        f" / reading and checking took longer than {seconds:g} s; the file was not checked",
    )
    return replace(record, measures=[], readable=False, findings=[*record.findings, reason])


def _by_ids(frame: Any, ids: tuple[str, ...]) -> dict[tuple[Any, ...], dict[str, Any]]:
    return {tuple(row[c] for c in ids): row for row in frame.to_dict("records")}


def findings_for(
    failures: list[tuple[dict[str, Any], dict[str, Any]]],
    measure_count: int,
    labels: dict[str, Any],
) -> list[Finding]:
    """One record's failing rows as findings, measure rules that failed on every
    measure folded into one submission-level finding."""
    groups: dict[tuple, list[tuple[dict[str, Any], dict[str, Any]]]] = defaultdict(list)
    out: list[Finding] = []
    for meta, row in failures:
        if row.get("measure_seq") is None:
            out.append(findings.make_finding(meta, row, labels))
        else:
            groups[
                (meta["check_id"], meta.get("field"), meta["severity"], meta["message_th"])
            ].append((meta, row))
    for group in groups.values():
        seqs = {row["measure_seq"] for _, row in group}
        if measure_count >= 2 and len(seqs) >= measure_count:
            meta, row = group[0]
            out.append(findings.make_finding(meta, row, labels, measure_count=measure_count))
        else:
            out.extend(findings.make_finding(meta, row, labels) for meta, row in group)
    rank = findings.SEVERITY_RANK
    return sorted(
        out,
        key=lambda f: (f.measure_seq is not None, f.measure_seq or 0, rank[f.severity], f.check),
    )
