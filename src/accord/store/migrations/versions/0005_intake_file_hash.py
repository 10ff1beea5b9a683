"""Intake batches: the loaded file's SHA-256, so that loading the same file again changes nothing.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-06 15:45:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ALTER TABLE (see 0004): intake_batches is referenced by other tables.
    op.add_column("intake_batches", sa.Column("content_sha256", sa.String(length=64), nullable=True))


def downgrade() -> None:
    op.execute("ALTER TABLE intake_batches DROP COLUMN content_sha256")
