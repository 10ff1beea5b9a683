"""The latest month a student can turn 18, for a school's node that sends the month itself only
when it is near and else its bounds (ADR 0030). Stored months stay exact: the column is empty.

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-07 19:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0022"
down_revision = "0021"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("students", sa.Column("turns_18_by", sa.Date(), nullable=True))


def downgrade() -> None:
    # Bounds are not a month: read as one, "after March" would make the student an adult in March.
    # Their students go back to an unknown age, which the policy reads as a minor's.
    op.execute("UPDATE students SET turns_18_in = NULL WHERE turns_18_by IS NOT NULL")
    op.execute("ALTER TABLE students DROP COLUMN turns_18_by")
