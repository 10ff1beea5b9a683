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

import gc
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from functools import lru_cache
from typing import Any

from sqlalchemy import Connection, Insert, LargeBinary, Table, insert
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError

from accord.store.errors import StoreError

Processor = Callable[[Any], Any]


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
        self._processors: list[tuple[int, Processor]] = []  # only the columns that have one
        if dialect.name == "sqlite":
            compiled = self._stmt.compile(dialect=dialect, column_keys=list(self._columns))
            if tuple(compiled.positiontup or ()) != self._columns:
                raise StoreError(f"{table.name}: the compiled insert's columns are not in the rows' order")
            self._sql = str(compiled)
            # Not the binary columns': their processor wraps each value in the driver's Binary
            # (a memoryview), which sqlite3 stores as the BLOB it stores bytes as; a sealed value
            # and two digests per content row made it a third of a load's time.
            self._processors = [(i, p) for i, c in enumerate(self._columns)
                                if not isinstance(table.c[c].type, LargeBinary)
                                and (p := table.c[c].type.bind_processor(dialect)) is not None]
        elif dialect.name == "postgresql" and not ignore_duplicates:
            self._copy = f"COPY {table.name} ({', '.join(self._columns)}) FROM STDIN"

    def __call__(self, rows: list[tuple[Any, ...]]) -> None:
        if not rows:
            return
        if self._sql is not None:
            if self._processors:
                rows = _processed(rows, self._processors)
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


def _processed(rows: list[tuple[Any, ...]], processors: list[tuple[int, Processor]]
               ) -> list[tuple[Any, ...]]:
    """The rows with the columns that have a bind processor passed through it, column by column
    (a load's rows carry two or three such columns of seven, the others are left alone), each
    distinct value processed once: a column of flags or of one load time repeats a few values."""
    columns = list(zip(*rows, strict=True))
    for i, process in processors:
        def value(v: Any, process: Processor = process) -> Any:
            return None if v is None else process(v)
        try:
            columns[i] = tuple(map(lru_cache(maxsize=4096, typed=True)(value), columns[i]))
        except TypeError:  # an unhashable value (a JSON list): each one processed
            columns[i] = tuple(map(value, columns[i]))
    return list(zip(*columns, strict=True))


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


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector for one chunk of a bulk load. Building, sealing and
    inserting rows make no reference cycles, but their many small objects set the collector off
    again and again, and each full pass walks everything a large load holds alive (a third of the
    sealing time at one million rows, measured); reference counting still frees everything as usual."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()
