"""Agency records and their sealed content, intake batches, and records-officer notices.

Every function works inside the caller's transaction and never commits: a load is all or
nothing because the caller commits once, at the end (accord.store.db.session_scope).

Bulk paths (agency records, content) are Core `INSERT ... executemany` on the session's
connection, fed from the caller's iterable in fixed-size chunks, so memory stays flat however
many rows a file has. Content is sealed with AES-256-GCM (accord.store.crypto); the associated
data binds each value to its agency, record, element and date, so a sealed value copied onto
another row does not open.
"""

from __future__ import annotations

import gc
import json
from collections.abc import Collection, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from itertools import islice
from pathlib import PurePath
from typing import Any

from sqlalchemy import Insert, Table, func, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from accord.domain.content import ContentItem, Value
from accord.store.crypto import ContentCipher, ContentKeyError
from accord.store.errors import Conflict, NotFound, StoreError, guarded
from accord.store.models import (
    AgencyRecordRow,
    IntakeBatchRow,
    LedgerEntryRow,
    OfficerNotificationRow,
    RecordContentRow,
)

RECORD_BATCH = 10_000  # agency record ids per INSERT round trip
CONTENT_BATCH = 20_000  # content items per INSERT round trip (bounds memory on 10M-row loads)

_RECORDS: Table = AgencyRecordRow.__table__  # type: ignore[assignment]
_CONTENT: Table = RecordContentRow.__table__  # type: ignore[assignment]


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


# --- intake batches -----------------------------------------------------------------------


@guarded("starting an intake batch")
def start_batch(session: Session, agency_id: str, kind: str, source: str, rows_read: int,
                at: datetime | None = None, content_sha256: str | None = None) -> int:
    """Open the bookkeeping row for one load and return its id.

    `source` is reduced to the file's name: directories can name people (home folders)."""
    row = IntakeBatchRow(agency_id=agency_id, kind=kind, source=PurePath(source).name,
                         rows_read=rows_read, rows_loaded=0, rows_rejected=0,
                         loaded_at=at or _now(), content_sha256=content_sha256)
    session.add(row)
    session.flush()
    return row.id


def finish_batch(session: Session, batch_id: int, loaded: int, rejected: int) -> None:
    """Record how many rows of the batch were loaded and how many rejected."""
    result = session.execute(update(IntakeBatchRow).where(IntakeBatchRow.id == batch_id)
                             .values(rows_loaded=loaded, rows_rejected=rejected)
                             .execution_options(synchronize_session=False))
    if result.rowcount != 1:  # type: ignore[attr-defined]
        raise NotFound(f"no intake batch {batch_id}")


@dataclass(frozen=True, slots=True)
class IntakeBatch:
    id: int
    agency_id: str
    kind: str
    source: str
    rows_read: int
    rows_loaded: int
    rows_rejected: int
    loaded_at: datetime


def batch_of_file(session: Session, agency_id: str, kind: str, content_sha256: str) -> int | None:
    """The earliest committed load of the same file (same agency, kind and bytes), if any."""
    return session.execute(
        select(IntakeBatchRow.id).where(IntakeBatchRow.agency_id == agency_id, IntakeBatchRow.kind == kind,
                                        IntakeBatchRow.content_sha256 == content_sha256)
        .order_by(IntakeBatchRow.id).limit(1)).scalar_one_or_none()


def get_batch(session: Session, batch_id: int) -> IntakeBatch | None:
    """The batch's bookkeeping, or None when unknown."""
    r = session.get(IntakeBatchRow, batch_id)
    if r is None:
        return None
    return IntakeBatch(r.id, r.agency_id, r.kind, r.source, r.rows_read, r.rows_loaded,
                       r.rows_rejected, r.loaded_at)


# --- agency records -----------------------------------------------------------------------


def _insert_ignoring_duplicates(session: Session, table: Table) -> Insert:
    """INSERT ... ON CONFLICT DO NOTHING, in the dialect of the two databases Accord supports."""
    dialect = session.connection().dialect.name
    if dialect == "postgresql":
        return postgresql.insert(table).on_conflict_do_nothing()
    if dialect == "sqlite":
        return sqlite.insert(table).on_conflict_do_nothing()
    raise StoreError(f"Accord keeps its data in SQLite or PostgreSQL (ADR 0002), not {dialect}")


@guarded("adding agency records")
def upsert_agency_records(session: Session, agency_id: str, record_ids: Iterable[str],
                          batch_id: int, student_ids: Mapping[str, str] | None = None) -> None:
    """Register the agency's record ids that are not registered yet; known ones are left as
    they are (their batch, load time and student link do not change).

    `student_ids` maps a record id to the hub student it is (the education agency's own
    students). Ids are inserted `RECORD_BATCH` at a time, so a million ids stay fast."""
    links = student_ids or {}
    stmt = _insert_ignoring_duplicates(session, _RECORDS)
    conn = session.connection()
    now = _now()
    it = iter(record_ids)
    while chunk := list(islice(it, RECORD_BATCH)):
        conn.execute(stmt, [{"agency_id": agency_id, "record_id": rid,
                             "student_id": links.get(rid), "batch_id": batch_id,
                             "loaded_at": now} for rid in chunk])


def student_for_record(session: Session, agency_id: str, record_id: str) -> str | None:
    """The hub student the agency's record is, or None (unknown record, or not linked)."""
    return session.scalar(select(AgencyRecordRow.student_id)
                          .where(AgencyRecordRow.agency_id == agency_id,
                                 AgencyRecordRow.record_id == record_id))


def count_records(session: Session, agency_id: str) -> int:
    """How many records of the agency are registered."""
    return int(session.scalar(select(func.count()).select_from(AgencyRecordRow)
                              .where(AgencyRecordRow.agency_id == agency_id)) or 0)


# --- content ------------------------------------------------------------------------------


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
                    "batch_id")
_Row = tuple[str, str, str, "date | str | None", str, bytes, int]


def _sealed_rows(agency_id: str, chunk: list[ContentItem], cipher: ContentCipher,
                 batch_id: int, iso_dates: bool, serialise: _Serialiser) -> list[_Row]:
    """The rows for one chunk, in _CONTENT_COLUMNS order. The AAD is content_aad's, built
    from its parts: the agency's prefix once, each distinct date's text once."""
    prefix = _aad_prefix(agency_id)
    days: dict[date | None, str] = {}
    for item in chunk:
        if item.occurred_on not in days:
            days[item.occurred_on] = "-" if item.occurred_on is None else item.occurred_on.isoformat()
    sealed = cipher.seal_many(
        (serialise(item.values),
         f"{prefix}{len(item.record_id)}:{item.record_id}|{len(item.element)}:{item.element}"
         f"|{days[item.occurred_on]}".encode())
        for item in chunk)
    kid = cipher.key_id
    if iso_dates:
        return [(agency_id, item.record_id, item.element,
                 None if item.occurred_on is None else days[item.occurred_on], kid, blob, batch_id)
                for item, blob in zip(chunk, sealed, strict=True)]
    return [(agency_id, item.record_id, item.element, item.occurred_on, kid, blob, batch_id)
            for item, blob in zip(chunk, sealed, strict=True)]


def require_content_key(session: Session, cipher: ContentCipher) -> None:
    """The store's content is sealed under one key: refuse to add any under another, which would
    leave part of a child's record unreadable with the key that opens the rest. One row is enough
    to know the store's key, since every load before this one was checked the same way."""
    held = session.execute(select(RecordContentRow.key_id).limit(1)).scalar_one_or_none()
    if held is not None and held != cipher.key_id:
        raise ContentKeyError(f"the store's content is sealed under key {held}, and this run's content key "
                              f"is {cipher.key_id}: point ACCORD_CONTENT_KEY_FILE at the store's key")


@guarded("adding record content")
def add_content(session: Session, agency_id: str, items: Iterable[ContentItem],
                cipher: ContentCipher, batch_id: int) -> int:
    """Seal and insert the items (their records must be registered); returns how many.

    The iterable is consumed `CONTENT_BATCH` items at a time, so ten million attendance
    events need no more memory than one chunk. On SQLite the rows go to the driver's
    executemany as tuples (the statement is the Core insert, compiled once): SQLAlchemy's
    per-row parameter processing would otherwise cost more than sealing does."""
    conn = session.connection()
    stmt = insert(_CONTENT)
    sqlite_sql: str | None = None
    if conn.dialect.name == "sqlite":
        compiled = stmt.compile(dialect=conn.dialect, column_keys=list(_CONTENT_COLUMNS))
        if tuple(compiled.positiontup or ()) != _CONTENT_COLUMNS:
            raise RuntimeError("record_content insert: unexpected column order")
        sqlite_sql = str(compiled)
    it, total, serialise = iter(items), 0, _Serialiser()
    while chunk := list(islice(it, CONTENT_BATCH)):
        with _gc_paused():
            rows = _sealed_rows(agency_id, chunk, cipher, batch_id, sqlite_sql is not None, serialise)
            if sqlite_sql is not None:
                # SQLAlchemy's SQLite Date is ISO text; the rows already hold exactly that.
                conn.exec_driver_sql(sqlite_sql, rows)
            else:
                conn.execute(stmt, [dict(zip(_CONTENT_COLUMNS, row, strict=True)) for row in rows])
        total += len(chunk)
    return total


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


# --- records-officer notifications ---------------------------------------------------------


@dataclass(frozen=True, slots=True)
class OfficerNotification:
    """A notice to the records officer of `agency_id` about ledger entry `ledger_seq`."""

    id: int
    agency_id: str
    ledger_seq: int
    kind: str
    summary: str
    created_at: datetime


@guarded("notifying the records officer")
def notify_officer(session: Session, agency_id: str, ledger_seq: int, kind: str, summary: str,
                   at: datetime | None = None) -> int:
    """Leave a notice for the agency's records officer; returns its id.

    `summary` says who received which elements under which basis; it must name no person.
    Conflict when no ledger entry `ledger_seq` exists (checked here, not by a foreign key: see
    OfficerNotificationRow)."""
    if session.get(LedgerEntryRow, ledger_seq) is None:
        raise Conflict(f"notifying the records officer: there is no ledger entry #{ledger_seq}")
    row = OfficerNotificationRow(agency_id=agency_id, ledger_seq=ledger_seq, kind=kind,
                                 summary=summary, created_at=at or _now())
    session.add(row)
    session.flush()
    return row.id


def open_notifications(session: Session, agency_id: str) -> list[OfficerNotification]:
    """The agency's notices not yet acknowledged, oldest first."""
    rows = session.scalars(select(OfficerNotificationRow)
                           .where(OfficerNotificationRow.agency_id == agency_id,
                                  OfficerNotificationRow.acknowledged_at.is_(None))
                           .order_by(OfficerNotificationRow.id)).all()
    return [OfficerNotification(r.id, r.agency_id, r.ledger_seq, r.kind, r.summary, r.created_at)
            for r in rows]


@guarded("acknowledging a notification")
def acknowledge(session: Session, notification_id: int, by: str, at: datetime) -> None:
    """Mark the notice read by user `by`. NotFound for an unknown id; Conflict when it was
    acknowledged already (the first acknowledgement stands)."""
    row = session.get(OfficerNotificationRow, notification_id)
    if row is None:
        raise NotFound(f"no officer notification {notification_id}")
    if row.acknowledged_at is not None:
        raise Conflict(f"officer notification {notification_id} was already acknowledged")
    row.acknowledged_at = at
    row.acknowledged_by = by
    session.flush()
