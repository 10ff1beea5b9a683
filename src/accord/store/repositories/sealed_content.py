"""Record content sealed at rest: how it is written, corrected and read.

Content is sealed with AES-256-GCM (accord.store.crypto); the associated data binds each value
to its agency, record, element and date, so a sealed value copied onto another row does not
open. Each row also carries two keyed digests (ContentCipher.digest): its natural key (record,
element and what names the fact, domain.content.natural_key: an attendance event's date and
school, a mark's course and term) and its value. A later file's item with the same natural key
replaces the row when the value differs and is skipped when it is the same, so reloading a file,
or loading a corrected one, never adds a fact twice (ADR 0017). On PostgreSQL rows go in by
COPY. Every function works inside the caller's transaction.
"""

from __future__ import annotations

import gc
import json
from collections.abc import Collection, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from itertools import islice
from typing import Any

from sqlalchemy import Connection, Table, delete, insert, select, tuple_
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from accord.domain.content import ContentItem, Value, natural_key
from accord.store.crypto import ContentCipher, ContentKeyError
from accord.store.errors import guarded
from accord.store.models import IntakeBatchRow, RecordContentRow

CONTENT_BATCH = 20_000  # content items per INSERT round trip (bounds memory on 10M-row loads)
_LOOKUP = 5_000  # natural keys per lookup of earlier rows (well under SQLite's bound parameters)

_CONTENT: Table = RecordContentRow.__table__  # type: ignore[assignment]

def _json_default(value: object) -> str:
    if isinstance(value, date | datetime):
        return value.isoformat()
    raise TypeError(f"content values must be JSON values or dates, not {type(value).__name__}")


# One encoder, built once: json.dumps with options would build a new one for every item.
_ENCODER = json.JSONEncoder(sort_keys=True, separators=(",", ":"), default=_json_default)
_AAD_VERSION = "accord-content-v1"


def serialise_values(values: Mapping[str, Any]) -> bytes:
    """The canonical JSON of an item's values (sorted keys, no spaces, dates as ISO text)."""
    return _ENCODER.encode(values).encode("utf-8")


def content_aad(agency_id: str, record_id: str, element: str, occurred_on: date | None) -> bytes:
    """The associated data that binds a sealed value to its row.

    Every field is length-prefixed (and a missing date is "-", which no prefixed field can
    be), so two different rows never produce the same bytes."""
    day = "-" if occurred_on is None else occurred_on.isoformat()
    return (f"{_AAD_VERSION}|{len(agency_id)}:{agency_id}|{len(record_id)}:{record_id}"
            f"|{len(element)}:{element}|{day}").encode()


def _aad_prefix(agency_id: str) -> str:
    """The start of every AAD of `agency_id` (content_aad, computed once per chunk)."""
    return f"{_AAD_VERSION}|{len(agency_id)}:{agency_id}|"


# Value types whose equality, with the type, fixes their JSON: not float (0.0 == -0.0), nor
# containers (1 == True inside a tuple).
_MEMO_TYPES = frozenset({str, int, bool, type(None)})
_MEMO_LIMIT = 65_536  # distinct values kept per load before the memo starts over


class _Serialiser:
    """serialise_values, remembering the JSON of flat items seen before: bulk content repeats
    the same few values (an attendance event and its school) millions of times, and encoding
    with sorted keys costs several times a dictionary lookup. Only items whose values are all
    of _MEMO_TYPES are remembered, keyed by (name, value, type), so a hit is always exactly the
    JSON serialise_values gives."""

    __slots__ = ("_memo",)

    def __init__(self) -> None:
        self._memo: dict[tuple[tuple[str, object, type], ...], bytes] = {}

    def __call__(self, values: Mapping[str, Any]) -> bytes:
        try:
            key = tuple([(k, v, v.__class__) for k, v in values.items()])
            found = self._memo.get(key)
        except TypeError:  # an unhashable value (a list or a dict)
            return serialise_values(values)
        if found is not None:
            return found
        out = serialise_values(values)
        if all(t in _MEMO_TYPES for _, _, t in key):
            if len(self._memo) >= _MEMO_LIMIT:
                self._memo.clear()
            self._memo[key] = out
        return out


_CONTENT_COLUMNS = ("agency_id", "record_id", "element", "occurred_on", "key_id", "sealed",
                    "batch_id", "natural_key", "value_digest")
_Row = tuple[str, str, str, "date | str | None", str, bytes, int, bytes, bytes]
_VALUE_DIGEST = 8  # bytes: a change of value goes unseen with odds of 2**-64


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


def _part(text: str) -> str:
    return f"{len(text)}:{text}|"


class Digests:
    """Each item's natural-key digest and value digest. Every part is length-prefixed, so two
    different keys never give the same bytes; a key's own parts (a date and a school, repeated
    across a whole file) are encoded once."""

    __slots__ = ("_key", "_keys", "_value")

    def __init__(self, cipher: ContentCipher) -> None:
        self._key, self._value = cipher.digester(), cipher.digester(_VALUE_DIGEST)
        self._keys: dict[tuple[str, ...], str] = {}

    def __call__(self, chunk: list[ContentItem], days: Mapping[date | None, str],
                 plain: list[bytes]) -> tuple[list[bytes], list[bytes]]:
        keys, values, known = [], [], self._keys
        key_digest, value_digest = self._key, self._value
        for item, text in zip(chunk, plain, strict=True):
            named = natural_key(item)
            parts = known.get(named)
            if parts is None:
                if len(known) >= _MEMO_LIMIT:
                    known.clear()
                parts = known[named] = "".join(map(_part, named))
            record, element = item.record_id, item.element
            natural = f"{len(record)}:{record}|{len(element)}:{element}|{parts}".encode()
            keys.append(key_digest(natural))
            values.append(value_digest(natural + days[item.occurred_on].encode() + b"|" + text))
        return keys, values


def _sealed_rows(agency_id: str, chunk: list[ContentItem], cipher: ContentCipher, batch_id: int,
                 iso_dates: bool, serialise: _Serialiser, digests: Digests) -> list[_Row]:
    """The rows for one chunk, in _CONTENT_COLUMNS order. The AAD is content_aad's, built
    from its parts: the agency's prefix once, each distinct date's text once."""
    prefix = _aad_prefix(agency_id)
    days: dict[date | None, str] = {}
    for item in chunk:
        if item.occurred_on not in days:
            days[item.occurred_on] = "-" if item.occurred_on is None else item.occurred_on.isoformat()
    plain = [serialise(item.values) for item in chunk]
    keys, values = digests(chunk, days, plain)
    sealed = cipher.seal_many(
        (text, f"{prefix}{len(item.record_id)}:{item.record_id}|{len(item.element)}:{item.element}"
               f"|{days[item.occurred_on]}".encode())
        for item, text in zip(chunk, plain, strict=True))
    kid = cipher.key_id
    return [(agency_id, item.record_id, item.element,
             (None if item.occurred_on is None else days[item.occurred_on]) if iso_dates
             else item.occurred_on, kid, blob, batch_id, key, value)
            for item, blob, key, value in zip(chunk, sealed, keys, values, strict=True)]


def require_content_key(session: Session, cipher: ContentCipher) -> None:
    """The store's content is sealed under one key: refuse to add any under another, which would
    leave part of a child's record unreadable with the key that opens the rest. One row is enough
    to know the store's key, since every load before this one was checked the same way."""
    held = session.execute(select(RecordContentRow.key_id).limit(1)).scalar_one_or_none()
    if held is not None and held != cipher.key_id:
        raise ContentKeyError(f"the store's content is sealed under key {held}, and this run's content key "
                              f"is {cipher.key_id}: point ACCORD_CONTENT_KEY_FILE at the store's key")


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


def _earlier(session: Session, agency_id: str, rows: list[_Row]) -> dict[bytes, tuple[int, bytes]]:
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


def _to_write(session: Session, agency_id: str, rows: list[_Row], written: ContentWritten) -> list[_Row]:
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


@guarded("adding record content")
def add_content(session: Session, agency_id: str, items: Iterable[ContentItem],
                cipher: ContentCipher, batch_id: int, *, replacing: bool = True) -> ContentWritten:
    """Seal and write the items (their records must be registered): new facts are added, facts
    the agency sent before are replaced when their value changed and skipped when not. A caller
    that knows the agency sent no such facts before (a first load of its kind) passes
    `replacing=False`, and nothing is looked up.

    The iterable is consumed `CONTENT_BATCH` items at a time, so ten million attendance
    events need no more memory than one chunk. On SQLite the rows go to the driver's
    executemany as tuples (the statement is the Core insert, compiled once): SQLAlchemy's
    per-row parameter processing would otherwise cost more than sealing does; on PostgreSQL
    they go by COPY."""
    conn = session.connection()
    stmt = insert(_CONTENT)
    sqlite_sql: str | None = None
    if conn.dialect.name == "sqlite":
        compiled = stmt.compile(dialect=conn.dialect, column_keys=list(_CONTENT_COLUMNS))
        if tuple(compiled.positiontup or ()) != _CONTENT_COLUMNS:
            raise RuntimeError("record_content insert: unexpected column order")
        sqlite_sql = str(compiled)
    it, written, serialise, digests = iter(items), ContentWritten(), _Serialiser(), Digests(cipher)
    while chunk := list(islice(it, CONTENT_BATCH)):
        with _gc_paused():
            rows = _sealed_rows(agency_id, chunk, cipher, batch_id, sqlite_sql is not None, serialise,
                                digests)
            if replacing:
                rows = _to_write(session, agency_id, rows, written)
            else:
                written.added += len(rows)
            if not rows:
                continue
            if sqlite_sql is not None:
                # SQLAlchemy's SQLite Date is ISO text; the rows already hold exactly that.
                conn.exec_driver_sql(sqlite_sql, rows)
            elif conn.dialect.name == "postgresql":
                _copy(conn, rows)
            else:
                conn.execute(stmt, [dict(zip(_CONTENT_COLUMNS, row, strict=True)) for row in rows])
    return written


_COPY = f"COPY record_content ({', '.join(_CONTENT_COLUMNS)}) FROM STDIN"


def _copy(conn: Connection, rows: list[_Row]) -> None:
    """The rows into PostgreSQL by COPY, on the session's own connection and so in its transaction:
    several times the speed of an INSERT executemany (benchmarks/intake.py)."""
    driver = conn.connection.driver_connection
    assert driver is not None
    try:
        with driver.cursor() as cursor, cursor.copy(_COPY) as copy:
            for row in rows:
                copy.write_row(row)
    except Exception as err:
        # The driver's own error carries the row in its DETAIL; as SQLAlchemy's, `guarded` turns a
        # constraint's into Conflict without it.
        if str(getattr(err, "sqlstate", "") or "").startswith("23"):
            raise IntegrityError(_COPY, None, err) from None
        raise


def drop_status_facts(session: Session, agency_id: str, record_ids: list[str], batch_id: int,
                      chunk: int = 20_000) -> None:
    """Delete the facts earlier students files filed for these records (grade level, flags,
    family background): a students file reloaded replaces them whole, so a flag it no longer
    carries is gone."""
    earlier = (select(IntakeBatchRow.id)
               .where(IntakeBatchRow.agency_id == agency_id, IntakeBatchRow.kind == "students",
                      IntakeBatchRow.id != batch_id))
    for i in range(0, len(record_ids), chunk):
        session.execute(delete(RecordContentRow)
                        .where(RecordContentRow.agency_id == agency_id,
                               RecordContentRow.record_id.in_(record_ids[i:i + chunk]),
                               RecordContentRow.batch_id.in_(earlier))
                        .execution_options(synchronize_session=False))


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector for one chunk. Sealing and inserting make no
    reference cycles, but their many small objects set the collector off again and again, and
    each full pass walks everything a large load holds alive (a third of the sealing time at one
    million rows, measured); reference counting still frees everything as usual."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


def content_for(session: Session, agency_id: str, record_id: str, elements: Collection[str],
                cipher: ContentCipher) -> list[ContentItem]:
    """The record's items for `elements`, opened, ordered by element then date (undated
    first), then load order. Dates inside values come back as ISO text.

    ContentKeyError when a row was sealed under another key, or does not open (altered, or
    moved from another record); the message names the row by its internal id only."""
    if not elements:
        return []
    rows = session.execute(
        select(RecordContentRow.id, RecordContentRow.element, RecordContentRow.occurred_on,
               RecordContentRow.key_id, RecordContentRow.sealed)
        .where(RecordContentRow.agency_id == agency_id,
               RecordContentRow.record_id == record_id,
               RecordContentRow.element.in_(sorted(set(elements))))
        .order_by(RecordContentRow.element, RecordContentRow.occurred_on.nulls_first(),
                  RecordContentRow.id)).all()
    out = []
    for row_id, element, occurred_on, kid, sealed in rows:
        if kid != cipher.key_id:
            raise ContentKeyError(f"content row {row_id} was sealed under key {kid}; the "
                                  f"loaded content key is {cipher.key_id}")
        try:
            plain = cipher.open(bytes(sealed),
                                content_aad(agency_id, record_id, element, occurred_on))
        except ContentKeyError as err:
            raise ContentKeyError(f"content row {row_id}: {err}") from None
        values: dict[str, Value] = json.loads(plain)
        out.append(ContentItem(record_id, element, occurred_on, values))
    return out


