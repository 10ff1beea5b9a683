"""A second-factor code works once: the last TOTP time step accepted from each user.

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-21 09:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Empty for every stored credential: a code of the current step still works once after the upgrade.
    with op.batch_alter_table("credentials") as batch:
        batch.add_column(sa.Column("totp_last_step", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("credentials") as batch:
        batch.drop_column("totp_last_step")
