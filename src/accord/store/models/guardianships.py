"""Who may see a student's disclosure history and consents through the service: a parent of the
student, or the student once the rights are theirs (relation "self"). Recorded by a records officer
of the student's school, who checks the family's identity the way the school already does."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from accord.store.models.base import Base
from accord.store.types import Code, Id, NaiveUtcDateTime


class GuardianshipRow(Base):
    __tablename__ = "guardianships"
    user_id: Mapped[str] = mapped_column(Id, ForeignKey("users.id"), primary_key=True)
    student_id: Mapped[str] = mapped_column(Id, ForeignKey("students.id"), primary_key=True, index=True)
    relation: Mapped[str] = mapped_column(Code)
    recorded_by: Mapped[str] = mapped_column(Id, ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(NaiveUtcDateTime)
