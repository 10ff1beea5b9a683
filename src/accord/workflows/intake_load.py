"""An agency's file loaded at the hub from a path: what `accord intake load` does and what a node's
upload to the service does (`POST /api/v1/intake/{agency}`), one function for both faces.

It checks that the file and its encodings go together (a students file or a roster comes with its
identities encoded at the agency's node, any other kind without), reads an Ed-Fi incidents file
the behaviour associations refer to, finishes or undoes what a stopped load left (hub_recovery),
reads the agency's descriptor mappings, and loads the file whole or not at all (intake_file). The
face shows the outcome: rejected rows by file, row and field, never a value.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from accord.errors import AccordError
from accord.intake import iter_batches, read_incidents
from accord.store.crypto import ContentCipher
from accord.workflows.descriptors import descriptor_map
from accord.workflows.hub_files import HubFiles
from accord.workflows.hub_recovery import SessionOpener, recover
from accord.workflows.intake import IDENTITY_KINDS, IntakeReport
from accord.workflows.intake_file import load_file


class LoadRequestError(AccordError, ValueError):
    """A load asked for wrongly (encodings with a kind that has none, none with one that needs
    them, a broken incidents file); nothing is read or written."""


@dataclass(frozen=True, slots=True)
class LoadOutcome:
    report: IntakeReport
    rosters: dict[str, int]  # agreement -> the agency's hub roster's size after the merge
    recovered: list[str] = field(default_factory=list)  # what a stopped load had left, now settled


def sha256_of(path: Path) -> str:
    """The file's SHA-256, read in blocks: a reload of the same bytes is recognised by it."""
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def check_request(kind: str, source_name: str, encoded: Sequence[Path]) -> None:
    """A students file or a roster comes with its encodings; nothing else does."""
    if kind in IDENTITY_KINDS and not encoded:
        raise LoadRequestError(f"--encoded: a {kind} file comes with its identities encoded at the agency "
                               f"(`accord node encode --key-file KEY --agreement ID --in {source_name} "
                               "--out FILE`)")
    if kind not in IDENTITY_KINDS and encoded:
        raise LoadRequestError(f"--encoded: {kind} files have no identities to encode")


def load_agency_file(open_session: SessionOpener, hub: HubFiles, agency_id: str, kind: str, source: Path,
                     cipher: ContentCipher, at: datetime, *, encoded: Sequence[Path] = (),
                     element: str | None = None, incidents: Path | None = None, dry_run: bool = False,
                     open_reader: SessionOpener | None = None,
                     on_recovered: Callable[[str], None] | None = None,
                     on_progress: Callable[[int], None] | None = None) -> LoadOutcome:
    """Load `source` for `agency_id` whole or not at all, with its identities' `encoded` files
    (one per agreement); rejections name the file by `source`'s name, so an upload is saved under
    the name the agency gave it. A rejected file loads nothing and its report lists every rejection."""
    check_request(kind, source.name, encoded)
    joined = None
    if incidents is not None:
        joined, incident_batch = read_incidents(incidents)
        if incident_batch.rejections:
            count = len({r.row for r in incident_batch.rejections})
            raise LoadRequestError(f"--incidents: {incident_batch.rejections[0]} ({count:,} row(s) rejected; "
                                   "fix the disciplineIncidents file first)")
    reader = open_reader or open_session
    notes = recover(open_session, hub, at, open_reader=reader)
    for note in notes:
        if on_recovered is not None:
            on_recovered(note)
    with reader() as session:
        mapped = descriptor_map(session, agency_id)
    batches = iter_batches(source, kind, element=element, incidents=joined, descriptors=mapped,
                           on_progress=on_progress)
    report, sizes = load_file(open_session, hub, agency_id, kind, source.name, batches, cipher, at,
                              dry_run=dry_run, submissions=encoded, content_sha256=sha256_of(source),
                              open_reader=reader)
    return LoadOutcome(report, sizes, notes)
