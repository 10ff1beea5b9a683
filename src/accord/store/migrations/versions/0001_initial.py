"""Initial schema: agencies, people, students, training, agreements, consents, state law.

Revision ID: 0001
Revises:
Create Date: 2026-11-29 04:12:44.599600
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "agencies",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("kind", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agencies")),
    )
    op.create_table(
        "agreements",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("layer", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=64), nullable=False),
        sa.Column("parent_id", sa.String(length=64), nullable=True),
        sa.Column("purposes", sa.JSON(), nullable=False),
        sa.Column("legal_bases", sa.JSON(), nullable=False),
        sa.Column("data_elements", sa.JSON(), nullable=False),
        sa.Column("recipient_roles", sa.JSON(), nullable=False),
        sa.Column("permitted_uses", sa.Text(), nullable=False),
        sa.Column("safeguards", sa.JSON(), nullable=False),
        sa.Column("effective_on", sa.Date(), nullable=True),
        sa.Column("ends_on", sa.Date(), nullable=True),
        sa.Column("destruction_deadline", sa.Date(), nullable=True),
        sa.Column("destruction_method", sa.Text(), nullable=False),
        sa.Column("activated_on", sa.Date(), nullable=True),
        sa.Column("terminated_on", sa.Date(), nullable=True),
        sa.Column("destruction_certified_on", sa.Date(), nullable=True),
        sa.Column("study_purpose", sa.String(length=64), nullable=True),
        sa.Column("study_scope", sa.Text(), nullable=True),
        sa.Column("study_use_limited_to_purpose", sa.Boolean(), nullable=True),
        sa.Column("study_identification_restricted", sa.Boolean(), nullable=True),
        sa.Column("state_statute", sa.Text(), nullable=True),
        sa.Column("jj_certified_by_agency_id", sa.String(length=64), nullable=True),
        sa.Column("jj_certified_by_title", sa.Text(), nullable=True),
        sa.Column("jj_certified_on", sa.Date(), nullable=True),
        sa.Column("evaluates_education_program", sa.Boolean(), nullable=False),
        sa.Column("nsla_medicaid_election", sa.Boolean(), nullable=False),
        sa.Column("nsla_parent_notice_on", sa.Date(), nullable=True),
        sa.Column("amendment_note", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", "version", name=op.f("pk_agreements")),
    )
    op.create_index(op.f("ix_agreements_parent_id"), "agreements", ["parent_id"])

    op.create_table(
        "courses",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("validity_days", sa.Integer(), nullable=False),
        sa.Column("required_for_access", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_courses")),
    )
    op.create_table(
        "state_law",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("minor_may_consent_to_sud_treatment", sa.Boolean(), nullable=False),
        sa.Column("medicaid_meal_status_election", sa.Boolean(), nullable=False),
        sa.Column("required_course_ids", sa.JSON(), nullable=False),
        sa.CheckConstraint("id = 1", name=op.f("ck_state_law_single_row")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_state_law")),
    )
    op.create_table(
        "agency_programs",
        sa.Column("agency_id", sa.String(length=64), nullable=False),
        sa.Column("program", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["agency_id"],
            ["agencies.id"],
            name=op.f("fk_agency_programs_agency_id_agencies"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("agency_id", "program", name=op.f("pk_agency_programs")),
    )
    op.create_table(
        "agreement_parties",
        sa.Column("agreement_id", sa.String(length=64), nullable=False),
        sa.Column("agreement_version", sa.Integer(), nullable=False),
        sa.Column("side", sa.String(length=64), nullable=False),
        sa.Column("agency_id", sa.String(length=64), nullable=False),
        sa.CheckConstraint("side IN ('source', 'recipient')", name=op.f("ck_agreement_parties_side")),
        sa.ForeignKeyConstraint(
            ["agency_id"], ["agencies.id"], name=op.f("fk_agreement_parties_agency_id_agencies")
        ),
        sa.ForeignKeyConstraint(
            ["agreement_id", "agreement_version"],
            ["agreements.id", "agreements.version"],
            name=op.f("fk_agreement_parties_agreement_id_agreements"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "agreement_id", "agreement_version", "side", "agency_id", name=op.f("pk_agreement_parties")
        ),
    )
    op.create_index(op.f("ix_agreement_parties_agency_id_side"), "agreement_parties", ["agency_id", "side"])

    op.create_table(
        "agreement_signatures",
        sa.Column("agreement_id", sa.String(length=64), nullable=False),
        sa.Column("agreement_version", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("agency_id", sa.String(length=64), nullable=False),
        sa.Column("signatory_title", sa.Text(), nullable=False),
        sa.Column("signed_on", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(
            ["agreement_id", "agreement_version"],
            ["agreements.id", "agreements.version"],
            name=op.f("fk_agreement_signatures_agreement_id_agreements"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "agreement_id", "agreement_version", "position", name=op.f("pk_agreement_signatures")
        ),
    )
    op.create_table(
        "students",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("school_agency_id", sa.String(length=64), nullable=False),
        sa.Column("date_of_birth", sa.Date(), nullable=True),
        sa.Column("postsecondary_enrolled_on", sa.Date(), nullable=True),
        sa.Column("directory_opt_out", sa.Boolean(), nullable=False),
        sa.Column("meal_disclosure_opt_out", sa.Boolean(), nullable=False),
        sa.Column("foster_care_agency_id", sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(
            ["foster_care_agency_id"],
            ["agencies.id"],
            name=op.f("fk_students_foster_care_agency_id_agencies"),
        ),
        sa.ForeignKeyConstraint(
            ["school_agency_id"], ["agencies.id"], name=op.f("fk_students_school_agency_id_agencies")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_students")),
    )
    op.create_index(op.f("ix_students_school_agency_id"), "students", ["school_agency_id"])

    op.create_table(
        "users",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("agency_id", sa.String(length=64), nullable=False),
        sa.Column("role", sa.String(length=64), nullable=False),
        sa.Column("display_name", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["agency_id"], ["agencies.id"], name=op.f("fk_users_agency_id_agencies")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
    )
    op.create_index(op.f("ix_users_agency_id"), "users", ["agency_id"])

    op.create_table(
        "consents",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("student_id", sa.String(length=64), nullable=False),
        sa.Column("signer_role", sa.String(length=64), nullable=False),
        sa.Column("data_elements", sa.JSON(), nullable=False),
        sa.Column("purposes", sa.JSON(), nullable=False),
        sa.Column("recipient_agency_ids", sa.JSON(), nullable=False),
        sa.Column("recipient_roles", sa.JSON(), nullable=False),
        sa.Column("forms", sa.JSON(), nullable=False),
        sa.Column("statements", sa.JSON(), nullable=False),
        sa.Column("signed_on", sa.Date(), nullable=True),
        sa.Column("language", sa.String(length=64), nullable=False),
        sa.Column("method", sa.String(length=64), nullable=False),
        sa.Column("evidence_ref", sa.Text(), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=True),
        sa.Column("signer_identity_verified", sa.Boolean(), nullable=False),
        sa.Column("discloser_agency_id", sa.String(length=64), nullable=True),
        sa.Column("captured_at_enrollment", sa.Boolean(), nullable=False),
        sa.Column("revoked_at", sa.DateTime(), nullable=True),
        sa.Column("confirmed_by_student_on", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["student_id"], ["students.id"], name=op.f("fk_consents_student_id_students")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consents")),
    )
    op.create_index(op.f("ix_consents_student_id"), "consents", ["student_id"])

    op.create_table(
        "training_completions",
        sa.Column("user_id", sa.String(length=64), nullable=False),
        sa.Column("course_id", sa.String(length=64), nullable=False),
        sa.Column("completed_on", sa.Date(), nullable=False),
        sa.Column("expires_on", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(
            ["course_id"], ["courses.id"], name=op.f("fk_training_completions_course_id_courses")
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_training_completions_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("user_id", "course_id", "completed_on", name=op.f("pk_training_completions")),
    )


def downgrade() -> None:
    # Dropping a table drops its indexes; children go before the tables they reference.
    op.drop_table("training_completions")
    op.drop_table("consents")
    op.drop_table("users")
    op.drop_table("students")
    op.drop_table("agreement_signatures")
    op.drop_table("agreement_parties")
    op.drop_table("agency_programs")
    op.drop_table("state_law")
    op.drop_table("courses")
    op.drop_table("agreements")
    op.drop_table("agencies")
