"""Parents' and eligible students' requests to inspect a child's education records (34 CFR 99.10),
kept so the records officer can answer each within 45 days and the family can see where it stands."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer
from sqlalchemy.orm import Mapped, mapped_column

from accord.store.models.base import Base
from accord.store.types import Id, NaiveUtcDateTime


class InspectionRequestRow(Base):
    __tablename__ = "inspection_requests"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    student_id: Mapped[str] = mapped_column(Id, ForeignKey("students.id"), index=True)
    requested_by: Mapped[str] = mapped_column(Id, ForeignKey("users.id"))
    requested_at: Mapped[datetime] = mapped_column(NaiveUtcDateTime)
    answered_at: Mapped[datetime | None] = mapped_column(NaiveUtcDateTime, nullable=True)
    answered_by: Mapped[str | None] = mapped_column(Id, ForeignKey("users.id"), nullable=True)
