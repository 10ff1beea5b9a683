"""The privacy course's quiz, taken by a member of staff for themself: graded here (never in the
page), and only a pass records the completion of the required course, through the same path as a
completion a records officer records (registry.record_completion). A failed attempt records nothing
and tells which questions were wrong, not their answers."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from accord.domain.agencies import Role, User
from accord.domain.training import Completion
from accord.domain.training_quiz import COURSE_ID, Grade, grade
from accord.errors import AccordError
from accord.workflows.registry import record_completion
from accord.workflows.training_desk import training_status

# Families sign in to read and sign; they receive no records, so there is no training for them.
TRAINEES = frozenset(Role) - {Role.PARENT, Role.ELIGIBLE_STUDENT}


class NotATrainee(AccordError, PermissionError):
    """The privacy course is for staff who may receive records."""


@dataclass(frozen=True, slots=True)
class QuizOutcome:
    grade: Grade
    completion: Completion | None  # recorded on a pass only
    status: dict[str, Any]  # the person's training status after the attempt (training_status)


def take_quiz(session: Session, person: User, answers: Mapping[str, str], on: date) -> QuizOutcome:
    """Grade `answers` (question id -> choice id); on a pass, record the course completed on `on`."""
    if person.role not in TRAINEES:
        raise NotATrainee("the privacy course is for staff of the agencies").coded("not_a_trainee")
    result = grade(answers)
    done = record_completion(session, person.id, COURSE_ID, on) if result.passed else None
    return QuizOutcome(result, done, training_status(session, person.id, on))
