"""Signing out at the identity provider too: the ID token a session (or a second-factor step on the
way to one) was opened with, for the provider's logout (its `id_token_hint`).

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-21 09:10:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None

TABLES = ("web_sessions", "oidc_pending")


def upgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("id_token", sa.Text(), nullable=True))


def downgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.drop_column("id_token")
