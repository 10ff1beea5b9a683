"""Loading one agency file into the hub: all of it, or none of it.

The readers (accord.intake) validate each row; this workflow adds what needs the store (is the
record known to this agency? is a student id already another agency's?) and writes the batch in
the caller's transaction: students, the agency's records, sealed content, enrollment consents,
and a ledger entry counting the load. A single rejected row, anywhere in the file, means nothing
is written: the report lists every rejection (file, row, field) and the transaction is rolled
back. A dry run reads and checks everything and writes nothing.

Identities never come here in the clear. They go to `identities`, a callback the agency side
supplies (the CLI encodes them under the shared key); the hub keeps only what that produces.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.orm import Session

from accord.domain.agencies import AgencyKind
from accord.domain.students import looks_pseudonymous
from accord.intake import Batch, IntakeError, Rejection, StudentIdentity
from accord.ledger.intake_events import load_draft
from accord.store.bulk import gc_paused
from accord.store.crypto import ContentCipher
from accord.store.repositories import content as repo
from accord.store.repositories import content_write, sealed_content
from accord.store.repositories.agencies import get_agency, list_agencies
from accord.store.repositories.content_corrections import ContentWritten
from accord.workflows.intake_students import (
    consent_conflicts,
    consent_signers,
    consents_of,
    store_students,
    student_conflicts,
    student_owners,
)
from accord.workflows.ledger import record

STUDENT_KINDS = ("students",)  # kinds that create the agency's records; the rest refer to them
IDENTITY_KINDS = ("students", "roster")  # kinds that bring people (and, at the node, encodings)
IdentitySink = Callable[[list[StudentIdentity]], None]
# A CSV kind and the Ed-Fi resource that carry the same facts under the same natural keys: either
# corrects what the other loaded.
_TWINS = (("attendance", "studentSchoolAttendanceEvents"), ("enrollments", "studentSchoolAssociations"),
          ("discipline", "studentDisciplineIncidentBehaviorAssociations"))
SAME_FACTS = {a: {b} for a, b in _TWINS} | {b: {a} for a, b in _TWINS}


@dataclass
class IntakeReport:
    """What a load did: rows read, loaded and rejected (each rejection with file, row, field)."""

    agency_id: str
    kind: str
    source: str
    dry_run: bool
    rows_read: int = 0
    rows_loaded: int = 0
    rejections: list[Rejection] = field(default_factory=list)
    batch_id: int | None = None
    entry_seq: int | None = None
    consents: int = 0
    # A dry run that found nothing wrong: what a real load of the file would write.
    would_load: int = 0
    would_consent: int = 0
    # The same file (same bytes) was this agency's latest load of the kind: nothing was read.
    same_file_as: int | None = None
    # What the load did with the file's facts (new, corrected, already held as they are).
    content: ContentWritten = field(default_factory=ContentWritten)
    # The file was read and accepted, but every fact in it was already held as it is.
    nothing_changed: bool = False
    # Students loaded without a birth date at the node: the hub reads their age as a minor's.
    unknown_ages: int = 0
    # Whether what was written in the caller's transaction is to be kept: False for a rejected
    # file, a dry run, or a file that changes nothing; the transaction's owner rolls it back.
    keep: bool = False

    @property
    def rows_rejected(self) -> int:
        return len({r.row for r in self.rejections})

    @property
    def accepted(self) -> bool:
        return not self.rejections


def _rows(batch: Batch, bad: Callable[[str], bool], students: bool = False) -> set[int]:
    """The rows of `batch` with a content item, consent (or, with `students`, student) whose
    record id is `bad`."""
    rows = {n for i, n in zip(batch.content, batch.content_rows, strict=True) if bad(i.record_id)}
    rows |= {n for c, n in zip(batch.consents, batch.consent_rows, strict=True) if bad(c.record_id)}
    if students:
        rows |= {n for s, n in zip(batch.students, batch.student_rows, strict=True) if bad(s.record_id)}
    return rows


def _referred(batch: Batch) -> set[str]:
    """The record ids the batch's content and consents refer to."""
    return {i.record_id for i in batch.content} | {c.record_id for c in batch.consents}


def _unknown_records(batch: Batch, registered: set[str], this_file: set[str]) -> list[Rejection]:
    """Rows whose record id this agency has not loaded, before (`registered`, of this batch's ids)
    or in this file (content must follow its student)."""
    rows = _rows(batch, lambda record_id: record_id not in registered and record_id not in this_file)
    return [Rejection(batch.source, n, "record_id", "no student with this id has been loaded by this agency "
                      "(load the students file first)") for n in sorted(rows)]


def _not_pseudonyms(batch: Batch) -> list[Rejection]:
    """Rows of an agency that sends pseudonyms whose record id is not one: its node's key was left
    out, and the school's own id would reach the hub (ADR 0022)."""
    rows = _rows(batch, lambda record_id: not looks_pseudonymous(record_id), students=True)
    return [Rejection(batch.source, n, "record_id", "not a pseudonym, while every record this agency "
                      "has at the hub is one: send its node's copy (`accord node encode --hub-copy`, "
                      "`accord node copy`), made with the school's pseudonym key") for n in sorted(rows)]


def _sends_pseudonyms(session: Session, agency_id: str) -> bool:
    """Whether the agency's records at the hub are pseudonyms (a few looked at: they all are or
    none is, since a file of the other kind is refused)."""
    sample = repo.some_record_ids(session, agency_id, 20)
    return bool(sample) and all(looks_pseudonymous(r) for r in sample)


def load_batches(session: Session, agency_id: str, kind: str, source: str, batches: Iterable[Batch],
                 cipher: ContentCipher, at: datetime, *, dry_run: bool = False,
                 identities: IdentitySink | None = None, content_sha256: str | None = None
                 ) -> IntakeReport:
    """Validate and (unless `dry_run` or anything is rejected) write the whole file, in the
    caller's transaction; `report.keep` tells the caller whether to commit it.

    With the file's `content_sha256`, a file of records' content (attendance, grades...) loaded
    before, byte for byte, is not read again: reloading it changes nothing and the report says so.
    A students file or roster always loads: a reload replaces its records' facts, and may bring
    encodings for another agreement."""
    agency = get_agency(session, agency_id)
    if agency is None:
        raise IntakeError(source, 0, "agency", f"unknown agency {agency_id}")
    sealed_content.require_content_key(session, cipher)
    if content_sha256 is not None and kind not in IDENTITY_KINDS:
        earlier = repo.batch_of_file(session, agency_id, kind, content_sha256)
        if earlier is not None:
            return IntakeReport(agency_id, kind, source, dry_run, same_file_as=earlier)
    if kind in STUDENT_KINDS and agency.kind is not AgencyKind.EDUCATION:
        raise IntakeError(source, 0, "kind",
                          "only an education agency loads students; partners load a roster")
    report = IntakeReport(agency_id, kind, source, dry_run)
    pseudonymous = _sends_pseudonyms(session, agency_id)
    this_file: set[str] = set()
    # A students file replaces its records' status facts whole (store_students); another file's
    # facts can correct only what a file of its kind sent before (ADR 0017): a first load of a
    # kind looks nothing up.
    replacing = kind not in STUDENT_KINDS and repo.has_loaded(session, agency_id,
                                                              {kind, *SAME_FACTS.get(kind, ())})
    agencies = {a.id for a in list_agencies(session)}
    consents_read = 0
    for batch in batches:
        report.rows_read += batch.rows_read
        report.rejections += batch.rejections
        consents_read += len(batch.consents)
        owners = student_owners(session, batch) if kind in STUDENT_KINDS else {}
        if kind in STUDENT_KINDS:
            report.rejections += student_conflicts(agency_id, batch, owners, agencies)
            report.unknown_ages += sum(1 for s in batch.students if s.turns_18_in is None)
        report.rejections += consent_conflicts(batch, agencies) + consent_signers(session, agency_id, batch)
        # Students files and partner rosters bring their own records; other kinds refer to them.
        this_file |= {s.record_id for s in batch.students} | {i.record_id for i in batch.identities}
        # Which of the batch's ids the agency had before this file, asked per batch so a reload's
        # memory is bounded by the batch, not the agency's records. Earlier batches' writes are
        # no other answer: their ids are in this_file, and a student id twice in a file is refused.
        registered = repo.registered_among(session, agency_id, {s.record_id for s in batch.students}
                                           | (_referred(batch) - this_file))
        # A forgotten pseudonym key is said as such, rather than as records never loaded.
        clear_ids = _not_pseudonyms(batch) if pseudonymous else []
        report.rejections += clear_ids or _unknown_records(batch, registered, this_file)
        if report.rejections or dry_run:
            continue
        if report.batch_id is None:
            report.batch_id = repo.start_batch(session, agency_id, kind, source, 0,
                                               content_sha256=content_sha256)
        with gc_paused():
            _write(session, agency_id, kind, batch, owners, registered, cipher, report, at, replacing)
        if identities is not None and batch.identities:
            identities(batch.identities)
    written = report.content
    changed = (written.added or written.replaced or not written.unchanged or report.consents
               or kind in IDENTITY_KINDS)
    if report.rejections or dry_run or not report.rows_read or not changed:
        # A file of no rows (a header alone), or of facts all held already, changes nothing and
        # is no event for the ledger.
        report.rows_loaded, report.batch_id, report.consents = 0, None, 0
        if not report.rejections:
            report.would_load, report.would_consent = report.rows_read, consents_read
        report.nothing_changed = not (report.rejections or dry_run or not report.rows_read)
        return report
    report.rows_loaded = report.rows_read
    if report.batch_id is None:
        report.batch_id = repo.start_batch(session, agency_id, kind, source, 0, content_sha256=content_sha256)
    repo.finish_batch(session, report.batch_id, report.rows_loaded, 0)
    report.entry_seq = record(session, load_draft(agency_id, kind, source, report.rows_loaded, 0,
                                                  report.batch_id, report.content.replaced)).seq
    report.keep = True
    return report


def _write(session: Session, agency_id: str, kind: str, batch: Batch, owners: Mapping[str, str],
           registered: set[str], cipher: ContentCipher, report: IntakeReport, at: datetime,
           replacing: bool) -> None:
    assert report.batch_id is not None
    if kind in STUDENT_KINDS:
        store_students(session, agency_id, batch.students, owners, report.batch_id)
        # The records this agency had not registered before this file: plain inserts (COPY).
        new = [s.record_id for s in batch.students if s.record_id not in registered]
        repo.upsert_agency_records(session, agency_id, new, report.batch_id, {r: r for r in new},
                                   all_new=True)
    elif batch.identities:
        repo.upsert_agency_records(session, agency_id, [i.record_id for i in batch.identities],
                                   report.batch_id)
    report.content += content_write.add_content(session, agency_id, batch.content, cipher, report.batch_id,
                                                 replacing=replacing)
    report.consents += consents_of(session, agency_id, batch, report.batch_id, at)
