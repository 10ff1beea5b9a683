"""Agency nodes as machine clients of the service (OAuth2 client credentials) and their tokens.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-07 03:10:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

_ID = sa.String(length=64)


def upgrade() -> None:
    op.create_table(
        "machine_clients",
        sa.Column("client_id", _ID, nullable=False),
        sa.Column("agency_id", _ID, nullable=False),
        sa.Column("secret_hash", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["agency_id"], ["agencies.id"],
                                name=op.f("fk_machine_clients_agency_id_agencies")),
        sa.PrimaryKeyConstraint("client_id", name=op.f("pk_machine_clients")),
    )
    op.create_index(op.f("ix_machine_clients_agency_id"), "machine_clients", ["agency_id"])
    op.create_table(
        "machine_tokens",
        sa.Column("token_sha256", sa.String(length=64), nullable=False),
        sa.Column("client_id", _ID, nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["client_id"], ["machine_clients.client_id"],
                                name=op.f("fk_machine_tokens_client_id_machine_clients")),
        sa.PrimaryKeyConstraint("token_sha256", name=op.f("pk_machine_tokens")),
    )
    op.create_index(op.f("ix_machine_tokens_client_id"), "machine_tokens", ["client_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_machine_tokens_client_id"), table_name="machine_tokens")
    op.drop_table("machine_tokens")
    op.drop_index(op.f("ix_machine_clients_agency_id"), table_name="machine_clients")
    op.drop_table("machine_clients")
