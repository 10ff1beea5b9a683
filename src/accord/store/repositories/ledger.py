"""Ledger persistence: append under a lock, stream rows, keep checkpoints. No update, no
delete: the application has no such path, and the database refuses one (migration 0002)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import UTC, datetime

from sqlalchemy import func, insert, select, text
from sqlalchemy.orm import Session

from accord.ledger.checkpoints import Checkpoint
from accord.ledger.entries import GENESIS, Draft, Entry, EntryKind, seal
from accord.ledger.verify import StoredRow
from accord.store.models import LedgerCheckpointRow, LedgerEntryRow

# Any constant will do: every writer of this database takes the same advisory lock.
_PG_LEDGER_LOCK = 0x4C454447  # "LEDG"


_LOCK = text("SELECT pg_advisory_xact_lock(:k)")
_TAIL = (select(LedgerEntryRow.seq, LedgerEntryRow.entry_hash)
         .order_by(LedgerEntryRow.seq.desc()).limit(1))
_INSERT = insert(LedgerEntryRow)
_BATCH = 10_000


def append(session: Session, draft: Draft, at: datetime | None = None) -> Entry:
    """Add one entry at the end of the chain, inside the caller's transaction.

    Appends are serialised: on PostgreSQL by an advisory lock held to the end of the
    transaction (the tail is read after it, and READ COMMITTED, PostgreSQL's default, gives
    that read a fresh snapshot; under REPEATABLE READ the UNIQUE prev_hash would refuse the
    entry rather than fork); on SQLite every transaction began IMMEDIATE, holding the write
    lock. Core statements on the session's connection: this is the hot path of every release.
    """
    return append_many(session, [draft], at)[0]


def append_many(session: Session, drafts: Sequence[Draft], at: datetime | None = None) -> list[Entry]:
    """Add `drafts` at the end of the chain, in order, inside the caller's transaction: one lock,
    one read of the tail and one batch of inserts for a run that records thousands of decisions
    (a cross-check), chained exactly as one append after another would be."""
    conn = session.connection()
    if conn.dialect.name == "postgresql":
        conn.execute(_LOCK, {"k": _PG_LEDGER_LOCK})
    tail = conn.execute(_TAIL).first()
    seq, prev = (int(tail[0]) + 1, str(tail[1])) if tail is not None else (1, GENESIS)
    now = at or datetime.now(UTC).replace(tzinfo=None)
    entries, rows = [], []
    for draft in drafts:
        entry = seal(draft, seq, prev, now)
        entries.append(entry)
        rows.append({"seq": seq, "recorded_at": now, "kind": entry.kind.value, "student_id": entry.student_id,
                     "entry_json": entry.entry_json, "entry_hash": entry.entry_hash, "prev_hash": prev})
        seq, prev = seq + 1, entry.entry_hash
    for start in range(0, len(rows), _BATCH):
        conn.execute(_INSERT, rows[start:start + _BATCH])
    return entries


def size(session: Session) -> int:
    return int(session.scalar(select(func.count()).select_from(LedgerEntryRow)) or 0)


def stored_rows(session: Session, batch: int = 10_000, after: int = 0) -> Iterator[StoredRow]:
    """Every entry in seq order (those after #`after` only, when given), streamed in batches (a
    million rows never sit in memory as ORM objects)."""
    last = after
    while True:
        chunk = session.execute(
            select(LedgerEntryRow.seq, LedgerEntryRow.entry_json, LedgerEntryRow.entry_hash)
            .where(LedgerEntryRow.seq > last).order_by(LedgerEntryRow.seq).limit(batch)).all()
        if not chunk:
            return
        for seq, entry_json, entry_hash in chunk:
            yield StoredRow(int(seq), entry_json, entry_hash)
        last = int(chunk[-1][0])


def entry_at(session: Session, seq: int) -> Entry | None:
    row = session.get(LedgerEntryRow, seq)
    if row is None:
        return None
    return Entry(row.seq, row.entry_json, row.entry_hash, EntryKind(row.kind), row.student_id)


def entries_for_student(session: Session, student_id: str) -> list[Entry]:
    """Every entry about one student, oldest first (the parent view)."""
    rows = session.scalars(select(LedgerEntryRow).where(LedgerEntryRow.student_id == student_id)
                           .order_by(LedgerEntryRow.seq)).all()
    return [Entry(r.seq, r.entry_json, r.entry_hash, EntryKind(r.kind), r.student_id)
            for r in rows]


def entries_of_kinds(session: Session, kinds: Sequence[EntryKind]) -> Iterator[Entry]:
    """Every entry of the given kinds, oldest first, streamed (a requester's history)."""
    query = (select(LedgerEntryRow).where(LedgerEntryRow.kind.in_([k.value for k in kinds]))
             .order_by(LedgerEntryRow.seq).execution_options(yield_per=_BATCH))
    for r in session.scalars(query):
        yield Entry(r.seq, r.entry_json, r.entry_hash, EntryKind(r.kind), r.student_id)


def save_checkpoint(session: Session, cp: Checkpoint) -> Checkpoint:
    session.add(LedgerCheckpointRow(size=cp.size, root=cp.root, signed_at=cp.signed_at,
                                    public_key=cp.public_key, signature=cp.signature))
    session.flush()
    return cp


def checkpoints(session: Session) -> list[Checkpoint]:
    rows = session.scalars(select(LedgerCheckpointRow).order_by(LedgerCheckpointRow.size,
                                                                LedgerCheckpointRow.id)).all()
    return [Checkpoint(r.size, r.root, r.signed_at, r.public_key, r.signature) for r in rows]
