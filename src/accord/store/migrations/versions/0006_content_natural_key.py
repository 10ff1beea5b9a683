"""Record content: keyed digests of each fact's natural key and value, so that a corrected file
replaces a fact and a reload leaves it as it is.

Rows loaded before this revision keep null digests (the migration has no content key to make
them): a later file's facts are added beside them, as before.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-06 17:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("record_content", sa.Column("natural_key", sa.LargeBinary(length=16), nullable=True))
    op.add_column("record_content", sa.Column("value_digest", sa.LargeBinary(length=8), nullable=True))
    # The record's index gains the natural key (a reload's lookup), instead of a second index.
    op.drop_index(op.f("ix_record_content_agency_id_record_id_element"), table_name="record_content")
    op.create_index(op.f("ix_record_content_agency_id_record_id_element_natural_key"), "record_content",
                    ["agency_id", "record_id", "element", "natural_key"])


def downgrade() -> None:
    op.drop_index(op.f("ix_record_content_agency_id_record_id_element_natural_key"),
                  table_name="record_content")
    op.create_index(op.f("ix_record_content_agency_id_record_id_element"), "record_content",
                    ["agency_id", "record_id", "element"])
    op.execute("ALTER TABLE record_content DROP COLUMN value_digest")
    op.execute("ALTER TABLE record_content DROP COLUMN natural_key")
