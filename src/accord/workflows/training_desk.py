"""Training through the service: a person's own status (each required course, current or not), and
a completion recorded by a records officer or administrator for a person of their own agency (the
course itself, with its quiz, records it for the learner in the pages to come)."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from accord.domain.agencies import Role, User
from accord.domain.training import Completion, missing_courses
from accord.errors import AccordError
from accord.store.repositories.agencies import get_user
from accord.workflows.registry import record_completion, training_of

RECORDERS = frozenset({Role.RECORDS_OFFICER, Role.ADMINISTRATOR})


class NotYourStaff(AccordError, LookupError):
    """A person who is not of the recorder's agency, worded as one who does not exist."""


def training_status(session: Session, user_id: str, on: date) -> dict[str, Any]:
    """Each required course, whether the person's completion is current on `on`, and the latest."""
    done, required = training_of(session, user_id)
    missing = set(missing_courses(done, required, on))
    courses = []
    for course_id in required:
        latest = max((c for c in done if c.course_id == course_id), key=lambda c: c.completed_on,
                     default=None)
        courses.append({"course": course_id, "current": course_id not in missing,
                        "completed_on": latest.completed_on if latest else None,
                        "expires_on": latest.expires_on if latest else None})
    return {"on": on, "current": not missing, "courses": courses}


def record_staff_completion(session: Session, recorder: User, user_id: str, course_id: str,
                            on: date) -> Completion:
    person = get_user(session, user_id)
    if recorder.role not in RECORDERS or person is None or person.agency_id != recorder.agency_id:
        raise NotYourStaff("no such person in your agency")
    return record_completion(session, user_id, course_id, on)
