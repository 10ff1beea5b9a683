"""Privacy training: a user without a current completion of every required course gets nothing."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta


@dataclass(frozen=True, slots=True)
class Course:
    id: str
    title: str
    validity_days: int = 365
    required_for_access: bool = True


@dataclass(frozen=True, slots=True)
class Completion:
    user_id: str
    course_id: str
    completed_on: date
    expires_on: date

    @classmethod
    def of(cls, user_id: str, course: Course, completed_on: date) -> Completion:
        """A completion whose expiry follows from the course's validity."""
        return cls(user_id, course.id, completed_on,
                   completed_on + timedelta(days=course.validity_days))

    def is_current(self, on: date) -> bool:
        return self.completed_on <= on < self.expires_on


def missing_courses(
    completions: Iterable[Completion], required_course_ids: Iterable[str], on: date
) -> list[str]:
    """Required course ids for which the user has no completion current on `on`."""
    current = {c.course_id for c in completions if c.is_current(on)}
    return sorted(set(required_course_ids) - current)
