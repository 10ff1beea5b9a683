"""What a family should know before it signs a consent on its page (issue 21), beside the consent's text:

- which of the records it chose each agency it chose would really get: the school's agreement with an
  agency may name fewer records than the consent (a consent cannot widen an agreement). Asked of the
  decision engine itself, through the preview of the consent as it would stand signed today
  (accord.policy.preview), so the page never promises more than a request would be given;
- for a parent, the month the child turns 18: from its first day the policy uses a parent's consent
  only if the student confirms it (ADR 0016), so a consent that lasts past it will not be used alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.orm import Session

from accord.domain.agencies import Role, User
from accord.domain.consents import Consent
from accord.store.repositories.students import get_student
from accord.workflows.family import require_child
from accord.workflows.preview import unsigned_consent_preview


@dataclass(frozen=True, slots=True)
class Reach:
    """One agency the consent names: the chosen records it would get, and those it would not."""

    agency_id: str
    gets: tuple[str, ...]
    not_gets: tuple[str, ...]


def consent_reach(session: Session, draft: Consent, at: datetime) -> list[Reach]:
    """For each agency `draft` names (by id): which of its records that agency could receive at `at`
    for the consent's purposes, with the consent on file. `draft` is draft_family_consent's, made for
    the signed-in family's own child."""
    lines = unsigned_consent_preview(session, draft, at)
    out = []
    for agency_id in sorted(draft.recipient_agency_ids):
        going = {code for line in lines if line.recipient_agency_id == agency_id for code in line.fields}
        gets = draft.data_elements & going
        out.append(Reach(agency_id, tuple(sorted(gets)), tuple(sorted(draft.data_elements - gets))))
    return out


def parent_consent_stops(session: Session, user: User, student_id: str, on: date) -> date | None:
    """For a parent: the first day of the month the child turns 18, from which a consent the parent
    signs is used only if the student confirms it. None for the eligible student signing for
    themselves, or when the school sent no birth month (the policy then treats the child as a minor).
    NotYourChild for another family's child."""
    require_child(session, user, student_id, on)
    student = get_student(session, student_id)
    if user.role is not Role.PARENT or student is None:
        return None
    return student.turns_18_in
