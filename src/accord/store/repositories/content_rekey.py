"""Re-sealing the store's content under a new key, one batch per transaction (a content-key
rotation): each value opened under the old key, sealed under the new one with the same associated
data, and its digests (ADR 0017) made anew under the new key from the opened values. A batch is
all or nothing; what is left is whatever still carries the old key's id, so a stopped rotation
resumes where it stopped."""

from __future__ import annotations

import json

from sqlalchemy import bindparam, func, select, update
from sqlalchemy.orm import Session

from accord.domain.content import ContentItem
from accord.store.crypto import ContentCipher
from accord.store.models import RecordContentRow
from accord.store.repositories.sealed_content import Digests, content_aad, day_texts

_UPDATE = (update(RecordContentRow).where(RecordContentRow.id == bindparam("row_id"))
           .values(sealed=bindparam("new_sealed"), key_id=bindparam("new_key_id"),
                   natural_key=bindparam("new_natural_key"), value_digest=bindparam("new_value_digest")))


def sealed_under(session: Session, key_id: str) -> int:
    """How many content rows are sealed under the key with this fingerprint."""
    return int(session.scalar(select(func.count()).select_from(RecordContentRow)
                              .where(RecordContentRow.key_id == key_id)) or 0)


def reseal_batch(session: Session, old: ContentCipher, new: ContentCipher, limit: int) -> int:
    """Re-seal up to `limit` rows still under `old` (lowest ids first); returns how many."""
    rows = session.execute(
        select(RecordContentRow.id, RecordContentRow.agency_id, RecordContentRow.record_id,
               RecordContentRow.element, RecordContentRow.occurred_on, RecordContentRow.sealed)
        .where(RecordContentRow.key_id == old.key_id).order_by(RecordContentRow.id).limit(limit)).all()
    aads = [content_aad(agency_id, record_id, element, occurred_on)
            for _, agency_id, record_id, element, occurred_on, _ in rows]
    plains = [old.open(bytes(row[5]), aad) for row, aad in zip(rows, aads, strict=True)]
    items = [ContentItem(row[2], row[3], row[4], json.loads(plain))
             for row, plain in zip(rows, plains, strict=True)]
    keys, values = Digests(new)(items, day_texts(items), plains)
    sealed = new.seal_many(zip(plains, aads, strict=True))
    changes = [{"row_id": row[0], "new_sealed": blob, "new_key_id": new.key_id, "new_natural_key": key,
                "new_value_digest": value}
               for row, blob, key, value in zip(rows, sealed, keys, values, strict=True)]
    if changes:
        session.connection().execute(_UPDATE, changes)
    return len(changes)
