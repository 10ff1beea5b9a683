"""Training: each person's own status, the courses, and a completion recorded by a records officer
or administrator for a person of their own agency."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Body

from accord.api.deps import CurrentUser, SessionDep, guarded, may_conflict, now
from accord.domain.agencies import Role
from accord.workflows.registry import courses
from accord.workflows.training_desk import record_staff_completion, training_status

router = APIRouter(tags=["training"])


@router.get("/me/training", **guarded())
def my_training(session: SessionDep, user: CurrentUser) -> dict[str, Any]:
    """Whether the person's required training is current today; requests are refused when not."""
    return training_status(session, user.id, now().date())


@router.get("/courses", **guarded())
def all_courses(session: SessionDep) -> list[dict[str, Any]]:
    """The privacy-training courses, how long each stays current, and which the law requires."""
    return [{"id": c.id, "title": c.title, "validity_days": c.validity_days,
             "required": c.required_for_access} for c in courses(session)]


@router.post("/training/completions", **may_conflict(guarded(Role.RECORDS_OFFICER, Role.ADMINISTRATOR)))
def completion(session: SessionDep, user: CurrentUser, person: Annotated[str, Body()],
               course: Annotated[str, Body()], on: Annotated[date | None, Body()] = None) -> dict[str, Any]:
    """Record that a person of the recorder's own agency completed a course (today by default)."""
    done = record_staff_completion(session, user, person, course, on or now().date())
    return {"course": done.course_id, "completed_on": done.completed_on, "expires_on": done.expires_on}
