"""Differential-privacy budgets of studies: balances per holder and the append-only account.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-07 02:20:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

_ID = sa.String(length=64)


def upgrade() -> None:
    op.create_table(
        "study_budgets",
        sa.Column("study_id", _ID, nullable=False),
        sa.Column("holder", _ID, nullable=False),
        sa.Column("total", sa.Float(), nullable=False),
        sa.Column("spent", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(["study_id"], ["studies.id"], name=op.f("fk_study_budgets_study_id_studies")),
        sa.PrimaryKeyConstraint("study_id", "holder", name=op.f("pk_study_budgets")),
    )
    op.create_table(
        "study_budget_charges",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("study_id", _ID, nullable=False),
        sa.Column("analyst", _ID, nullable=False),
        sa.Column("amount", sa.Float(), nullable=False),
        sa.Column("release_id", sa.Integer(), nullable=True),
        sa.Column("charged_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["study_id"], ["studies.id"],
                                name=op.f("fk_study_budget_charges_study_id_studies")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_study_budget_charges")),
    )
    op.create_index(op.f("ix_study_budget_charges_study_id"), "study_budget_charges", ["study_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_study_budget_charges_study_id"), table_name="study_budget_charges")
    op.drop_table("study_budget_charges")
    op.drop_table("study_budgets")
