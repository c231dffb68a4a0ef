"""Initial warehouse: registry, rounds, submissions, receipts, measures, findings, report runs.

Revision ID: 0001
Revises:
Create Date: 2026-11-21

Views are created from ``itaflow/warehouse/sql/views/*.sql``, the same files a
reader finds in ``sql/views``. A later migration that changes a view must write
the new definition to a new file and drop/create it, so this revision keeps
building the views it was written for.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from itaflow.warehouse.db import SQL_DIR

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

VIEWS = ("current_submissions", "run_accounting")


def upgrade() -> None:
    op.create_table(
        "agencies",
        sa.Column("lao_code", sa.String(length=16), nullable=False),
        sa.Column("name_th", sa.Text(), nullable=False),
        sa.Column("full_name_th", sa.Text(), nullable=False),
        sa.Column("lao_type", sa.String(length=40), nullable=False),
        sa.Column("type_th", sa.String(length=40), nullable=False),
        sa.Column("province_code", sa.String(length=4), nullable=False),
        sa.Column("province_th", sa.Text(), nullable=False),
        sa.Column("province_en", sa.Text(), nullable=True),
        sa.Column("district_th", sa.Text(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("lao_code", name=op.f("pk_agencies")),
    )
    op.create_index(
        op.f("ix_agencies_province_th_district_th"),
        "agencies",
        ["province_th", "district_th"],
        unique=False,
    )
    op.create_table(
        "report_runs",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("fiscal_year", sa.Integer(), nullable=False),
        sa.Column("round", sa.String(length=2), nullable=False),
        sa.Column("province", sa.Text(), nullable=True),
        sa.Column("run_id", sa.Text(), nullable=True),
        sa.Column("compiled_at", sa.DateTime(), nullable=False),
        sa.Column("recipients", sa.JSON(), nullable=False),
        sa.Column("files", sa.JSON(), nullable=False),
        sa.Column("submission_ids", sa.JSON(), nullable=False),
        sa.Column("mail_status", sa.String(length=24), nullable=False),
        sa.Column("mail_message_id", sa.Text(), nullable=True),
        sa.Column("mailed_at", sa.DateTime(), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.CheckConstraint(
            "mail_status IN ('pending', 'sent', 'failed', 'written_to_outbox', 'skipped_already_sent')",
            name=op.f("ck_report_runs_mail_status"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report_runs")),
    )
    op.create_index(
        op.f("ix_report_runs_fiscal_year_round_province"),
        "report_runs",
        ["fiscal_year", "round", "province"],
        unique=False,
    )
    op.create_table(
        "rounds",
        sa.Column("fiscal_year", sa.Integer(), nullable=False),
        sa.Column("round", sa.String(length=2), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.CheckConstraint("round IN ('H1', 'FY')", name=op.f("ck_rounds_round")),
        sa.PrimaryKeyConstraint("fiscal_year", "round", name=op.f("pk_rounds")),
    )
    op.create_table(
        "submissions",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("format", sa.Text(), nullable=True),
        sa.Column("original_name", sa.Text(), nullable=False),
        sa.Column("inbox_path", sa.Text(), nullable=False),
        sa.Column("stored_path", sa.Text(), nullable=False),
        sa.Column("received_at", sa.DateTime(), nullable=False),
        sa.Column("run_id", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=24), nullable=False),
        sa.Column("verdict", sa.String(length=24), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("lao_code", sa.String(length=16), nullable=True),
        sa.Column("agency_name", sa.Text(), nullable=True),
        sa.Column("stated_district", sa.Text(), nullable=True),
        sa.Column("stated_province", sa.Text(), nullable=True),
        sa.Column("match_score", sa.Float(), nullable=True),
        sa.Column("fiscal_year", sa.Integer(), nullable=True),
        sa.Column("round", sa.String(length=2), nullable=True),
        sa.Column("reporter_name", sa.Text(), nullable=True),
        sa.Column("reporter_position", sa.Text(), nullable=True),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=True),
        sa.Column("is_current", sa.Boolean(), nullable=False),
        sa.Column(
            "superseded_by", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True
        ),
        sa.Column("loaded_run_id", sa.Text(), nullable=True),
        sa.CheckConstraint(
            "status IN ('received', 'accepted', 'accepted_with_warnings', 'rejected', 'quarantined')",
            name=op.f("ck_submissions_status"),
        ),
        sa.ForeignKeyConstraint(
            ["lao_code"], ["agencies.lao_code"], name=op.f("fk_submissions_lao_code_agencies")
        ),
        sa.ForeignKeyConstraint(
            ["superseded_by"],
            ["submissions.id"],
            name=op.f("fk_submissions_superseded_by_submissions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_submissions")),
        sa.UniqueConstraint("sha256", name=op.f("uq_submissions_sha256")),
    )
    op.create_index(
        op.f("ix_submissions_lao_code_fiscal_year_round"),
        "submissions",
        ["lao_code", "fiscal_year", "round"],
        unique=False,
    )
    op.create_index(op.f("ix_submissions_status"), "submissions", ["status"], unique=False)
    op.create_table(
        "measures",
        sa.Column(
            "submission_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("position", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("category", sa.Text(), nullable=True),
        sa.Column("indicator", sa.Text(), nullable=True),
        sa.Column("measure", sa.Text(), nullable=False),
        sa.Column("steps", sa.Text(), nullable=False),
        sa.Column("responsible", sa.JSON(), nullable=False),
        sa.Column("period_text", sa.Text(), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=True),
        sa.Column("period_end", sa.Date(), nullable=True),
        sa.Column("result", sa.Text(), nullable=False),
        sa.Column("outcome", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("raw", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["submission_id"],
            ["submissions.id"],
            name=op.f("fk_measures_submission_id_submissions"),
        ),
        sa.PrimaryKeyConstraint("submission_id", "position", name=op.f("pk_measures")),
    )
    op.create_table(
        "receipts",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("run_id", sa.Text(), nullable=False),
        sa.Column("inbox_path", sa.Text(), nullable=False),
        sa.Column("original_name", sa.Text(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("received_at", sa.DateTime(), nullable=False),
        sa.Column(
            "submission_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("is_duplicate", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["submission_id"],
            ["submissions.id"],
            name=op.f("fk_receipts_submission_id_submissions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_receipts")),
        sa.UniqueConstraint(
            "run_id", "inbox_path", "sha256", name=op.f("uq_receipts_run_id_inbox_path_sha256")
        ),
    )
    op.create_index(
        op.f("ix_receipts_sha256_inbox_path"), "receipts", ["sha256", "inbox_path"], unique=False
    )
    op.create_index(op.f("ix_receipts_submission_id"), "receipts", ["submission_id"], unique=False)
    op.create_table(
        "findings",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column(
            "submission_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column(
            "receipt_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True
        ),
        sa.Column("measure_seq", sa.Integer(), nullable=True),
        sa.Column("check_id", sa.Text(), nullable=False),
        sa.Column("severity", sa.String(length=8), nullable=False),
        sa.Column("field", sa.Text(), nullable=True),
        sa.Column("message", sa.Text(), nullable=False),
        sa.CheckConstraint("severity IN ('error', 'warning')", name=op.f("ck_findings_severity")),
        sa.ForeignKeyConstraint(
            ["receipt_id"], ["receipts.id"], name=op.f("fk_findings_receipt_id_receipts")
        ),
        sa.ForeignKeyConstraint(
            ["submission_id"],
            ["submissions.id"],
            name=op.f("fk_findings_submission_id_submissions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_findings")),
    )
    op.create_index(op.f("ix_findings_receipt_id"), "findings", ["receipt_id"], unique=False)
    op.create_index(op.f("ix_findings_submission_id"), "findings", ["submission_id"], unique=False)
    for name in VIEWS:
        op.execute((SQL_DIR / "views" / f"{name}.sql").read_text(encoding="utf-8"))


def downgrade() -> None:
    for name in reversed(VIEWS):
        op.execute(f"DROP VIEW {name}")
    op.drop_index(op.f("ix_findings_submission_id"), table_name="findings")
    op.drop_index(op.f("ix_findings_receipt_id"), table_name="findings")
    op.drop_table("findings")
    op.drop_index(op.f("ix_receipts_submission_id"), table_name="receipts")
    op.drop_index(op.f("ix_receipts_sha256_inbox_path"), table_name="receipts")
    op.drop_table("receipts")
    op.drop_table("measures")
    op.drop_index(op.f("ix_submissions_status"), table_name="submissions")
    op.drop_index(op.f("ix_submissions_lao_code_fiscal_year_round"), table_name="submissions")
    op.drop_table("submissions")
    op.drop_table("rounds")
    op.drop_index(op.f("ix_report_runs_fiscal_year_round_province"), table_name="report_runs")
    op.drop_table("report_runs")
    op.drop_index(op.f("ix_agencies_province_th_district_th"), table_name="agencies")
    op.drop_table("agencies")
