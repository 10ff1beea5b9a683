"""One agency file into the hub, identities included: the load, then the encoded roster.

The order matters and is kept here once. The file is loaded in one transaction; its identities'
encodings, made by the agency at its own node (`accord encode`, which holds the shared key), are
checked and taken (`submitted`) before that transaction commits, so a submission that does not
fit loads nothing; they are merged into the agency's hub roster after the commit, so a roster
never holds records the store does not. The hub never holds the key.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager
from datetime import datetime
from pathlib import Path

from sqlalchemy.orm import Session

from accord.domain.withheld import WITHHELD_FROM_HUB
from accord.errors import AccordError
from accord.intake import Batch, StudentIdentity
from accord.linkage.hub.roster_store import take_submitted
from accord.store.crypto import ContentCipher
from accord.workflows.hub_files import roster_path
from accord.workflows.hub_rosters import add_to_roster
from accord.workflows.intake import IntakeReport, load_batches

Encode = Callable[[list[dict[str, str]], Path], None]  # people (canonical columns) -> encodings file


class IdentitiesAtHub(AccordError, ValueError):
    """A file sent to the hub still carries identity fields the node should have withheld
    (domain.withheld); nothing is loaded. The message names the file, never a value."""


def submitted(encodings: Path, agency_id: str) -> Encode:
    """The hub's side of a load: the agency's own encodings of exactly the people loaded, under the
    key and settings of its roster (roster_store.take_submitted)."""
    def take(people: list[dict[str, str]], out: Path) -> None:
        take_submitted(encodings, [p["record_id"] for p in people], out, roster_path(agency_id))
    return take
SessionOpener = Callable[[], AbstractContextManager[Session]]  # one transaction, committed on exit


def load_file(open_session: SessionOpener, agency_id: str, kind: str, source: str,
              batches: Iterable[Batch], cipher: ContentCipher, at: datetime, scratch: Path, *,
              dry_run: bool = False, encode: Encode | None = None,
              open_reader: SessionOpener | None = None) -> tuple[IntakeReport, int | None]:
    """Load a file whole (load_batches); with `encode`, also its identities into the hub roster.

    The roster merge (and the lookup models it retrains, which can take minutes) only reads the
    store: `open_reader`, when given, opens a read-only session for it, so that on SQLite it holds
    no writer off. Returns the report and the roster's size after the merge (None when no roster
    changed)."""
    people: list[dict[str, str]] = []

    def collect(found: list[StudentIdentity]) -> None:
        if any(field in WITHHELD_FROM_HUB for p in found for field in p.identity):
            raise IdentitiesAtHub(f"{source}: names, sex, address and identifiers reach the hub only as "
                                  "encodings: load the agency node's copy (`accord encode --hub-copy`)")
        people.extend({"record_id": p.record_id, **p.identity} for p in found)

    encodings = scratch / "encodings.parquet"
    with open_session() as session:
        report = load_batches(session, agency_id, kind, source, batches, cipher, at, dry_run=dry_run,
                              identities=collect if encode is not None else None)
        if report.accepted and not dry_run and encode is not None and people:
            encode(people, encodings)
    if not encodings.exists():
        return report, None
    with (open_reader or open_session)() as session:
        return report, add_to_roster(session, agency_id, encodings)
