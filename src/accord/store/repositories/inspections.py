"""Inspection requests (store.models.inspections): recorded when a family asks, answered once."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from accord.domain.inspections import InspectionRequest
from accord.store.models.inspections import InspectionRequestRow


def _request(r: InspectionRequestRow) -> InspectionRequest:
    return InspectionRequest(r.id, r.student_id, r.requested_by, r.requested_at, r.answered_at,
                             r.answered_by)


def add_request(session: Session, student_id: str, by: str, at: datetime) -> InspectionRequest:
    row = InspectionRequestRow(student_id=student_id, requested_by=by, requested_at=at)
    session.add(row)
    session.flush()  # gives the row its id
    return _request(row)


def get_request(session: Session, request_id: int) -> InspectionRequest | None:
    row = session.get(InspectionRequestRow, request_id)
    return _request(row) if row is not None else None


def requests_for_student(session: Session, student_id: str) -> list[InspectionRequest]:
    """Every request about the student, newest first."""
    rows = session.scalars(select(InspectionRequestRow).where(InspectionRequestRow.student_id == student_id)
                           .order_by(InspectionRequestRow.id.desc())).all()
    return [_request(r) for r in rows]


def open_requests(session: Session) -> list[InspectionRequest]:
    """Requests not answered yet, oldest first: the first is due first."""
    query = select(InspectionRequestRow).where(InspectionRequestRow.answered_at.is_(None))
    return [_request(r) for r in session.scalars(query.order_by(InspectionRequestRow.id)).all()]


def mark_answered(session: Session, request_id: int, by: str, at: datetime) -> InspectionRequest:
    row = session.get(InspectionRequestRow, request_id)
    assert row is not None and row.answered_at is None, "the caller checks the request is open"
    row.answered_at, row.answered_by = at, by
    session.flush()
    return _request(row)
