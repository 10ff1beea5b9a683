"""Studies: their definition and status, each contributing agency's approval per version, and
every release (the query, the released table and its cells' outcomes). Counts and codes only: a
study's records live in its own DuckDB file, never in these tables."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, BigInteger, ForeignKey, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from accord.store.models.base import Base
from accord.store.types import Code, Id, NaiveUtcDateTime


class StudyRow(Base):
    __tablename__ = "studies"
    id: Mapped[str] = mapped_column(Id, primary_key=True)
    agreement_id: Mapped[str] = mapped_column(Id, index=True)
    version: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(Code)
    definition: Mapped[dict[str, object]] = mapped_column(JSON)
    registered_by: Mapped[str] = mapped_column(Id)
    registered_at: Mapped[datetime] = mapped_column(NaiveUtcDateTime)
    records: Mapped[int | None] = mapped_column(Integer)
    # What the study released so far, for the audit of the next release (accord.disclosure).
    audit: Mapped[bytes | None] = mapped_column(LargeBinary)


class StudyApprovalRow(Base):
    __tablename__ = "study_approvals"
    study_id: Mapped[str] = mapped_column(Id, ForeignKey("studies.id"), primary_key=True)
    version: Mapped[int] = mapped_column(Integer, primary_key=True)
    agency_id: Mapped[str] = mapped_column(Id, primary_key=True)
    approved_by: Mapped[str] = mapped_column(Id)
    approved_at: Mapped[datetime] = mapped_column(NaiveUtcDateTime)
    ledger_seq: Mapped[int] = mapped_column(BigInteger)


class StudyReleaseRow(Base):
    __tablename__ = "study_releases"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    study_id: Mapped[str] = mapped_column(Id, ForeignKey("studies.id"), index=True)
    analyst: Mapped[str] = mapped_column(Id)
    released_at: Mapped[datetime] = mapped_column(NaiveUtcDateTime)
    spec: Mapped[dict[str, object]] = mapped_column(JSON)
    result: Mapped[dict[str, object]] = mapped_column(JSON)
    table_hash: Mapped[str] = mapped_column(String(64))
    ledger_seq: Mapped[int] = mapped_column(BigInteger)
    note: Mapped[str] = mapped_column(Text, default="")
    # released, pending_review (waits for two reviewers; not shown), rejected
    status: Mapped[str] = mapped_column(Code, default="released", server_default="released")


class StudyReviewRow(Base):
    __tablename__ = "study_release_reviews"
    release_id: Mapped[int] = mapped_column(Integer, ForeignKey("study_releases.id"), primary_key=True)
    reviewer: Mapped[str] = mapped_column(Id, primary_key=True)
    decision: Mapped[str] = mapped_column(Code)  # approve, reject
    comment: Mapped[str] = mapped_column(Text)
    decided_at: Mapped[datetime] = mapped_column(NaiveUtcDateTime)
    ledger_seq: Mapped[int] = mapped_column(BigInteger)
