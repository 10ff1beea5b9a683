"""Agencies and programs, users, students, training, and the state-law settings row."""

from __future__ import annotations

from datetime import date

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Date,
    ForeignKey,
    Integer,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from accord.store.models.base import Base
from accord.store.types import Code, Id, SortedList


class AgencyRow(Base):
    __tablename__ = "agencies"
    id: Mapped[str] = mapped_column(Id, primary_key=True)
    name: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(Code)
    programs: Mapped[list[AgencyProgramRow]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="AgencyProgramRow.program")
    schools: Mapped[list[AgencySchoolRow]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="AgencySchoolRow.school_id")


class AgencyProgramRow(Base):
    __tablename__ = "agency_programs"
    agency_id: Mapped[str] = mapped_column(
        Id, ForeignKey("agencies.id", ondelete="CASCADE"), primary_key=True)
    program: Mapped[str] = mapped_column(Code, primary_key=True)


class AgencySchoolRow(Base):
    """A school an education agency runs, as the public school directory lists it."""

    __tablename__ = "agency_schools"
    agency_id: Mapped[str] = mapped_column(
        Id, ForeignKey("agencies.id", ondelete="CASCADE"), primary_key=True)
    school_id: Mapped[str] = mapped_column(Id, primary_key=True)


class UserRow(Base):
    __tablename__ = "users"
    id: Mapped[str] = mapped_column(Id, primary_key=True)
    agency_id: Mapped[str] = mapped_column(Id, ForeignKey("agencies.id"), index=True)
    role: Mapped[str] = mapped_column(Code)
    display_name: Mapped[str] = mapped_column(Text, default="")


class StudentRow(Base):
    __tablename__ = "students"
    id: Mapped[str] = mapped_column(Id, primary_key=True)
    school_agency_id: Mapped[str] = mapped_column(Id, ForeignKey("agencies.id"), index=True)
    # The month the student turns 18 (its first day), never the birth date (ADR 0016).
    turns_18_in: Mapped[date | None] = mapped_column(Date)
    postsecondary_enrolled_on: Mapped[date | None] = mapped_column(Date)
    directory_opt_out: Mapped[bool] = mapped_column(default=False)
    meal_disclosure_opt_out: Mapped[bool] = mapped_column(default=False)
    foster_care_agency_id: Mapped[str | None] = mapped_column(Id, ForeignKey("agencies.id"))
    # With bounds rather than the month (ADR 0030): the latest month; `turns_18_in` the earliest.
    turns_18_by: Mapped[date | None] = mapped_column(Date)


class CourseRow(Base):
    __tablename__ = "courses"
    id: Mapped[str] = mapped_column(Id, primary_key=True)
    title: Mapped[str] = mapped_column(Text)
    validity_days: Mapped[int] = mapped_column(Integer)
    required_for_access: Mapped[bool] = mapped_column(default=True)


class CompletionRow(Base):
    __tablename__ = "training_completions"
    user_id: Mapped[str] = mapped_column(
        Id, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    course_id: Mapped[str] = mapped_column(Id, ForeignKey("courses.id"), primary_key=True)
    completed_on: Mapped[date] = mapped_column(Date, primary_key=True)
    expires_on: Mapped[date] = mapped_column(Date)


class StateLawRow(Base):
    __tablename__ = "state_law"
    __table_args__ = (CheckConstraint("id = 1", name="single_row"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, default=1)
    minor_may_consent_to_sud_treatment: Mapped[bool] = mapped_column()
    medicaid_meal_status_election: Mapped[bool] = mapped_column()
    required_course_ids: Mapped[list[str]] = mapped_column(SortedList)
    medicaid_meal_notice_on: Mapped[date | None] = mapped_column(Date)
    direct_certification_programs: Mapped[list[str]] = mapped_column(SortedList)
    # The seq of the ledger entry that recorded these settings; no foreign key into the ledger,
    # for the reason officer_notifications.ledger_seq has none.
    recorded_in: Mapped[int | None] = mapped_column(BigInteger)
