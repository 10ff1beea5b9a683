"""Eligibility cross-checks: their definitions, runs, what each party received, and the review
queue. Children appear only under the ids the hub knows them by (the school's pseudonyms, the
program nodes' pseudonyms), never with an identity."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, BigInteger, Float, ForeignKey, Integer, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from accord.store.models.base import Base
from accord.store.types import Code, Id, NaiveUtcDateTime


class CrossCheckRow(Base):
    __tablename__ = "crosschecks"
    agreement_id: Mapped[str] = mapped_column(Id, primary_key=True)
    definition: Mapped[dict[str, object]] = mapped_column(JSON)
    defined_by: Mapped[str] = mapped_column(Id)
    defined_at: Mapped[datetime] = mapped_column(NaiveUtcDateTime)


class CrossCheckRunRow(Base):
    __tablename__ = "crosscheck_runs"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    agreement_id: Mapped[str] = mapped_column(Id, ForeignKey("crosschecks.agreement_id"), index=True)
    run_at: Mapped[datetime] = mapped_column(NaiveUtcDateTime)
    run_by: Mapped[str] = mapped_column(Id)
    report: Mapped[dict[str, object]] = mapped_column(JSON)
    ledger_seq: Mapped[int] = mapped_column(BigInteger)


class CrossCheckResultRow(Base):
    """One flag one party received in a run: a certified child for the school, a matched record
    of its list for a program agency."""

    __tablename__ = "crosscheck_results"
    run_id: Mapped[int] = mapped_column(Integer, ForeignKey("crosscheck_runs.id"), primary_key=True)
    agency_id: Mapped[str] = mapped_column(Id, primary_key=True)
    record_id: Mapped[str] = mapped_column(Id, primary_key=True)
    program: Mapped[str] = mapped_column(Code)
    basis: Mapped[str] = mapped_column(Code)
    released: Mapped[list[str]] = mapped_column(JSON)
    ledger_seq: Mapped[int] = mapped_column(BigInteger)


class CrossCheckReviewRow(Base):
    """An uncertain match for the records officer, with the encoded comparison evidence (levels
    of agreement per field, never a value); the decision is reused by every later run."""

    __tablename__ = "crosscheck_reviews"
    __table_args__ = (UniqueConstraint("agreement_id", "student_id", "program_agency_id",
                                       "program_record_id", name="uq_crosscheck_reviews_pair"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    agreement_id: Mapped[str] = mapped_column(Id, ForeignKey("crosschecks.agreement_id"), index=True)
    student_id: Mapped[str] = mapped_column(Id)
    program_agency_id: Mapped[str] = mapped_column(Id)
    program_record_id: Mapped[str] = mapped_column(Id)
    program: Mapped[str] = mapped_column(Code)
    probability: Mapped[float] = mapped_column(Float)
    evidence: Mapped[dict[str, object]] = mapped_column(JSON)
    first_run_id: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(Code)
    decided_by: Mapped[str | None] = mapped_column(Id)
    decided_at: Mapped[datetime | None] = mapped_column(NaiveUtcDateTime)
    note: Mapped[str] = mapped_column(Text, default="")
