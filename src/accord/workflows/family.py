"""A family's own view through the service: the children a parent (or an eligible student, of
themself) may see, each child's disclosure history in plain words, their consents, and revoking
one. Whose rights they are follows FERPA: the parent's until the student is an eligible student
(34 CFR 99.5(a)), the student's from then on. Another family's child, or a child whose rights
have passed, is "not found" in the same words as an id that does not exist, so that asking does
not tell whether a child is enrolled."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy.orm import Session

from accord.domain.agencies import Role, User
from accord.domain.consents import Consent
from accord.errors import AccordError
from accord.ledger.plain_words import HistoryLine, Reader
from accord.policy.preview import PreviewLine
from accord.store.repositories.agencies import get_user
from accord.store.repositories.consents import consents_for_student
from accord.store.repositories.guardianships import save_guardianship, students_of
from accord.store.repositories.students import get_student
from accord.workflows.governance import revoke_consent
from accord.workflows.ledger_desk import proof_of
from accord.workflows.parent_view import disclosure_history
from accord.workflows.preview import student_preview

RELATION_OF = {Role.PARENT: "parent", Role.ELIGIBLE_STUDENT: "self"}


class NotYourChild(AccordError, LookupError):
    """A student this user may not see, told apart from no student at all in no way."""


class GuardianshipRefused(AccordError, ValueError):
    """A guardianship the records officer may not record."""


def record_guardianship(session: Session, officer_id: str, user_id: str, student_id: str,
                        at: datetime) -> bool:
    """The records officer of the student's school says `user_id` is this student's parent (or,
    for an eligible-student account, the student). False when it was already recorded."""
    officer, user = get_user(session, officer_id), get_user(session, user_id)
    student = get_student(session, student_id)
    if officer is None or officer.role is not Role.RECORDS_OFFICER:
        raise GuardianshipRefused("only a records officer records who a student's family is")
    if student is None or student.school_agency_id != officer.agency_id:
        raise GuardianshipRefused("the student is not one of the records officer's school's students")
    if user is None or user.role not in RELATION_OF:
        raise GuardianshipRefused("the account is not a parent's or an eligible student's")
    return save_guardianship(session, user_id, student_id, RELATION_OF[user.role], officer_id, at)


def _holds_rights(relation: str, eligible: bool) -> bool:
    return eligible if relation == "self" else not eligible


def children_of(session: Session, user: User, on: date) -> list[str]:
    """The students whose records' rights `user` holds on `on`."""
    out = []
    for student_id, relation in students_of(session, user.id):
        student = get_student(session, student_id)
        if student is not None and _holds_rights(relation, student.is_eligible_student(on)):
            out.append(student_id)
    return out


def require_child(session: Session, user: User, student_id: str, on: date) -> None:
    """Raises NotYourChild unless `user` holds the rights to this student's records on `on`."""
    if student_id not in children_of(session, user, on):
        raise NotYourChild("no such student among yours").coded("not_your_child")


def family_history(session: Session, user: User, student_id: str, on: date,
                   language: str = "en") -> list[HistoryLine]:
    """The child's history in plain words, in `language` ("en" or "es": the family pages' own)."""
    require_child(session, user, student_id, on)
    reader: Reader = "student" if user.role is Role.ELIGIBLE_STUDENT else "parent"
    return disclosure_history(session, student_id, reader, language)


def family_proof(session: Session, user: User, student_id: str, seq: int, on: date) -> dict[str, Any]:
    """The inclusion proof of one line of the child's history: the family can check that what
    they read is in the signed log that every partner agency holds a checkpoint of."""
    require_child(session, user, student_id, on)
    return proof_of(session, seq, student_id)


def family_preview(session: Session, user: User, student_id: str, at: datetime) -> list[PreviewLine]:
    """What the child's record could go out as today, recipient by recipient (the policy's answer)."""
    require_child(session, user, student_id, at.date())
    return student_preview(session, student_id, at)


def family_consents(session: Session, user: User, student_id: str, on: date) -> list[Consent]:
    require_child(session, user, student_id, on)
    return consents_for_student(session, student_id)


def revoke_family_consent(session: Session, user: User, student_id: str, consent_id: str,
                          at: datetime) -> Consent:
    """Revoke one of the child's consents, from `at` on; recorded in the ledger as the family's act."""
    if consent_id not in {c.id for c in family_consents(session, user, student_id, at.date())}:
        raise NotYourChild("no such consent among your child's").coded("not_your_childs_consent")
    return revoke_consent(session, consent_id, at, user.id)
