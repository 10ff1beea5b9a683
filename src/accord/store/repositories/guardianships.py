"""Guardianships (store.models.guardianships): recorded once, read by the service's family pages."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from accord.store.models.guardianships import GuardianshipRow


def save_guardianship(session: Session, user_id: str, student_id: str, relation: str, by: str,
                      at: datetime) -> bool:
    """Record it; False when it was already recorded (recording twice changes nothing)."""
    if session.get(GuardianshipRow, (user_id, student_id)) is not None:
        return False
    session.add(GuardianshipRow(user_id=user_id, student_id=student_id, relation=relation,
                                recorded_by=by, recorded_at=at))
    session.flush()
    return True


def students_of(session: Session, user_id: str) -> list[tuple[str, str]]:
    """(student id, relation) of every student the user may see, by student id."""
    rows = session.execute(select(GuardianshipRow.student_id, GuardianshipRow.relation)
                           .where(GuardianshipRow.user_id == user_id)
                           .order_by(GuardianshipRow.student_id)).all()
    return [(r[0], r[1]) for r in rows]
