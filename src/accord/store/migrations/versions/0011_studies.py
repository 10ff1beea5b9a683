"""Research studies: definitions, approvals per version, releases.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-06 23:20:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

_ID = sa.String(length=64)


def upgrade() -> None:
    op.create_table(
        "studies",
        sa.Column("id", _ID, nullable=False),
        sa.Column("agreement_id", _ID, nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("status", _ID, nullable=False),
        sa.Column("definition", sa.JSON(), nullable=False),
        sa.Column("registered_by", _ID, nullable=False),
        sa.Column("registered_at", sa.DateTime(), nullable=False),
        sa.Column("records", sa.Integer(), nullable=True),
        sa.Column("audit", sa.LargeBinary(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_studies")),
    )
    op.create_index(op.f("ix_studies_agreement_id"), "studies", ["agreement_id"])
    op.create_table(
        "study_approvals",
        sa.Column("study_id", _ID, nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("agency_id", _ID, nullable=False),
        sa.Column("approved_by", _ID, nullable=False),
        sa.Column("approved_at", sa.DateTime(), nullable=False),
        sa.Column("ledger_seq", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(["study_id"], ["studies.id"],
                                name=op.f("fk_study_approvals_study_id_studies")),
        sa.PrimaryKeyConstraint("study_id", "version", "agency_id", name=op.f("pk_study_approvals")),
    )
    op.create_table(
        "study_releases",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("study_id", _ID, nullable=False),
        sa.Column("analyst", _ID, nullable=False),
        sa.Column("released_at", sa.DateTime(), nullable=False),
        sa.Column("spec", sa.JSON(), nullable=False),
        sa.Column("result", sa.JSON(), nullable=False),
        sa.Column("table_hash", sa.String(length=64), nullable=False),
        sa.Column("ledger_seq", sa.BigInteger(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["study_id"], ["studies.id"],
                                name=op.f("fk_study_releases_study_id_studies")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_study_releases")),
    )
    op.create_index(op.f("ix_study_releases_study_id"), "study_releases", ["study_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_study_releases_study_id"), table_name="study_releases")
    op.drop_table("study_releases")
    op.drop_table("study_approvals")
    op.drop_index(op.f("ix_studies_agreement_id"), table_name="studies")
    op.drop_table("studies")
