"""Parents' (and eligible students') requests to inspect the child's education records: the family
asks, the school's records officer lets them see the records within 45 days and marks the request
answered (34 CFR 99.10). Who may ask is decided exactly as for the family's other pages
(accord.workflows.family): another family's child is "not found". Both steps go into the ledger,
so the family's history shows when they asked and when the school answered."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy.orm import Session

from accord.domain.agencies import Role, User
from accord.domain.inspections import InspectionRequest
from accord.errors import AccordError
from accord.ledger.entries import Draft, EntryKind, utc_stamp
from accord.store.repositories import inspections as store
from accord.store.repositories.students import schools_of
from accord.workflows.family import require_child
from accord.workflows.ledger import record

ASKER = {Role.PARENT: "parent", Role.ELIGIBLE_STUDENT: "student"}


class InspectionNotFound(AccordError, LookupError):
    """No open request by that id among the officer's school's students."""


class NotAnOfficer(AccordError, PermissionError):
    """Only a records officer answers a family's request."""


def _draft(kind: EntryKind, req: InspectionRequest, by: str, asker: str | None, at: datetime) -> Draft:
    return Draft(kind, {"request": req.id, "by": by, "at": utc_stamp(at), "asker": asker,
                        "requested_at": utc_stamp(req.requested_at), "due_on": req.due_on.isoformat()},
                 req.student_id)


def ask_to_inspect(session: Session, user: User, student_id: str, at: datetime) -> InspectionRequest:
    """Record the family's request (the 45 days start now). While one is still open, asking again
    returns it: the school's deadline runs from the first request, not the latest."""
    require_child(session, user, student_id, at.date())
    for earlier in store.requests_for_student(session, student_id):
        if earlier.is_open:
            return earlier
    made = store.add_request(session, student_id, user.id, at)
    record(session, _draft(EntryKind.INSPECTION_REQUESTED, made, user.id, ASKER.get(user.role), at))
    return made


def family_requests(session: Session, user: User, student_id: str, on: date) -> list[InspectionRequest]:
    """The child's requests, newest first, for the family that holds the rights."""
    require_child(session, user, student_id, on)
    return store.requests_for_student(session, student_id)


def open_for_officer(session: Session, officer: User) -> list[InspectionRequest]:
    """Open requests about the officer's school's students, the one due first first."""
    if officer.role is not Role.RECORDS_OFFICER:
        raise NotAnOfficer("only a records officer answers requests to inspect records").coded(
            "officer_answers_inspections")
    pending = store.open_requests(session)
    school = schools_of(session, sorted({r.student_id for r in pending}))
    return [r for r in pending if school.get(r.student_id) == officer.agency_id]


def mark_answered(session: Session, officer: User, request_id: int, at: datetime) -> InspectionRequest:
    """The officer has let the family see the records: the request is closed, and the ledger says so."""
    if request_id not in {r.id for r in open_for_officer(session, officer)}:
        raise InspectionNotFound("no such open request among your school's students").coded(
            "no_such_inspection_request", request=str(request_id))
    done = store.mark_answered(session, request_id, officer.id, at)
    record(session, _draft(EntryKind.INSPECTION_ANSWERED, done, officer.id, None, at))
    return done
