"""Eligibility cross-checks: definitions, runs, results per party, the clerical review queue.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06 23:10:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

_ID = sa.String(length=64)


def upgrade() -> None:
    op.create_table(
        "crosschecks",
        sa.Column("agreement_id", _ID, nullable=False),
        sa.Column("definition", sa.JSON(), nullable=False),
        sa.Column("defined_by", _ID, nullable=False),
        sa.Column("defined_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("agreement_id", name=op.f("pk_crosschecks")),
    )
    op.create_table(
        "crosscheck_runs",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("agreement_id", _ID, nullable=False),
        sa.Column("run_at", sa.DateTime(), nullable=False),
        sa.Column("run_by", _ID, nullable=False),
        sa.Column("report", sa.JSON(), nullable=False),
        sa.Column("ledger_seq", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(["agreement_id"], ["crosschecks.agreement_id"],
                                name=op.f("fk_crosscheck_runs_agreement_id_crosschecks")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_crosscheck_runs")),
    )
    op.create_index(op.f("ix_crosscheck_runs_agreement_id"), "crosscheck_runs", ["agreement_id"])
    op.create_table(
        "crosscheck_results",
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("agency_id", _ID, nullable=False),
        sa.Column("record_id", _ID, nullable=False),
        sa.Column("program", _ID, nullable=False),
        sa.Column("basis", _ID, nullable=False),
        sa.Column("released", sa.JSON(), nullable=False),
        sa.Column("ledger_seq", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(["run_id"], ["crosscheck_runs.id"],
                                name=op.f("fk_crosscheck_results_run_id_crosscheck_runs")),
        sa.PrimaryKeyConstraint("run_id", "agency_id", "record_id", name=op.f("pk_crosscheck_results")),
    )
    op.create_table(
        "crosscheck_reviews",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("agreement_id", _ID, nullable=False),
        sa.Column("student_id", _ID, nullable=False),
        sa.Column("program_agency_id", _ID, nullable=False),
        sa.Column("program_record_id", _ID, nullable=False),
        sa.Column("program", _ID, nullable=False),
        sa.Column("probability", sa.Float(), nullable=False),
        sa.Column("evidence", sa.JSON(), nullable=False),
        sa.Column("first_run_id", sa.Integer(), nullable=False),
        sa.Column("status", _ID, nullable=False),
        sa.Column("decided_by", _ID, nullable=True),
        sa.Column("decided_at", sa.DateTime(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["agreement_id"], ["crosschecks.agreement_id"],
                                name=op.f("fk_crosscheck_reviews_agreement_id_crosschecks")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_crosscheck_reviews")),
        sa.UniqueConstraint("agreement_id", "student_id", "program_agency_id", "program_record_id",
                            name="uq_crosscheck_reviews_pair"),
    )
    op.create_index(op.f("ix_crosscheck_reviews_agreement_id"), "crosscheck_reviews", ["agreement_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_crosscheck_reviews_agreement_id"), table_name="crosscheck_reviews")
    op.drop_table("crosscheck_reviews")
    op.drop_table("crosscheck_results")
    op.drop_index(op.f("ix_crosscheck_runs_agreement_id"), table_name="crosscheck_runs")
    op.drop_table("crosscheck_runs")
    op.drop_table("crosschecks")
