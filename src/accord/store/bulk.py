"""Bulk inserts of plain tuples, in the caller's transaction: the one way the store writes rows
by the hundred thousand (students, agency records, sealed content).

SQLAlchemy's per-row parameter processing (a dictionary per row, the ORM's bulk path on top)
cost more than the database's own insert at a million rows (benchmarks/intake.py). Here the
statement is compiled once and the rows go to the driver as tuples: on SQLite to the driver's
executemany, each value passed through its column type's own bind processor (the public
`TypeEngine.bind_processor`), so what is stored is exactly what SQLAlchemy would store; on
PostgreSQL by COPY, several times an INSERT executemany. Rows that may already be held
(`ignore_duplicates`) go by INSERT ... ON CONFLICT DO NOTHING on both, since COPY cannot skip.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import Connection, Insert, Table, insert
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError

from accord.store.errors import StoreError

Processor = Callable[[Any], Any] | None


class BulkInsert:
    """Writes rows of `columns` (tuples in that order) into `table` on `conn`."""

    __slots__ = ("_columns", "_conn", "_copy", "_processors", "_sql", "_stmt")

    def __init__(self, conn: Connection, table: Table, columns: Sequence[str], *,
                 ignore_duplicates: bool = False) -> None:
        dialect = conn.dialect
        self._conn, self._columns = conn, tuple(columns)
        self._stmt = _insert(dialect.name, table, ignore_duplicates)
        self._sql: str | None = None
        self._copy: str | None = None
        self._processors: list[Processor] = []
        if dialect.name == "sqlite":
            compiled = self._stmt.compile(dialect=dialect, column_keys=list(self._columns))
            if tuple(compiled.positiontup or ()) != self._columns:
                raise StoreError(f"{table.name}: the compiled insert's columns are not in the rows' order")
            self._sql = str(compiled)
            self._processors = [table.c[c].type.bind_processor(dialect) for c in self._columns]
        elif dialect.name == "postgresql" and not ignore_duplicates:
            self._copy = f"COPY {table.name} ({', '.join(self._columns)}) FROM STDIN"

    def __call__(self, rows: list[tuple[Any, ...]]) -> None:
        if not rows:
            return
        if self._sql is not None:
            if any(self._processors):
                rows = [_processed(row, self._processors) for row in rows]
            self._conn.exec_driver_sql(self._sql, rows)
        elif self._copy is not None:
            self._by_copy(rows)
        else:
            self._conn.execute(self._stmt, [dict(zip(self._columns, row, strict=True)) for row in rows])

    def _by_copy(self, rows: list[tuple[Any, ...]]) -> None:
        """COPY on the session's own connection, so in its transaction."""
        driver = self._conn.connection.driver_connection
        assert driver is not None and self._copy is not None
        try:
            with driver.cursor() as cursor, cursor.copy(self._copy) as copy:
                for row in rows:
                    copy.write_row(row)
        except Exception as err:
            # The driver's own error carries the row in its DETAIL; as SQLAlchemy's, `guarded`
            # turns a constraint's into Conflict without it.
            if str(getattr(err, "sqlstate", "") or "").startswith("23"):
                raise IntegrityError(self._copy, None, err) from None
            raise


def _processed(row: tuple[Any, ...], processors: list[Processor]) -> tuple[Any, ...]:
    return tuple(v if p is None or v is None else p(v) for v, p in zip(row, processors, strict=True))


def _insert(dialect: str, table: Table, ignore_duplicates: bool) -> Insert:
    """INSERT, or INSERT ... ON CONFLICT DO NOTHING in the dialect of the two databases Accord
    supports."""
    if not ignore_duplicates:
        return insert(table)
    if dialect == "postgresql":
        return postgresql.insert(table).on_conflict_do_nothing()
    if dialect == "sqlite":
        return sqlite.insert(table).on_conflict_do_nothing()
    raise StoreError(f"Accord keeps its data in SQLite or PostgreSQL (ADR 0002), not {dialect}")
