"""The hub's files and its store agree after any stop: what a run left between them, the next
run finishes or undoes.

A load writes its encodings to a pending file before its transaction commits and names the file
in its batch (intake_file). Stopped before the commit (kill -9, Ctrl-C, a power cut), the batch
is not in the store: the pending file is deleted, and nothing of that load exists. Stopped after
the commit, the batch is there: its pending file is merged into the roster. Stopped while a
partner's roster waited for its linkage run, that run is done now. Every merge, run and deletion
for an agreement happens under its lock (HubFiles.agreement_lock), one process at a time; a
pending file whose writer is still running is that writer's to finish.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import datetime
from pathlib import Path

from sqlalchemy.orm import Session

from accord.domain.agreements import Agreement
from accord.store.repositories.agreements import get_agreement
from accord.store.repositories.content import batch_promising
from accord.workflows.hub_files import HubFiles, pending_parties, writer_running
from accord.workflows.hub_rosters import add_to_roster, delete_trained, record_runs, train_waiting

SessionOpener = Callable[[], AbstractContextManager[Session]]  # one transaction, committed on exit


def settle(open_session: SessionOpener, hub: HubFiles, agreement: Agreement, at: datetime, *,
           merging: tuple[str, Path] | None = None, open_reader: SessionOpener | None = None,
           wait: bool = True) -> int:
    """Under the agreement's lock: merge `merging` (agency, pending file) into the agency's roster
    and delete the file; then link any partner's roster waiting beside the school's, record the
    runs and delete the partners' encodings. Returns the merged roster's size (0 when none).
    Without `wait`, nothing is done when another process holds the lock (its run is going on).

    Training only reads the store: `open_reader`, when given, opens a read-only session for it,
    so that on SQLite it holds no writer off."""
    size = 0
    with hub.agreement_lock(agreement.id, wait=wait) as held:
        if not held:
            return size
        if merging is not None and merging[1].exists():
            agency_id, pending = merging
            size = add_to_roster(hub, agreement.id, agency_id, pending)
            pending.unlink()  # after the merge: a stop between the two merges it again, the same
        with (open_reader or open_session)() as reader:
            trained = train_waiting(reader, hub, agreement)
        if trained:
            with open_session() as session:
                record_runs(session, agreement, trained, at)
            delete_trained(hub, agreement, trained)
    return size


def unsettled(hub: HubFiles) -> int:
    """How many things stopped runs left for `recover` (pending files no running process owns,
    partner rosters waiting past their run), without repairing them: for checks that only read."""
    left = sum(1 for pending in hub.pending_files() if not writer_running(pending))
    return left + sum(len(rosters) - 1 for rosters in _waiting(hub).values())


def _waiting(hub: HubFiles) -> dict[str, list[Path]]:
    """The agreements holding more than the school's roster (a partner's waits for its linkage
    run), with their rosters."""
    by_agreement: dict[str, list[Path]] = {}
    for roster in hub.stored_rosters():
        by_agreement.setdefault(roster.parent.parent.name, []).append(roster)
    return {agreement: rosters for agreement, rosters in by_agreement.items() if len(rosters) > 1}


def recover(open_session: SessionOpener, hub: HubFiles, at: datetime,
            open_reader: SessionOpener | None = None) -> list[str]:
    """Finish or undo what stopped runs left; returns one line per repair (no person in it)."""
    notes = []
    for pending in hub.pending_files():
        if writer_running(pending):
            continue
        agreement_id, agency_id = pending_parties(pending)
        with open_session() as session:
            batch = batch_promising(session, pending.name)
            agreement = get_agreement(session, agreement_id)
        if batch is None or agreement is None:
            pending.unlink(missing_ok=True)
            notes.append(f"removed encodings of {agency_id} for agreement {agreement_id} left by a load that "
                         "stopped before its commit (nothing of that load was kept)")
            continue
        size = settle(open_session, hub, agreement, at, merging=(agency_id, pending), open_reader=open_reader)
        notes.append(f"finished batch {batch}, which stopped after its commit: its encodings are now in the "
                     f"roster of {agency_id} for agreement {agreement_id} ({size:,} records)")
    notes += _untrained(open_session, hub, at, open_reader)
    return notes


def _untrained(open_session: SessionOpener, hub: HubFiles, at: datetime,
               open_reader: SessionOpener | None) -> list[str]:
    """Link the partner rosters a stopped run left waiting (an agreement with more than the
    school's roster); a run going on now holds the lock, and is left to finish."""
    notes = []
    for agreement_id, rosters in sorted(_waiting(hub).items()):
        with open_session() as session:
            agreement = get_agreement(session, agreement_id)
        if agreement is None:
            continue
        settle(open_session, hub, agreement, at, open_reader=open_reader, wait=False)
        left = [p.parent.name for p in rosters if not p.exists()]
        if left:
            notes.append(f"linked the waiting roster(s) of {', '.join(left)} for agreement {agreement_id}, "
                         "left by a run that stopped before its linkage run, and deleted them")
    return notes

