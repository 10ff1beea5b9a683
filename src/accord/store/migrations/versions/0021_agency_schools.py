"""An education agency's schools, as the public school directory lists them: what a study's school
dimension lists before any child is read (ADR 0024).

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-07 15:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "agency_schools",
        sa.Column("agency_id", sa.String(length=64), nullable=False),
        sa.Column("school_id", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(["agency_id"], ["agencies.id"],
                                name=op.f("fk_agency_schools_agency_id_agencies"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("agency_id", "school_id", name=op.f("pk_agency_schools")),
    )


def downgrade() -> None:
    op.drop_table("agency_schools")
