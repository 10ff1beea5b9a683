"""The records officer's consent desk in the service: record a signed consent from its document,
read, revoke or confirm one, each only for a student of the officer's own school. A consent of
another school's student is "not found" in the words of one that does not exist."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy.orm import Session

from accord.domain.agencies import User
from accord.domain.consents import Consent, ConsentInvalid
from accord.errors import AccordError
from accord.intake.consent_document import consent_from_data
from accord.policy.preview import PreviewLine
from accord.store.repositories.consents import get_consent
from accord.store.repositories.students import get_student
from accord.workflows.governance import (
    confirm_by_student,
    consent_problems,
    record_new_consent,
    revoke_consent,
)
from accord.workflows.preview import consent_preview


class ConsentNotFound(AccordError, LookupError):
    """No consent by that id among the officer's school's students."""


def _of_my_school(session: Session, officer: User, student_id: str) -> bool:
    student = get_student(session, student_id)
    return student is not None and student.school_agency_id == officer.agency_id


def consent_at_desk(session: Session, officer: User, consent_id: str) -> Consent:
    c = get_consent(session, consent_id)
    if c is None or not _of_my_school(session, officer, c.student_id):
        raise ConsentNotFound("no such consent among your school's students")
    return c


def consent_preview_at_desk(session: Session, officer: User, consent_id: str,
                            at: datetime) -> list[PreviewLine]:
    """What the consent, with everything else on file for the student, would release."""
    consent_at_desk(session, officer, consent_id)
    return consent_preview(session, consent_id, at)


def record_consent_document(session: Session, officer: User, data: Any, at: datetime) -> Consent:
    """Check the document has every element 34 CFR 99.30 requires, then store and record it."""
    c = consent_from_data(data, "the consent")
    if not _of_my_school(session, officer, c.student_id):
        # Not echoed, and worded as for an unknown student: the id is the one identifier sent.
        raise ConsentInvalid("field 'student_id': no such student is registered at your school").coded(
            "unknown_student", field="student_id")
    defects = consent_problems(session, c)
    if defects:
        raise ConsentInvalid(f"the consent was not recorded: {'; '.join(defects)}").coded(
            "consent_has_defects")
    return record_new_consent(session, c, officer.id, at)


def revoke_at_desk(session: Session, officer: User, consent_id: str, at: datetime) -> Consent:
    consent_at_desk(session, officer, consent_id)
    return revoke_consent(session, consent_id, at, officer.id)


def confirm_at_desk(session: Session, officer: User, consent_id: str, on: date) -> Consent:
    """The eligible student adopted, in front of the officer, a consent their parent signed."""
    consent_at_desk(session, officer, consent_id)
    return confirm_by_student(session, consent_id, on, officer.id)
