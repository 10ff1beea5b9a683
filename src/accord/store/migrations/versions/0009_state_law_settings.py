"""State-law settings recorded by the records officer (issue 17): the day households were
notified of the Medicaid/CHIP meal-status disclosure, the programs the state certifies school
meals from, and the ledger entry that recorded the settings.

A store made before keeps its row: its state certified from SNAP alone, the one program the
statute makes mandatory (42 USC 1758(b)(4)), and nothing of it was recorded in the ledger.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-06 22:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

_STATE_LAW = sa.table("state_law", sa.column("direct_certification_programs", sa.JSON))


def upgrade() -> None:
    # The list is added nullable, filled, then made NOT NULL: a JSON server default would stay
    # in the schema, which the model does not declare. state_law is referenced by no other
    # table, so the batch may recreate it on SQLite.
    with op.batch_alter_table("state_law") as batch:
        batch.add_column(sa.Column("medicaid_meal_notice_on", sa.Date(), nullable=True))
        batch.add_column(sa.Column("direct_certification_programs", sa.JSON(), nullable=True))
        batch.add_column(sa.Column("recorded_in", sa.BigInteger(), nullable=True))
    op.execute(_STATE_LAW.update().values(direct_certification_programs=["snap"]))
    with op.batch_alter_table("state_law") as batch:
        batch.alter_column("direct_certification_programs", existing_type=sa.JSON(),
                           nullable=False)


def downgrade() -> None:
    with op.batch_alter_table("state_law") as batch:
        batch.drop_column("recorded_in")
        batch.drop_column("direct_certification_programs")
        batch.drop_column("medicaid_meal_notice_on")
