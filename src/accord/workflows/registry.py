"""Who takes part: agencies, their users, students (by internal id only), privacy-training
courses and completions, and the notices to records officers. What the faces (command line, API)
call; each function works in the caller's transaction."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy.orm import Session

from accord.domain.agencies import Agency, User
from accord.domain.students import Student
from accord.domain.training import Completion, Course
from accord.errors import AccordError
from accord.store.repositories import agencies as agency_repo
from accord.store.repositories import content as notice_repo
from accord.store.repositories import students as student_repo
from accord.store.repositories import training as training_repo
from accord.store.repositories.content import OfficerNotification
from accord.store.repositories.state_law import get_state_law


class UnknownParty(AccordError, LookupError):
    """A user or course named in a request is not registered; the message names the option."""


def register_agency(session: Session, agency: Agency) -> Agency:
    return agency_repo.save_agency(session, agency)


def agencies(session: Session) -> list[Agency]:
    return agency_repo.list_agencies(session)


def register_user(session: Session, user: User) -> User:
    """Insert or replace a user; the agency must be registered (Conflict otherwise)."""
    return agency_repo.save_user(session, user)


def users(session: Session, agency_id: str | None = None) -> list[User]:
    return agency_repo.list_users(session, agency_id=agency_id)


def register_student(session: Session, student: Student) -> Student:
    return student_repo.save_student(session, student)


def student_count(session: Session) -> int:
    return student_repo.count_students(session)


def register_course(session: Session, course: Course) -> Course:
    return training_repo.save_course(session, course)


def courses(session: Session) -> list[Course]:
    return training_repo.list_courses(session)


def record_completion(session: Session, user_id: str, course_id: str, on: date) -> Completion:
    """A user completed a course on `on`; it expires after the course's validity."""
    course = training_repo.get_course(session, course_id)
    if course is None:
        raise UnknownParty(f"--course: no course {course_id!r} is registered").coded("no_such_course",
                                                                                    course=course_id)
    return training_repo.save_completion(session, Completion.of(user_id, course, on))


def training_of(session: Session, user_id: str) -> tuple[list[Completion], list[str]]:
    """The user's completions, and the courses the state's law requires for access."""
    if agency_repo.get_user(session, user_id) is None:
        raise UnknownParty(f"--user: no user {user_id!r} is registered").coded("no_such_user")
    return (training_repo.completions_for_user(session, user_id),
            sorted(get_state_law(session).required_course_ids))


def open_notices(session: Session, agency_id: str) -> list[OfficerNotification]:
    """Notices to the agency's records officer not yet acknowledged, oldest first."""
    return notice_repo.open_notifications(session, agency_id)


def recent_notices(session: Session, agency_id: str, since: datetime) -> list[OfficerNotification]:
    """Notices to the agency's records officer acknowledged since `since`, the latest first."""
    return notice_repo.acknowledged_notifications(session, agency_id, since)


def acknowledge_notice(session: Session, notice_id: int, by: str, at: datetime) -> None:
    notice_repo.acknowledge(session, notice_id, by, at)


def acknowledge_own_notice(session: Session, officer: User, notice_id: int, at: datetime) -> None:
    """Acknowledge a notice to the officer's own agency (another agency's is not found)."""
    if notice_id not in {n.id for n in open_notices(session, officer.agency_id)}:
        raise UnknownParty(f"no open notice {notice_id} to your agency").coded("no_such_notice",
                                                                              notice=str(notice_id))
    acknowledge_notice(session, notice_id, officer.id, at)
