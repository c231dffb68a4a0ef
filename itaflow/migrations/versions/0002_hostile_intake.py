"""Intake that a sender cannot fool: arrival vs claimed time, inbox sightings, mail claims.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-02

- ``receipts``/``submissions``: ``claimed_at`` (the file's mtime, kept as the
  sender's claim only) and ``arrival_source`` (intake | manifest);
- ``inbox_sightings``: the (size, mtime) state of each inbox path and when intake
  first saw it in that state (quiet period, arrival time);
- ``mail_claims``: one row per round and recipient, claimed before SMTP.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    for table in ("submissions", "receipts"):
        op.add_column(table, sa.Column("claimed_at", sa.DateTime(), nullable=True))
        op.add_column(table, sa.Column("arrival_source", sa.String(length=16), nullable=True))
    op.create_table(
        "inbox_sightings",
        sa.Column("inbox_path", sa.Text(), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("mtime_ns", sa.BigInteger(), nullable=False),
        sa.Column("seen_at", sa.DateTime(), nullable=False),
        sa.Column("ctime_ns", sa.BigInteger(), nullable=True),
        sa.Column("sha256", sa.String(length=64), nullable=True),
        sa.PrimaryKeyConstraint("inbox_path", name=op.f("pk_inbox_sightings")),
    )
    op.create_table(
        "mail_claims",
        sa.Column("fiscal_year", sa.Integer(), nullable=False),
        sa.Column("round", sa.String(length=2), nullable=False),
        sa.Column("province", sa.Text(), nullable=False),
        sa.Column("recipient", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("claimed_by", sa.Text(), nullable=False),
        sa.Column("claimed_at", sa.DateTime(), nullable=False),
        sa.Column("sent_at", sa.DateTime(), nullable=True),
        sa.Column("message_id", sa.Text(), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.CheckConstraint(
            "status IN ('claimed', 'sent', 'failed')", name=op.f("ck_mail_claims_status")
        ),
        sa.PrimaryKeyConstraint(
            "fiscal_year", "round", "province", "recipient", name=op.f("pk_mail_claims")
        ),
    )


def downgrade() -> None:
    op.drop_table("mail_claims")
    op.drop_table("inbox_sightings")
    for table in ("receipts", "submissions"):
        with op.batch_alter_table(table) as batch:
            batch.drop_column("arrival_source")
            batch.drop_column("claimed_at")
