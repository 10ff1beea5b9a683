"""A parent's (or an eligible student's) request to inspect and review the child's education records.

FERPA gives the family that right and the school a deadline: it must comply "within a reasonable
period of time, but not more than 45 days after it receives a request" (34 CFR 99.10(b)). The clock
starts when the request reaches the school, which through Accord is the moment it is recorded."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

DEADLINE_DAYS = 45
CITATION = "34 CFR 99.10(b)"


@dataclass(frozen=True, slots=True)
class InspectionRequest:
    id: int
    student_id: str
    requested_by: str
    requested_at: datetime
    answered_at: datetime | None = None
    answered_by: str | None = None

    @property
    def due_on(self) -> date:
        """The last day the school may let the family see the records."""
        return self.requested_at.date() + timedelta(days=DEADLINE_DAYS)

    @property
    def is_open(self) -> bool:
        return self.answered_at is None

    def days_left(self, on: date) -> int:
        """Days from `on` to the due date: 45 on the day it was asked, negative once overdue."""
        return (self.due_on - on).days

    def overdue(self, on: date) -> bool:
        return self.is_open and on > self.due_on
