"""The student side of an intake: which records an agency has, new and reloaded students, and
consents captured on the enrollment form."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Set
from datetime import date, datetime

from sqlalchemy.orm import Session

from accord.domain.consents import Consent, ConsentMethod, SignerRole, signer_defects
from accord.domain.purposes import Purpose
from accord.domain.students import Student
from accord.intake import Batch, EnrollmentConsent, Rejection, StudentFacts
from accord.store.repositories.consents import get_consent
from accord.store.repositories.content_write import drop_status_facts
from accord.store.repositories.students import (
    add_students,
    get_student,
    replace_students,
    schools_of,
    students_by_ids,
)
from accord.workflows.governance import record_consent


def student_owners(session: Session, batch: Batch) -> dict[str, str]:
    """The school agency of each student of `batch` already stored (new students are absent)."""
    return schools_of(session, [s.record_id for s in batch.students])


def student_conflicts(agency_id: str, batch: Batch, owners: Mapping[str, str],
                      agencies: Set[str]) -> list[Rejection]:
    """Rows the store would refuse: a student id another school agency already holds (ids are the
    state's unique student ids; `owners` from student_owners), or a foster-care agency not among
    the hub's `agencies`. Messages name the row and field, never the id."""
    out = []
    for student, row in zip(batch.students, batch.student_rows, strict=True):
        if owners.get(student.record_id, agency_id) != agency_id:
            out.append(Rejection(batch.source, row, "record_id",
                                 "this student id belongs to another school agency"))
        foster = student.foster_care_agency_id
        if foster is not None and foster not in agencies:
            out.append(Rejection(batch.source, row, "foster_care_agency_id", "no such agency at the hub"))
    return out


def consent_conflicts(batch: Batch, agencies: Set[str]) -> list[Rejection]:
    """Enrollment rows whose consent names a recipient agency not among the hub's `agencies` (a
    typo would otherwise store a consent that no request can ever match)."""
    return [Rejection(batch.source, row, "consent_recipient_agency_id", "no such agency at the hub")
            for c, row in zip(batch.consents, batch.consent_rows, strict=True)
            if c.recipient_agency_id not in agencies]


def consent_signers(session: Session, agency_id: str, batch: Batch) -> list[Rejection]:
    """Enrollment rows whose consent a parent signed on a day the rights had surely passed to the
    student (ADR 0005): it could never authorize anything, so the row is refused, not stored."""
    out = []
    for c, row in zip(batch.consents, batch.consent_rows, strict=True):
        defects = signer_defects(_consent(agency_id, c, 0), get_student(session, c.record_id))
        out += [Rejection(batch.source, row, "consent_signer_role", d) for d in defects]
    return out


def store_students(session: Session, agency_id: str, students: list[StudentFacts],
                   owners: Mapping[str, str], batch_id: int) -> None:
    """Insert new students in bulk; a reloaded student's facts are replaced, and so is the status
    content (grade level, flags, family background) earlier students files filed for them.
    `owners` is student_owners of these students, read before anything of theirs was written.
    A file without the postsecondary column keeps the date a reloaded student has."""
    kept = _postsecondary_kept(session, [s.record_id for s in students
                                         if s.record_id in owners and not s.postsecondary_in_file])
    as_student = [Student(id=s.record_id, school_agency_id=agency_id, turns_18_in=s.turns_18_in,
                          postsecondary_enrolled_on=(s.postsecondary_enrolled_on if s.postsecondary_in_file
                                                     else kept.get(s.record_id)),
                          directory_opt_out=s.directory_opt_out,
                          meal_disclosure_opt_out=s.meal_disclosure_opt_out,
                          foster_care_agency_id=s.foster_care_agency_id, turns_18_by=s.turns_18_by)
                  for s in students]
    add_students(session, (s for s in as_student if s.id not in owners))
    replace_students(session, (s for s in as_student if s.id in owners))
    drop_status_facts(session, agency_id, [s.id for s in as_student if s.id in owners], batch_id)


def _postsecondary_kept(session: Session, student_ids: list[str]) -> dict[str, date]:
    """The stored postsecondary enrolment date of each of these students that has one. A file
    without the column (an Ed-Fi students resource, an older extract) knows nothing of it, and
    replacing the date with nothing would hand a dual-enrolled student's rights back to her parents."""
    if not student_ids:
        return {}
    return {s.id: s.postsecondary_enrolled_on for s in students_by_ids(session, student_ids)
            if s.postsecondary_enrolled_on is not None}


def _consent(agency_id: str, c: EnrollmentConsent, batch_id: int) -> Consent:
    key = "\x1f".join((agency_id, c.record_id, c.recipient_agency_id, c.purpose, c.signed_on.isoformat(),
                       ",".join(sorted(c.elements))))
    return Consent(
        id="enr-" + hashlib.sha256(key.encode()).hexdigest()[:16], student_id=c.record_id,
        signer_role=SignerRole.STUDENT if c.signer_role == "eligible_student" else SignerRole.PARENT,
        data_elements=c.elements, purposes=frozenset({Purpose(c.purpose)}),
        recipient_agency_ids=frozenset({c.recipient_agency_id}), recipient_roles=frozenset(),
        signed_on=c.signed_on, language=c.language, method=ConsentMethod.PAPER_SCAN,
        evidence_ref=f"enrollment form, intake batch {batch_id}", starts_on=c.signed_on,
        discloser_agency_id=agency_id, captured_at_enrollment=True)


def consents_of(session: Session, agency_id: str, batch: Batch, batch_id: int, at: datetime) -> int:
    """Record (and ledger) the consents captured with the enrollments; returns how many were new.

    A form already on record (the same enrollments file loaded again) is left as it is: recording
    it again would duplicate its ledger entry and undo a revocation made since."""
    consents: Iterable[EnrollmentConsent] = batch.consents
    new = 0
    for c in consents:
        consent = _consent(agency_id, c, batch_id)
        if get_consent(session, consent.id) is not None:
            continue
        record_consent(session, consent, by=f"intake:{agency_id}", at=at)
        new += 1
    return new
