"""Ed-Fi descriptors in an agency's own namespace, mapped by its records officer to known codes.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06 17:50:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "descriptor_mappings",
        sa.Column("agency_id", sa.String(length=64), nullable=False),
        sa.Column("descriptor", sa.String(length=80), nullable=False),
        sa.Column("source", sa.String(length=300), nullable=False),
        sa.Column("code", sa.Text(), nullable=False),
        sa.Column("mapped_by", sa.Text(), nullable=False),
        sa.Column("mapped_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["agency_id"], ["agencies.id"]),
        sa.PrimaryKeyConstraint("agency_id", "descriptor", "source"),
    )


def downgrade() -> None:
    op.drop_table("descriptor_mappings")
