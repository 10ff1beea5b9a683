"""One agency file into the hub, identities included: the load, then the encoded rosters.

The order matters and is kept here once. The file is loaded in one transaction; its identities'
encodings, made by the agency at its own node (`accord node encode --agreement`, which holds the
secret), one file per agreement the agency submits under, are checked and written to the hub's
pending folder before that transaction commits, and the batch records their names, so a
submission that does not fit loads nothing. They are merged into the agency's roster for each
agreement after the commit, so a roster never holds records the store does not; a merge that
completes a pair of rosters runs the linkage that trains the lookup model, records it, and
deletes the partner's encodings (hub_rosters). A run stopped anywhere is finished or undone by
the next (hub_recovery). The hub never holds the key.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from pathlib import Path

from sqlalchemy.orm import Session

from accord.domain.agreements import Agreement
from accord.domain.withheld import WITHHELD_FROM_HUB
from accord.errors import AccordError
from accord.intake import Batch, StudentIdentity
from accord.linkage.hub.roster_store import take_submitted
from accord.store.crypto import ContentCipher
from accord.store.repositories.content import commit_encodings
from accord.workflows.hub_files import HubFiles
from accord.workflows.hub_recovery import SessionOpener, settle
from accord.workflows.hub_rosters import SubmissionRefused, agreement_of
from accord.workflows.intake import IntakeReport, load_batches


class IdentitiesAtHub(AccordError, ValueError):
    """A file sent to the hub still carries identity fields the node should have withheld
    (domain.withheld); nothing is loaded. The message names the file, never a value."""


def _agreements(session: Session, hub: HubFiles, submissions: Sequence[Path], agency_id: str
                ) -> list[Agreement]:
    agreements = [agreement_of(session, hub, s, agency_id) for s in submissions]
    ids = [a.id for a in agreements]
    if len(set(ids)) < len(ids):
        raise SubmissionRefused("two of the encoded files were made for the same agreement")
    return agreements


def load_file(open_session: SessionOpener, hub: HubFiles, agency_id: str, kind: str, source: str,
              batches: Iterable[Batch], cipher: ContentCipher, at: datetime, *,
              dry_run: bool = False, submissions: Sequence[Path] = (),
              open_reader: SessionOpener | None = None, content_sha256: str | None = None
              ) -> tuple[IntakeReport, dict[str, int]]:
    """Load a file whole (load_batches); with `submissions`, also its identities into the hub
    roster of each agreement they were encoded for.

    The roster merges (and the training they may start, which can take minutes) only read the
    store: `open_reader`, when given, opens a read-only session for them, so that on SQLite they
    hold no writer off. Returns the report and, per agreement, the roster's size after the merge."""
    ids: list[str] = []  # the file's records, for its encodings: ids only, a million of them stay small

    def collect(found: list[StudentIdentity]) -> None:
        if any(field in WITHHELD_FROM_HUB for p in found for field in p.identity):
            raise IdentitiesAtHub(f"{source}: names, birth dates, sex, addresses and identifiers reach the "
                                  "hub only as encodings: load the agency node's copy (`accord node encode "
                                  "--hub-copy`)")
        ids.extend(p.record_id for p in found)

    taken: list[tuple[Agreement, Path]] = []
    try:
        with open_session() as session:
            report = load_batches(session, agency_id, kind, source, batches, cipher, at, dry_run=dry_run,
                                  identities=collect if submissions else None,
                                  content_sha256=content_sha256)
            if not report.keep:  # this transaction is the load's: nothing of it stays
                session.rollback()
            # The file's own problems first; then whether its encodings may come, still inside the
            # transaction, so a refusal loads nothing.
            agreements = _agreements(session, hub, submissions, agency_id) if report.accepted else []
            if report.accepted and not dry_run and ids and report.batch_id is not None:
                for agreement, encodings in zip(agreements, submissions, strict=True):
                    pending = hub.new_pending(agreement.id, agency_id)
                    taken.append((agreement, pending))
                    take_submitted(encodings, ids, pending, hub.roster_path(agreement.id, agency_id))
                commit_encodings(session, report.batch_id, [pending.name for _, pending in taken])
        ids.clear()  # the merges read the ids again from the encodings: a state's million, 70 MiB
    except BaseException:
        for _, pending in taken:  # the load did not commit: neither do its encodings
            pending.unlink(missing_ok=True)
        raise
    sizes = {agreement.id: settle(open_session, hub, agreement, at, merging=(agency_id, pending),
                                  open_reader=open_reader)
             for agreement, pending in taken}
    return report, sizes
