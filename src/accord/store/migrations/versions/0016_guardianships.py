"""Guardianships: which parent (or eligible student) a service user is, of which student.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-07 05:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None

_ID = sa.String(length=64)


def upgrade() -> None:
    op.create_table(
        "guardianships",
        sa.Column("user_id", _ID, nullable=False),
        sa.Column("student_id", _ID, nullable=False),
        sa.Column("relation", sa.String(length=64), nullable=False),
        sa.Column("recorded_by", _ID, nullable=False),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_guardianships_user_id_users")),
        sa.ForeignKeyConstraint(["student_id"], ["students.id"],
                                name=op.f("fk_guardianships_student_id_students")),
        sa.ForeignKeyConstraint(["recorded_by"], ["users.id"],
                                name=op.f("fk_guardianships_recorded_by_users")),
        sa.PrimaryKeyConstraint("user_id", "student_id", name=op.f("pk_guardianships")),
    )
    op.create_index(op.f("ix_guardianships_student_id"), "guardianships", ["student_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_guardianships_student_id"), table_name="guardianships")
    op.drop_table("guardianships")
