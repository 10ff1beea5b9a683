"""Finding the facts a load corrects: the agency's earlier rows with the same natural key, on
the index (agency, record, element, natural key); a different value digest is a correction, the
same one a fact already held (ADR 0017)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, select, tuple_
from sqlalchemy.orm import Session

from accord.store.models import RecordContentRow
from accord.store.repositories.sealed_content import Row

_LOOKUP = 5_000  # natural keys per lookup of earlier rows (well under SQLite's bound parameters)


@dataclass
class ContentWritten:
    """What add_content did with the items: added (their natural key was new), replaced (an
    earlier row with the same key held another value) or left as they were (the same value)."""

    added: int = 0
    replaced: int = 0
    unchanged: int = 0

    def __iadd__(self, other: ContentWritten) -> ContentWritten:
        self.added += other.added
        self.replaced += other.replaced
        self.unchanged += other.unchanged
        return self


# On SQLite a row-value IN list is searched on the index's first column only (every row of the
# agency, per lookup: quadratic over a reload); the keys go to a temporary table instead, joined
# in that order (CROSS JOIN fixes it) onto the index, one seek per key.
_SQLITE_KEYS = "CREATE TEMP TABLE IF NOT EXISTS accord_lookup (record_id TEXT, natural_key BLOB)"
_SQLITE_FIND = ("SELECT c.natural_key, c.id, c.value_digest FROM accord_lookup k CROSS JOIN record_content c "
                "WHERE c.agency_id = ? AND c.record_id = k.record_id AND c.element = ? "
                "AND c.natural_key = k.natural_key")


def _hits(session: Session, agency_id: str, element: str, pairs: list[tuple[str, bytes]]) -> Iterable[Any]:
    conn = session.connection()
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql(_SQLITE_KEYS)
        conn.exec_driver_sql("DELETE FROM accord_lookup")
        conn.exec_driver_sql("INSERT INTO accord_lookup VALUES (?, ?)", pairs)
        return conn.exec_driver_sql(_SQLITE_FIND, (agency_id, element)).all()
    return conn.execute(
        select(RecordContentRow.natural_key, RecordContentRow.id, RecordContentRow.value_digest)
        .where(RecordContentRow.agency_id == agency_id, RecordContentRow.element == element,
               tuple_(RecordContentRow.record_id, RecordContentRow.natural_key).in_(pairs))).all()


def _earlier(session: Session, agency_id: str, rows: list[Row]) -> dict[bytes, tuple[int, bytes]]:
    """The agency's rows with the (record, element, natural key) of `rows`: key -> (row id,
    value digest), found on the index (agency, record, element, natural key)."""
    by_element: dict[str, list[tuple[str, bytes]]] = {}
    for row in rows:
        by_element.setdefault(row[2], []).append((row[1], row[7]))
    found: dict[bytes, tuple[int, bytes]] = {}
    for element, pairs in by_element.items():
        for i in range(0, len(pairs), _LOOKUP):
            found.update({bytes(key): (row_id, bytes(value))
                          for key, row_id, value in _hits(session, agency_id, element, pairs[i:i + _LOOKUP])
                          if key is not None and value is not None})
    return found


def to_write(session: Session, agency_id: str, rows: list[Row], written: ContentWritten) -> list[Row]:
    """The rows that change something: earlier rows they correct are deleted here; the same
    values already held are left out."""
    earlier = _earlier(session, agency_id, rows)
    if not earlier:
        written.added += len(rows)
        return rows
    out, stale = [], []
    for row in rows:
        held = earlier.get(row[7])
        if held is None:
            written.added += 1
        elif held[1] == row[8]:
            written.unchanged += 1
            continue
        else:
            written.replaced += 1
            stale.append(held[0])
        out.append(row)
    for i in range(0, len(stale), _LOOKUP):
        session.execute(delete(RecordContentRow).where(RecordContentRow.id.in_(stale[i:i + _LOOKUP]))
                        .execution_options(synchronize_session=False))
    return out
