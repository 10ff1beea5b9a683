"""Output review of study releases: a release's status, and each reviewer's decision.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-07 02:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

_ID = sa.String(length=64)


def upgrade() -> None:
    with op.batch_alter_table("study_releases") as batch:
        batch.add_column(sa.Column("status", _ID, nullable=False, server_default="released"))
    op.create_table(
        "study_release_reviews",
        sa.Column("release_id", sa.Integer(), nullable=False),
        sa.Column("reviewer", _ID, nullable=False),
        sa.Column("decision", _ID, nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("decided_at", sa.DateTime(), nullable=False),
        sa.Column("ledger_seq", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(["release_id"], ["study_releases.id"],
                                name=op.f("fk_study_release_reviews_release_id_study_releases")),
        sa.PrimaryKeyConstraint("release_id", "reviewer", name=op.f("pk_study_release_reviews")),
    )


def downgrade() -> None:
    op.drop_table("study_release_reviews")
    with op.batch_alter_table("study_releases") as batch:
        batch.drop_column("status")
