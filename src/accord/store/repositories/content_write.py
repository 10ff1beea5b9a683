"""Writing record content: sealed in chunks, earlier facts corrected or left (content_corrections),
new rows as tuples (store.bulk), in the caller's transaction; and the status facts a reloaded
students file replaces."""

from __future__ import annotations

from collections.abc import Iterable
from itertools import islice

from sqlalchemy import Table, delete, select
from sqlalchemy.orm import Session

from accord.domain.content import ContentItem
from accord.store.bulk import BulkInsert, gc_paused
from accord.store.crypto import ContentCipher
from accord.store.errors import guarded
from accord.store.id_lists import CHUNK, among_chunks
from accord.store.models import IntakeBatchRow, RecordContentRow
from accord.store.repositories.content_corrections import ContentWritten, to_write
from accord.store.repositories.sealed_content import CONTENT_COLUMNS, Digests, Serialiser, sealed_rows

CONTENT_BATCH = 20_000  # content items per INSERT round trip (bounds memory on 10M-row loads)

_CONTENT: Table = RecordContentRow.__table__  # type: ignore[assignment]


@guarded("adding record content")
def add_content(session: Session, agency_id: str, items: Iterable[ContentItem],
                cipher: ContentCipher, batch_id: int, *, replacing: bool = True) -> ContentWritten:
    """Seal and write the items (their records must be registered): new facts are added, facts
    the agency sent before are replaced when their value changed and skipped when not. A caller
    that knows the agency sent no such facts before (a first load of its kind) passes
    `replacing=False`, and nothing is looked up.

    The iterable is consumed `CONTENT_BATCH` items at a time, so ten million attendance
    events need no more memory than one chunk; rows go as tuples (store.bulk: executemany on
    SQLite, COPY on PostgreSQL)."""
    conn = session.connection()
    write = BulkInsert(conn, _CONTENT, CONTENT_COLUMNS)
    iso_dates = conn.dialect.name == "sqlite"  # SQLAlchemy's SQLite Date is ISO text: made once a day
    it, written, serialise, digests = iter(items), ContentWritten(), Serialiser(), Digests(cipher)
    while chunk := list(islice(it, CONTENT_BATCH)):
        with gc_paused():
            rows = sealed_rows(agency_id, chunk, cipher, batch_id, iso_dates, serialise, digests)
            if replacing:
                rows = to_write(session, agency_id, rows, written)
            else:
                written.added += len(rows)
            write(rows)
    return written


def drop_status_facts(session: Session, agency_id: str, record_ids: list[str], batch_id: int,
                      chunk: int = CHUNK) -> None:
    """Delete the facts earlier students files filed for these records (grade level, flags,
    family background): a students file reloaded replaces them whole, so a flag it no longer
    carries is gone."""
    earlier = (select(IntakeBatchRow.id)
               .where(IntakeBatchRow.agency_id == agency_id, IntakeBatchRow.kind == "students",
                      IntakeBatchRow.id != batch_id))
    for matching in among_chunks(session, RecordContentRow.record_id, record_ids, chunk):
        session.execute(delete(RecordContentRow)
                        .where(RecordContentRow.agency_id == agency_id, matching,
                               RecordContentRow.batch_id.in_(earlier))
                        .execution_options(synchronize_session=False))
