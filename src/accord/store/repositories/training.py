"""Privacy-training courses and each user's completions."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict
from typing import Any

from sqlalchemy import Row, insert, select
from sqlalchemy.orm import Session

from accord.domain.training import Completion, Course
from accord.store.errors import guarded
from accord.store.models import CompletionRow, CourseRow


def _course(row: CourseRow) -> Course:
    return Course(id=row.id, title=row.title, validity_days=row.validity_days,
                  required_for_access=row.required_for_access)


def completion_of_row(row: CompletionRow | Row[Any]) -> Completion:
    """The Completion a row stores (an ORM row or a Core row)."""
    return Completion(user_id=row.user_id, course_id=row.course_id,
                      completed_on=row.completed_on, expires_on=row.expires_on)


@guarded("saving a course")
def save_course(session: Session, course: Course) -> Course:
    """Insert or replace a course."""
    session.merge(CourseRow(id=course.id, title=course.title, validity_days=course.validity_days,
                            required_for_access=course.required_for_access))
    session.flush()
    return course


def get_course(session: Session, course_id: str) -> Course | None:
    """The course, or None when unknown."""
    row = session.get(CourseRow, course_id)
    return _course(row) if row is not None else None


def list_courses(session: Session) -> list[Course]:
    """Every course, by id."""
    return [_course(r) for r in session.scalars(select(CourseRow).order_by(CourseRow.id))]


@guarded("recording a training completion")
def save_completion(session: Session, completion: Completion) -> Completion:
    """Record a completion; the same user, course and day twice keeps one (the later expiry)."""
    session.merge(CompletionRow(user_id=completion.user_id, course_id=completion.course_id,
                                completed_on=completion.completed_on,
                                expires_on=completion.expires_on))
    session.flush()
    return completion


@guarded("adding training completions")
def add_completions(session: Session, completions: Iterable[Completion]) -> int:
    """Bulk-insert new completions (insert-only, like add_students); returns how many."""
    rows = [asdict(c) for c in completions]
    if rows:
        session.execute(insert(CompletionRow), rows)
    return len(rows)


def list_completions(session: Session) -> list[Completion]:
    """Every completion, by user, course and date."""
    query = select(CompletionRow).order_by(CompletionRow.user_id, CompletionRow.course_id,
                                           CompletionRow.completed_on)
    return [completion_of_row(r) for r in session.scalars(query)]


def completions_for_user(session: Session, user_id: str) -> list[Completion]:
    """One user's completions, oldest first."""
    query = (select(CompletionRow).where(CompletionRow.user_id == user_id)
             .order_by(CompletionRow.completed_on, CompletionRow.course_id))
    return [completion_of_row(r) for r in session.scalars(query)]
