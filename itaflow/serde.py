"""Records (and other task results) to and from JSON files, so DAG tasks pass file
paths instead of big XComs.

Unlike ``SubmissionRecord.to_json`` (the public inspect shape) this keeps
everything: provenance (``Measure.raw``), title, text and evidence.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import date
from pathlib import Path
from typing import Any

from itaflow.models import Agency, Finding, Measure, Reporter, SubmissionRecord


def record_to_dict(record: SubmissionRecord) -> dict[str, Any]:
    return asdict(record)


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def record_from_dict(data: dict[str, Any]) -> SubmissionRecord:
    measures = []
    for m in data.get("measures", []):
        m = dict(m)
        m["period_start"] = _date(m.get("period_start"))
        m["period_end"] = _date(m.get("period_end"))
        measures.append(Measure(**m))
    return SubmissionRecord(
        **{
            **data,
            "agency": Agency(**data.get("agency", {})),
            "reporter": Reporter(**data.get("reporter", {})),
            "measures": measures,
            "findings": [Finding(**f) for f in data.get("findings", [])],
        }
    )


def write_json(payload: Any, path: Path) -> Path:
    """Write atomically: a task killed mid-write leaves no half file for the next task."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(path.suffix + ".part")
    partial.write_text(json.dumps(payload, ensure_ascii=False, default=str), encoding="utf-8")
    partial.replace(path)
    return path


def read_json(path: Path) -> Any:
    return json.loads(Path(path).read_text(encoding="utf-8"))


def write_records(records: list[SubmissionRecord], path: Path) -> Path:
    return write_json([record_to_dict(r) for r in records], path)


def read_records(path: Path) -> list[SubmissionRecord]:
    return [record_from_dict(d) for d in read_json(path)]
