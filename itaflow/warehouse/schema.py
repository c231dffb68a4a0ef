"""The warehouse tables (SQLAlchemy 2 Core metadata).

This module is the description of the schema; the Alembic migrations in
``itaflow/migrations`` are how a database gets there, and a test proves both
agree on SQLite and PostgreSQL. The generated DDL is kept readable in
``sql/schema.<dialect>.sql``; rewrite it with
``uv run python -c "from itaflow.warehouse.schema import write_ddl; write_ddl()"``.

Vocabulary: a *receipt* is one file seen arriving in the inbox by one run; a
*submission* is one distinct content (sha256) with its verdict, versioned per
LAO and round; the same bytes arriving again is a second receipt of the same
submission, marked duplicate. Times are naive Asia/Bangkok local time.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.schema import CreateIndex, CreateTable

# Stable constraint names, so later migrations can refer to them on both engines.
metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

SUBMISSION_STATUSES = ("received", "accepted", "accepted_with_warnings", "rejected", "quarantined")
MAIL_STATUSES = ("pending", "sent", "failed", "written_to_outbox", "skipped_already_sent")
REMINDER_STATUSES = ("pending", "sent", "written_to_outbox", "failed")
# Mail states after which a report or a reminder must not be mailed again.
DELIVERED = ("sent", "written_to_outbox")

# SQLite only auto-increments an INTEGER PRIMARY KEY; PostgreSQL gets a BIGINT identity.
Id = BigInteger().with_variant(Integer(), "sqlite")


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


agencies = Table(
    "agencies",
    metadata,
    Column("lao_code", String(16), primary_key=True),
    Column("name_th", Text, nullable=False),
    Column("full_name_th", Text, nullable=False),
    Column("lao_type", String(40), nullable=False),
    Column("type_th", String(40), nullable=False),
    Column("province_code", String(4), nullable=False),
    Column("province_th", Text, nullable=False),
    Column("province_en", Text),
    Column("district_th", Text, nullable=False),
    # False once the LAO leaves the registry (merged, upgraded): kept for history.
    Column("active", Boolean, nullable=False, default=True),
    Index(None, "province_th", "district_th"),
)

rounds = Table(
    "rounds",
    metadata,
    Column("fiscal_year", Integer, primary_key=True),  # BE
    Column("round", String(2), primary_key=True),
    Column("period_start", Date, nullable=False),
    Column("period_end", Date, nullable=False),
    Column("due_date", Date, nullable=False),  # the date in force when last read (settings)
    # A deadline the office moved in the warehouse (``set_due_date``): wins over the
    # configured default, loses to ITAFLOW_DUE_OVERRIDES (see ``warehouse.rounds``).
    Column("due_date_office", Date),
    CheckConstraint("round IN ('H1', 'FY')", name="round"),
)

submissions = Table(
    "submissions",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("sha256", String(64), nullable=False, unique=True),
    Column("size", BigInteger, nullable=False),
    Column("format", Text),
    Column("original_name", Text, nullable=False),
    Column("inbox_path", Text, nullable=False),
    Column("stored_path", Text, nullable=False),  # the kept original, named by its hash
    Column("received_at", DateTime, nullable=False),
    Column("run_id", Text, nullable=False),  # the run that first received it
    Column("status", String(24), nullable=False, default="received"),
    Column("verdict", String(24)),
    Column("reason", Text),  # the main reason for the status, Thai first
    Column("lao_code", String(16), ForeignKey("agencies.lao_code")),
    Column("agency_name", Text),  # as written in the document
    Column("stated_district", Text),
    Column("stated_province", Text),
    Column("match_score", Float),
    Column("fiscal_year", Integer),
    Column("round", String(2)),
    Column("reporter_name", Text),
    Column("reporter_position", Text),
    Column("title", Text),
    Column("version", Integer),  # 1, 2, ... per (lao_code, fiscal_year, round)
    Column("is_current", Boolean, nullable=False, default=False),
    Column("superseded_by", Id, ForeignKey("submissions.id")),
    Column("loaded_run_id", Text),  # the run whose load set the status
    # The file's own mtime: what the sender claims; never decides lateness or versions.
    Column("claimed_at", DateTime),
    Column("arrival_source", String(16)),  # intake (first seen by collect) | manifest (gateway)
    CheckConstraint(_in("status", SUBMISSION_STATUSES), name="status"),
    Index(None, "lao_code", "fiscal_year", "round"),
    Index(None, "status"),
)

receipts = Table(
    "receipts",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("run_id", Text, nullable=False),
    Column("inbox_path", Text, nullable=False),
    Column("original_name", Text, nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("size", BigInteger, nullable=False),
    Column("received_at", DateTime, nullable=False),
    Column("submission_id", Id, ForeignKey("submissions.id"), nullable=False),
    # True when these bytes were already a submission: the receipt ends rejected.
    Column("is_duplicate", Boolean, nullable=False, default=False),
    Column("claimed_at", DateTime),  # the file's mtime, kept as the sender's claim only
    Column("arrival_source", String(16)),
    UniqueConstraint("run_id", "inbox_path", "sha256"),
    Index(None, "sha256", "inbox_path"),
    Index(None, "submission_id"),
)

measures = Table(
    "measures",
    metadata,
    Column("submission_id", Id, ForeignKey("submissions.id"), primary_key=True),
    # 1, 2, ... in document order: ``seq`` is the number as written and can repeat
    # (numbering often restarts under each of IIT/EIT/OIT).
    Column("position", Integer, primary_key=True, autoincrement=False),
    Column("seq", Integer, nullable=False),
    Column("category", Text),
    Column("indicator", Text),
    Column("measure", Text, nullable=False),
    Column("steps", Text, nullable=False),
    Column("responsible", JSON, nullable=False),  # list of unit names
    Column("period_text", Text, nullable=False),
    Column("period_start", Date),
    Column("period_end", Date),
    Column("result", Text, nullable=False),
    Column("outcome", Text, nullable=False),
    Column("status", String(16), nullable=False),
    # Original cell text per field, for provenance, where it differs from the stored
    # normalised text (``judged.stored_raw``): an absent field's original is its stored value.
    Column("raw", JSON, nullable=False),
)

findings = Table(
    "findings",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("submission_id", Id, ForeignKey("submissions.id"), nullable=False),
    # Set only for findings about one receipt (duplicate_submission); those are not
    # replaced when the submission is loaded again.
    Column("receipt_id", Id, ForeignKey("receipts.id")),
    Column("measure_seq", Integer),
    Column("check_id", Text, nullable=False),
    Column("severity", String(8), nullable=False),
    Column("field", Text),
    Column("message", Text, nullable=False),
    CheckConstraint("severity IN ('error', 'warning')", name="severity"),
    Index(None, "submission_id"),
    Index(None, "receipt_id"),
)

report_runs = Table(
    "report_runs",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("fiscal_year", Integer, nullable=False),
    Column("round", String(2), nullable=False),
    Column("province", Text),  # None = every province seen
    Column("run_id", Text),
    Column("compiled_at", DateTime, nullable=False),
    Column("recipients", JSON, nullable=False),
    Column("files", JSON, nullable=False),
    Column("submission_ids", JSON, nullable=False),
    Column("mail_status", String(24), nullable=False, default="pending"),
    Column("mail_message_id", Text),
    Column("mailed_at", DateTime),
    Column("error", Text),
    CheckConstraint(_in("mail_status", MAIL_STATUSES), name="mail_status"),
    Index(None, "fiscal_year", "round", "province"),
)


# What collect saw of each inbox path: the (size, mtime) state and when it was first seen
# in that state. A file is taken once its state has held for the quiet period, and its
# arrival time is ``seen_at``: the office's own clock, never the sender's mtime.
inbox_sightings = Table(
    "inbox_sightings",
    metadata,
    Column("inbox_path", Text, primary_key=True),
    Column("size", BigInteger, nullable=False),
    Column("mtime_ns", BigInteger, nullable=False),
    Column("seen_at", DateTime, nullable=False),
    # ctime cannot be set by a sender: a rewrite that restores size and mtime still moves it.
    Column("ctime_ns", BigInteger),
    # The registered hash of this exact state: unchanged files are not read again.
    Column("sha256", String(64)),
)

MAIL_CLAIM_STATUSES = ("claimed", "sent", "failed")

# One row per round and recipient, claimed before SMTP is spoken to: a second
# ``compile --send`` finds the claim and sends nothing; a failed send can be claimed again.
mail_claims = Table(
    "mail_claims",
    metadata,
    Column("fiscal_year", Integer, primary_key=True),
    Column("round", String(2), primary_key=True),
    Column("province", Text, primary_key=True),  # "" = every province
    Column("recipient", Text, primary_key=True),
    Column("status", String(12), nullable=False),
    Column("claimed_by", Text, nullable=False),
    Column("claimed_at", DateTime, nullable=False),
    Column("sent_at", DateTime),
    Column("message_id", Text),
    Column("error", Text),
    CheckConstraint(_in("status", MAIL_CLAIM_STATUSES), name="status"),
)


# One reminder to one LAO for one round on one day (Asia/Bangkok): the unique key is
# what keeps a re-run or a retried task from mailing the same LAO twice that day.
reminders = Table(
    "reminders",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("lao_code", String(16), ForeignKey("agencies.lao_code"), nullable=False),
    Column("fiscal_year", Integer, nullable=False),
    Column("round", String(2), nullable=False),
    Column("day", Date, nullable=False),
    Column("state", String(24), nullable=False),  # missing / rejected / quarantined
    Column("recipient", Text, nullable=False),
    Column("message_id", Text, nullable=False),
    Column("status", String(24), nullable=False, default="pending"),
    Column("run_id", Text),
    Column("sent_at", DateTime),
    Column("error", Text),
    CheckConstraint(_in("status", REMINDER_STATUSES), name="status"),
    UniqueConstraint("lao_code", "fiscal_year", "round", "day"),
)


def ddl(dialect_name: str) -> str:
    """The CREATE statements of the metadata for one dialect, as a readable SQL file."""
    from sqlalchemy.dialects import postgresql, sqlite

    dialect = {"postgresql": postgresql.dialect(), "sqlite": sqlite.dialect()}[dialect_name]
    parts = [
        f"-- Generated from itaflow/warehouse/schema.py for {dialect_name}; do not edit.\n"
        "-- Regenerate: uv run python -c 'from itaflow.warehouse.schema import write_ddl; write_ddl()'\n"
    ]
    for table in metadata.sorted_tables:
        parts.append(str(CreateTable(table).compile(dialect=dialect)).strip() + ";\n")
        for index in sorted(table.indexes, key=lambda i: str(i.name)):
            parts.append(str(CreateIndex(index).compile(dialect=dialect)).strip() + ";\n")
    return "\n".join(parts).replace(" \n", "\n")


def write_ddl(folder: Path | None = None) -> list[Path]:
    """Rewrite ``sql/schema.<dialect>.sql`` (a test fails when they are out of date)."""
    from itaflow.warehouse.db import SQL_DIR

    folder = folder or SQL_DIR
    written = []
    for name in ("postgresql", "sqlite"):
        path = folder / f"schema.{name}.sql"
        path.write_text(ddl(name), encoding="utf-8")
        written.append(path)
    return written
