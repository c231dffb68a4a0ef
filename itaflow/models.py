"""The plain data that flows between stages.

Every stage takes these in and gives these out, so a stage can be tested without
the others, without a database and without Airflow. The JSON shape of
``SubmissionRecord.to_json`` is the public contract of ``itaflow inspect --json``
(see CONTRACT.md): extend it, never rename.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any, Literal

Format = Literal["txt", "md", "html", "docx", "xlsx", "xls", "pdf", "unknown"]
Severity = Literal["error", "warning"]
Verdict = Literal["accepted", "accepted_with_warnings", "rejected"]
Round = Literal["H1", "FY"]
Status = Literal["done", "in_progress", "not_started", "unknown"]

# The fields of a measure that checks and the warehouse know by name.
MEASURE_TEXT_FIELDS = ("measure", "steps", "responsible", "period", "result", "outcome")


@dataclass
class Block:
    """One piece of a document in reading order: a paragraph line or a table.

    Readers fill ``text`` for ``kind == "text"`` and ``rows`` for ``kind == "table"``.
    Cell text is raw (as read, not normalised); a merged cell is repeated in every
    grid position it covers only when the reader cannot tell otherwise, else it sits
    in its first position and the others are "".
    """

    kind: Literal["text", "table"]
    text: str = ""
    rows: list[list[str]] = field(default_factory=list)
    page: int | None = None


@dataclass
class Finding:
    """One failed check on a submission (``measure_seq`` None) or on one measure."""

    check: str
    severity: Severity
    message: str
    measure_seq: int | None = None
    field: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "check": self.check,
            "severity": self.severity,
            "measure_seq": self.measure_seq,
            "field": self.field,
            "message": self.message,
        }


@dataclass
class Document:
    """What a reader makes of one file: blocks in reading order, still raw text.

    ``problems`` holds reader-level findings (``unreadable_file`` with its reason);
    a document with an ``unreadable_file`` problem has no blocks.
    """

    format: Format
    blocks: list[Block] = field(default_factory=list)
    encoding: str | None = None
    pages: int | None = None
    problems: list[Finding] = field(default_factory=list)

    @property
    def readable(self) -> bool:
        return not any(p.check == "unreadable_file" for p in self.problems)

    def text(self) -> str:
        """All text, tables flattened row by row with tabs, for searching."""
        parts: list[str] = []
        for b in self.blocks:
            if b.kind == "text":
                parts.append(b.text)
            else:
                parts.extend("\t".join(row) for row in b.rows)
        return "\n".join(parts)


@dataclass
class Agency:
    lao_code: str | None = None
    name: str | None = None  # as written in the document (normalised)
    type_th: str | None = None
    district: str | None = None  # as stated in the document, else from the registry
    province: str | None = None
    match_score: float = 0.0


@dataclass
class Reporter:
    name: str | None = None
    position: str | None = None


@dataclass
class Measure:
    seq: int
    category: str | None = None  # IIT | EIT | OIT
    indicator: str | None = None  # O17 | 8.4
    measure: str = ""
    steps: str = ""
    responsible: list[str] = field(default_factory=list)
    period_text: str = ""
    period_start: date | None = None
    period_end: date | None = None
    result: str = ""
    outcome: str = ""
    status: Status = "unknown"
    # Original cell text per field (before normalisation), for provenance.
    raw: dict[str, str] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        d = asdict(self)
        d.pop("raw")
        d["period_start"] = self.period_start.isoformat() if self.period_start else None
        d["period_end"] = self.period_end.isoformat() if self.period_end else None
        return d


def field_text(measure: Measure, name: str) -> str:
    """A measure field as one string ("period" is the period as written), the form
    both extraction's evidence and the checks' columns read."""
    if name == "period":
        return measure.period_text
    value = getattr(measure, name, None)
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    return "" if value is None else str(value)


@dataclass
class SubmissionRecord:
    """One file read, extracted and (after ``checks``) judged."""

    file: str
    sha256: str
    format: Format
    agency: Agency = field(default_factory=Agency)
    fiscal_year: int | None = None
    round: Round | None = None
    reporter: Reporter = field(default_factory=Reporter)
    measures: list[Measure] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    verdict: Verdict | None = None
    size: int = 0
    title: str = ""  # the title lines as read, normalised
    text: str = ""  # the whole normalised text, for checks; not part of the JSON contract
    readable: bool = True
    # What extraction saw that checks need (years in the title, agency names
    # mentioned, stated district/province, document-kind signals ...). Keys are
    # documented where they are set in ``itaflow.extract``.
    evidence: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        """The ``itaflow inspect --json`` object (CONTRACT.md)."""
        return {
            "file": self.file,
            "sha256": self.sha256,
            "format": self.format,
            "agency": asdict(self.agency),
            "fiscal_year": self.fiscal_year,
            "round": self.round,
            "reporter": asdict(self.reporter),
            "measures": [m.to_json() for m in self.measures],
            "findings": [f.to_json() for f in self.findings],
            "verdict": self.verdict,
        }


# --- What the office sees: one round of one province ------------------------------

LaoState = Literal["accepted", "accepted_with_warnings", "rejected", "quarantined", "missing"]


@dataclass
class LaoRoundStatus:
    """One expected LAO in one round: what (if anything) it sent and how it was judged."""

    lao_code: str
    name_th: str  # full name, e.g. องค์การบริหารส่วนตำบลด่านช้าง
    type_th: str
    district: str
    province: str
    state: LaoState = "missing"
    on_time: bool | None = None  # None when nothing was received
    received_at: str | None = None  # ISO timestamp of the current version
    version: int = 0  # 0 = nothing received; 2+ = resubmitted
    original_name: str | None = None
    submission_id: int | None = None
    measure_count: int = 0
    errors: int = 0
    warnings: int = 0
    findings: list[Finding] = field(default_factory=list)
    status_counts: dict[str, int] = field(default_factory=dict)  # measure status -> count


@dataclass
class ReportData:
    """Everything the provincial report for one round shows, as plain data.

    Built by ``itaflow.warehouse`` queries, rendered by ``itaflow.compile``; the
    renderers never query the database and the queries never format. Its counts
    and rates are ``itaflow.present.counts``'s, computed in that one place.
    """

    fiscal_year: int
    round: Round
    province: str | None
    period_start: date
    period_end: date
    due_date: date
    generated_at: str  # ISO timestamp
    laos: list[LaoRoundStatus] = field(default_factory=list)
    category_counts: dict[str, int] = field(default_factory=dict)  # IIT/EIT/OIT/None -> measures
    check_counts: dict[str, int] = field(default_factory=dict)  # check id -> findings
    data_docs: list[str] = field(default_factory=list)  # paths/URLs of GE Data Docs pages
    unmatched_files: list[dict[str, Any]] = field(default_factory=list)  # files with no LAO
    # Every measure of the current submissions (warehouse rows: submission_id, position,
    # seq, category, indicator, measure, steps, responsible, period_*, result, outcome, status).
    measures: list[dict[str, Any]] = field(default_factory=list)
    previous: list[ReportData] = field(default_factory=list)  # comparison rounds with data
    trend: list[dict[str, Any]] = field(
        default_factory=list
    )  # fiscal_year, round, expected, received, on_time
    finding_history: list[dict[str, Any]] = field(
        default_factory=list
    )  # lao_code, fiscal_year, round, check
    office_name: str | None = None  # who signs the report (settings)
    officer_name: str | None = None
    officer_position: str | None = None

    # The figures below are ``itaflow.present.counts``'s (imported late: that module
    # reads these models); every figure of a round is computed there once.
    @property
    def counts(self) -> dict[str, int]:
        from itaflow.present.counts import state_counts

        return state_counts(self.laos)

    expected = property(lambda self: self.counts["expected"])
    received = property(lambda self: self.counts["received"])
    on_time = property(lambda self: self.counts["on_time"])
    late = property(lambda self: self.counts["late"])

    @property
    def reporting_rate(self) -> float:
        from itaflow.present.counts import rate

        return rate(self.received, self.expected)

    @property
    def on_time_rate(self) -> float:
        from itaflow.present.counts import rate

        return rate(self.on_time, self.expected)
