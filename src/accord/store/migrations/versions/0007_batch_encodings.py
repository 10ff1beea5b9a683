"""Intake batches: the encoded files a load committed to merge into the hub's rosters, so that a
run stopped after its commit is finished by the next one, and one stopped before is undone.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-06 17:20:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ALTER TABLE (see 0004): intake_batches is referenced by other tables.
    op.add_column("intake_batches", sa.Column("encodings", sa.Text(), nullable=True))


def downgrade() -> None:
    op.execute("ALTER TABLE intake_batches DROP COLUMN encodings")
