"""Column types shared by the models, chosen to behave the same on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, DateTime, String
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator

Id = String(64)  # agency, user, student, agreement, consent and course ids
Code = String(64)  # enum values (StrEnum .value)


class NaiveUtcDateTime(TypeDecorator[datetime]):
    """Timestamps stored without zone, as the domain uses them (naive local times).

    An aware value is converted to UTC first, so the two backends never disagree about what
    was stored (SQLite would drop the zone, PostgreSQL would shift it).
    """

    impl = DateTime(timezone=False)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is not None and value.tzinfo is not None:
            return value.astimezone(UTC).replace(tzinfo=None)
        return value


class SortedList(TypeDecorator[list[Any]]):
    """A JSON array written in sorted order, so equal sets always store identically."""

    impl = JSON
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> list[Any] | None:
        if value is None:
            return None
        return sorted(str(v) for v in value)
