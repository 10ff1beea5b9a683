"""Agency data intake: intake batches, agency records, sealed record content, officer notices.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-06 09:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "intake_batches",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("agency_id", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=64), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("rows_read", sa.Integer(), nullable=False),
        sa.Column("rows_loaded", sa.Integer(), nullable=False),
        sa.Column("rows_rejected", sa.Integer(), nullable=False),
        sa.Column("loaded_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["agency_id"], ["agencies.id"],
                                name=op.f("fk_intake_batches_agency_id_agencies")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_intake_batches")),
    )
    op.create_index(op.f("ix_intake_batches_agency_id"), "intake_batches", ["agency_id"])
    op.create_table(
        "agency_records",
        sa.Column("agency_id", sa.String(length=64), nullable=False),
        sa.Column("record_id", sa.String(length=64), nullable=False),
        sa.Column("student_id", sa.String(length=64), nullable=True),
        sa.Column("batch_id", sa.Integer(), nullable=False),
        sa.Column("loaded_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["agency_id"], ["agencies.id"],
                                name=op.f("fk_agency_records_agency_id_agencies")),
        sa.ForeignKeyConstraint(["student_id"], ["students.id"],
                                name=op.f("fk_agency_records_student_id_students")),
        sa.ForeignKeyConstraint(["batch_id"], ["intake_batches.id"],
                                name=op.f("fk_agency_records_batch_id_intake_batches")),
        sa.PrimaryKeyConstraint("agency_id", "record_id", name=op.f("pk_agency_records")),
    )
    op.create_index(op.f("ix_agency_records_student_id"), "agency_records", ["student_id"])
    op.create_table(
        "record_content",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
                  autoincrement=True, nullable=False),
        sa.Column("agency_id", sa.String(length=64), nullable=False),
        sa.Column("record_id", sa.String(length=64), nullable=False),
        sa.Column("element", sa.String(length=64), nullable=False),
        sa.Column("occurred_on", sa.Date(), nullable=True),
        sa.Column("key_id", sa.String(length=16), nullable=False),
        sa.Column("sealed", sa.LargeBinary(), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["agency_id", "record_id"],
                                ["agency_records.agency_id", "agency_records.record_id"],
                                name=op.f("fk_record_content_agency_id_agency_records"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["batch_id"], ["intake_batches.id"],
                                name=op.f("fk_record_content_batch_id_intake_batches")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_record_content")),
    )
    op.create_index(op.f("ix_record_content_agency_id_record_id_element"), "record_content",
                    ["agency_id", "record_id", "element"])
    op.create_table(
        "officer_notifications",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("agency_id", sa.String(length=64), nullable=False),
        sa.Column("ledger_seq", sa.BigInteger(), nullable=False),
        sa.Column("kind", sa.String(length=64), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("acknowledged_at", sa.DateTime(), nullable=True),
        sa.Column("acknowledged_by", sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(["agency_id"], ["agencies.id"],
                                name=op.f("fk_officer_notifications_agency_id_agencies")),
        sa.ForeignKeyConstraint(["acknowledged_by"], ["users.id"],
                                name=op.f("fk_officer_notifications_acknowledged_by_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_officer_notifications")),
    )
    op.create_index(op.f("ix_officer_notifications_agency_id"), "officer_notifications",
                    ["agency_id"])


def downgrade() -> None:
    op.drop_table("officer_notifications")
    op.drop_table("record_content")
    op.drop_table("agency_records")
    op.drop_table("intake_batches")
