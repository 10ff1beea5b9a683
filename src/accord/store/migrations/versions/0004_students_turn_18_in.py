"""Students: the month a student turns 18 replaces the birth date (ADR 0016).

The hub keeps no birth date: what the policy needs is when FERPA rights pass, and the school's
node sends the month of the 18th birthday. A store made before keeps its students: each birth date
becomes that month, then the column is dropped, so no birth date is left behind.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-06 14:30:00
"""

from __future__ import annotations

from calendar import isleap
from datetime import date

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

_STUDENTS = sa.table("students", sa.column("id", sa.String), sa.column("date_of_birth", sa.Date),
                     sa.column("turns_18_in", sa.Date))


def _month_turning_18(born: date) -> date:
    # Kept here, not imported: a migration must not change when the domain's code does.
    # 29 February rolls to 1 March, as domain.students.birthday_on_or_after does.
    leap_day = born.month == 2 and born.day == 29 and not isleap(born.year + 18)
    return date(born.year + 18, 3 if leap_day else born.month, 1)


def upgrade() -> None:
    # Plain ALTER TABLE, not a batch: SQLite (3.35 and later) and PostgreSQL both add and drop a
    # plain column in place, while a batch would recreate `students`, which other tables reference.
    op.add_column("students", sa.Column("turns_18_in", sa.Date(), nullable=True))
    connection = op.get_bind()
    rows = connection.execute(sa.select(_STUDENTS.c.id, _STUDENTS.c.date_of_birth)
                              .where(_STUDENTS.c.date_of_birth.is_not(None))).all()
    for student_id, born in rows:
        connection.execute(_STUDENTS.update().where(_STUDENTS.c.id == student_id)
                           .values(turns_18_in=_month_turning_18(born)))
    op.execute("ALTER TABLE students DROP COLUMN date_of_birth")


def downgrade() -> None:
    # The birth dates are gone; the column comes back empty.
    op.add_column("students", sa.Column("date_of_birth", sa.Date(), nullable=True))
    op.execute("ALTER TABLE students DROP COLUMN turns_18_in")
