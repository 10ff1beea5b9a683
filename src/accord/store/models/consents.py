"""Consents: sets as JSON arrays; revocation as a naive UTC timestamp."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Date,
    ForeignKey,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column

from accord.store.models.base import Base
from accord.store.types import Code, Id, NaiveUtcDateTime, SortedList


class ConsentRow(Base):
    __tablename__ = "consents"
    id: Mapped[str] = mapped_column(Id, primary_key=True)
    student_id: Mapped[str] = mapped_column(Id, ForeignKey("students.id"), index=True)
    signer_role: Mapped[str] = mapped_column(Code)
    data_elements: Mapped[list[str]] = mapped_column(SortedList)
    purposes: Mapped[list[str]] = mapped_column(SortedList)
    recipient_agency_ids: Mapped[list[str]] = mapped_column(SortedList)
    recipient_roles: Mapped[list[str]] = mapped_column(SortedList)
    forms: Mapped[list[str]] = mapped_column(SortedList)
    statements: Mapped[list[str]] = mapped_column(SortedList)
    signed_on: Mapped[date | None] = mapped_column(Date)
    language: Mapped[str] = mapped_column(Code)
    method: Mapped[str] = mapped_column(Code)
    evidence_ref: Mapped[str] = mapped_column(Text)
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)
    signer_identity_verified: Mapped[bool] = mapped_column(default=False)
    discloser_agency_id: Mapped[str | None] = mapped_column(Id)
    captured_at_enrollment: Mapped[bool] = mapped_column(default=False)
    revoked_at: Mapped[datetime | None] = mapped_column(NaiveUtcDateTime)
    confirmed_by_student_on: Mapped[date | None] = mapped_column(Date)
