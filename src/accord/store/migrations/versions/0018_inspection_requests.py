"""Inspection requests: a parent or eligible student asks to see the child's records (34 CFR 99.10).

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-20 09:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None

_ID = sa.String(length=64)


def upgrade() -> None:
    op.create_table(
        "inspection_requests",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("student_id", _ID, nullable=False),
        sa.Column("requested_by", _ID, nullable=False),
        sa.Column("requested_at", sa.DateTime(), nullable=False),
        sa.Column("answered_at", sa.DateTime(), nullable=True),
        sa.Column("answered_by", _ID, nullable=True),
        sa.ForeignKeyConstraint(["student_id"], ["students.id"],
                                name=op.f("fk_inspection_requests_student_id_students")),
        sa.ForeignKeyConstraint(["requested_by"], ["users.id"],
                                name=op.f("fk_inspection_requests_requested_by_users")),
        sa.ForeignKeyConstraint(["answered_by"], ["users.id"],
                                name=op.f("fk_inspection_requests_answered_by_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inspection_requests")),
    )
    op.create_index(op.f("ix_inspection_requests_student_id"), "inspection_requests", ["student_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_inspection_requests_student_id"), table_name="inspection_requests")
    op.drop_table("inspection_requests")
