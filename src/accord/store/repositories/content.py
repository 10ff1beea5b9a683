"""Agency records, intake batches, and records-officer notices (sealed content: sealed_content).

Every function works inside the caller's transaction and never commits: a load is all or
nothing because the caller commits once, at the end (accord.store.db.session_scope).

Agency records are inserted as tuples (store.bulk) on the session's connection, fed from the
caller's iterable in fixed-size chunks, so memory stays flat however many rows a file has.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from itertools import islice
from pathlib import PurePath

from sqlalchemy import Table, bindparam, func, select, update
from sqlalchemy.orm import Session

from accord.store.bulk import BulkInsert
from accord.store.errors import Conflict, NotFound, guarded
from accord.store.id_lists import among_chunks
from accord.store.models import (
    AgencyRecordRow,
    IntakeBatchRow,
    LedgerEntryRow,
    OfficerNotificationRow,
)

RECORD_BATCH = 10_000  # agency record ids per INSERT round trip

_RECORDS: Table = AgencyRecordRow.__table__  # type: ignore[assignment]
_RECORD_COLUMNS = ("agency_id", "record_id", "student_id", "batch_id", "loaded_at")


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
    """The agency's latest load of this kind, when it was this same file (same bytes). Only the
    latest: after a corrected file, the first file loaded again is a change back, not nothing."""
    latest = session.execute(
        select(IntakeBatchRow.id, IntakeBatchRow.content_sha256)
        .where(IntakeBatchRow.agency_id == agency_id, IntakeBatchRow.kind == kind)
        .order_by(IntakeBatchRow.id.desc()).limit(1)).first()
    return latest[0] if latest is not None and latest[1] == content_sha256 else None


def commit_encodings(session: Session, batch_id: int, names: list[str]) -> None:
    """Record, with the batch, the pending encoded files its commit promises to merge."""
    session.execute(update(IntakeBatchRow).where(IntakeBatchRow.id == batch_id)
                    .values(encodings=json.dumps(sorted(names)))
                    .execution_options(synchronize_session=False))


def batch_promising(session: Session, name: str) -> int | None:
    """The committed batch that promised to merge the pending file `name` (a unique name), if any."""
    return session.execute(select(IntakeBatchRow.id)
                           .where(IntakeBatchRow.encodings.like(f'%"{name}"%'))).scalar_one_or_none()


def has_loaded(session: Session, agency_id: str, kinds: Collection[str]) -> bool:
    """Whether the agency has loaded a file of one of these kinds before."""
    return session.execute(select(IntakeBatchRow.id).where(IntakeBatchRow.agency_id == agency_id,
                                                           IntakeBatchRow.kind.in_(kinds))
                           .limit(1)).first() is not None


def get_batch(session: Session, batch_id: int) -> IntakeBatch | None:
    """The batch's bookkeeping, or None when unknown."""
    r = session.get(IntakeBatchRow, batch_id)
    if r is None:
        return None
    return IntakeBatch(r.id, r.agency_id, r.kind, r.source, r.rows_read, r.rows_loaded,
                       r.rows_rejected, r.loaded_at)


# --- agency records -----------------------------------------------------------------------


@guarded("adding agency records")
def upsert_agency_records(session: Session, agency_id: str, record_ids: Iterable[str],
                          batch_id: int, student_ids: Mapping[str, str] | None = None, *,
                          all_new: bool = False) -> None:
    """Register the agency's record ids that are not registered yet; known ones are left as
    they are (their batch, load time and student link do not change).

    `student_ids` maps a record id to the hub student it is (the education agency's own
    students). A caller that knows none is registered yet passes `all_new`: the ids then go in
    as plain inserts (COPY on PostgreSQL, where INSERT ... ON CONFLICT by executemany took most of
    a students load), and one already registered fails the load. Ids are inserted
    `RECORD_BATCH` at a time, so a million ids stay fast."""
    links = student_ids or {}
    write = BulkInsert(session.connection(), _RECORDS, _RECORD_COLUMNS, ignore_duplicates=not all_new)
    now = _now()
    it = iter(record_ids)
    while chunk := list(islice(it, RECORD_BATCH)):
        write([(agency_id, rid, links.get(rid), batch_id, now) for rid in chunk])


def registered_among(session: Session, agency_id: str, record_ids: Collection[str]) -> set[str]:
    """Those of `record_ids` the agency has loaded so far, asked `CHUNK` at a time. A load asks
    about each batch's ids: reading every record the agency has (a million, at a reload of a
    state's students) held them all beside the file's."""
    found = set[str]()
    for matching in among_chunks(session, AgencyRecordRow.record_id, list(record_ids)):
        found.update(session.scalars(select(AgencyRecordRow.record_id)
                                     .where(AgencyRecordRow.agency_id == agency_id, matching)))
    return found


def some_record_ids(session: Session, agency_id: str, count: int) -> list[str]:
    """Up to `count` of the agency's record ids, whichever the store finds first."""
    return list(session.scalars(select(AgencyRecordRow.record_id)
                                .where(AgencyRecordRow.agency_id == agency_id).limit(count)))


_STUDENT_OF_RECORD = select(AgencyRecordRow.student_id).where(  # built once: every case request asks
    AgencyRecordRow.agency_id == bindparam("agency"), AgencyRecordRow.record_id == bindparam("record"))


def student_for_record(session: Session, agency_id: str, record_id: str) -> str | None:
    """The hub student the agency's record is, or None (unknown record, or not linked)."""
    return session.connection().execute(_STUDENT_OF_RECORD, {"agency": agency_id, "record": record_id}
                                        ).scalar_one_or_none()


def count_records(session: Session, agency_id: str) -> int:
    """How many records of the agency are registered."""
    return int(session.scalar(select(func.count()).select_from(AgencyRecordRow)
                              .where(AgencyRecordRow.agency_id == agency_id)) or 0)


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
    acknowledged_at: datetime | None = None
    acknowledged_by: str | None = None


def _notification(r: OfficerNotificationRow) -> OfficerNotification:
    return OfficerNotification(r.id, r.agency_id, r.ledger_seq, r.kind, r.summary, r.created_at,
                               r.acknowledged_at, r.acknowledged_by)


@guarded("notifying the records officer")
def notify_officer(session: Session, agency_id: str, ledger_seq: int, kind: str, summary: str,
                   at: datetime | None = None) -> int:
    """Leave a notice for the agency's records officer; returns its id.

    `summary` says who received which elements under which basis; it must name no person.
    Conflict when no ledger entry `ledger_seq` exists (checked here, not by a foreign key: see
    OfficerNotificationRow)."""
    if session.get(LedgerEntryRow, ledger_seq) is None:
        raise Conflict(f"notifying the records officer: there is no ledger entry #{ledger_seq}").coded(
            "no_such_ledger_entry", entry=str(ledger_seq))
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
    return [_notification(r) for r in rows]


def acknowledged_notifications(session: Session, agency_id: str,
                               since: datetime) -> list[OfficerNotification]:
    """The agency's notices acknowledged at `since` or later, the latest acknowledgement first."""
    rows = session.scalars(select(OfficerNotificationRow)
                           .where(OfficerNotificationRow.agency_id == agency_id,
                                  OfficerNotificationRow.acknowledged_at >= since)
                           .order_by(OfficerNotificationRow.acknowledged_at.desc(),
                                     OfficerNotificationRow.id.desc())).all()
    return [_notification(r) for r in rows]


@guarded("acknowledging a notification")
def acknowledge(session: Session, notification_id: int, by: str, at: datetime) -> None:
    """Mark the notice read by user `by`. NotFound for an unknown id; Conflict when it was
    acknowledged already (the first acknowledgement stands)."""
    row = session.get(OfficerNotificationRow, notification_id)
    if row is None:
        raise NotFound(f"no officer notification {notification_id}").coded("no_such_notice",
                                                                          notice=str(notification_id))
    if row.acknowledged_at is not None:
        raise Conflict(f"officer notification {notification_id} was already acknowledged").coded(
            "notice_acknowledged_already", notice=str(notification_id))
    row.acknowledged_at = at
    row.acknowledged_by = by
    session.flush()
