"""Rotating the key that seals record content at the hub (issue 16): everything re-sealed under
the new key in batches, each its own transaction, so a rotation stopped anywhere resumes where it
stopped; the last batch records the rotation in the ledger. Retiring the old key (replacing its
file) is the face's, once this returns."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from accord.ledger.intake_events import key_rotation_draft
from accord.store.crypto import ContentCipher
from accord.store.repositories.content_rekey import reseal_batch, sealed_under
from accord.workflows.hub_recovery import SessionOpener
from accord.workflows.ledger import record

ROTATION_BATCH = 5_000  # rows per transaction: a stop loses at most one batch's work


@dataclass
class Rotation:
    resealed: int = 0  # by this run
    total: int = 0  # rows under the new key at the end
    entry_seq: int | None = None  # the ledger entry, when this run recorded it


def rotate_content(open_session: SessionOpener, old: ContentCipher, new: ContentCipher,
                   batch: int = ROTATION_BATCH, progress: Callable[[int], None] | None = None) -> Rotation:
    """Re-seal every row under `old` with `new`; record the rotation with the batch that leaves
    none (or, for a store with no content yet, on its own). A resumed run whose batches were all
    done records nothing again."""
    done = Rotation()
    while True:
        with open_session() as session:
            n = reseal_batch(session, old, new, batch)
            done.resealed += n
            if n and not sealed_under(session, old.key_id):
                done.total = sealed_under(session, new.key_id)
                done.entry_seq = record(session, key_rotation_draft(old.key_id, new.key_id, done.total)).seq
        if progress is not None and n:
            progress(done.resealed)
        if not n:
            break
    if done.entry_seq is None:
        with open_session() as session:
            done.total = sealed_under(session, new.key_id)
            if not done.total and not done.resealed:  # nothing sealed yet: the rotation is the key alone
                done.entry_seq = record(session, key_rotation_draft(old.key_id, new.key_id, 0)).seq
    return done
