"""Reminders sent (one per LAO, round and day) and the office's own due date per round.

Revision ID: 0003
Revises: 0001
Create Date: 2026-12-02

``rounds.due_date`` was stored the first time a round was read and then always
won over the settings; from this revision the settings decide each time and
``rounds.due_date_office`` holds only a deadline the office moved on purpose.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("rounds") as batch:
        batch.add_column(sa.Column("due_date_office", sa.Date(), nullable=True))
    op.create_table(
        "reminders",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("lao_code", sa.String(length=16), nullable=False),
        sa.Column("fiscal_year", sa.Integer(), nullable=False),
        sa.Column("round", sa.String(length=2), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("state", sa.String(length=24), nullable=False),
        sa.Column("recipient", sa.Text(), nullable=False),
        sa.Column("message_id", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=24), nullable=False),
        sa.Column("run_id", sa.Text(), nullable=True),
        sa.Column("sent_at", sa.DateTime(), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.CheckConstraint(
            "status IN ('pending', 'sent', 'written_to_outbox', 'failed')",
            name=op.f("ck_reminders_status"),
        ),
        sa.ForeignKeyConstraint(
            ["lao_code"], ["agencies.lao_code"], name=op.f("fk_reminders_lao_code_agencies")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reminders")),
        sa.UniqueConstraint(
            "lao_code",
            "fiscal_year",
            "round",
            "day",
            name=op.f("uq_reminders_lao_code_fiscal_year_round_day"),
        ),
    )


def downgrade() -> None:
    op.drop_table("reminders")
    with op.batch_alter_table("rounds") as batch:
        batch.drop_column("due_date_office")
