"""Agreements keyed by (id, version), their parties (queried per request) and signatures."""

from __future__ import annotations

from datetime import date

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from accord.store.models.base import Base
from accord.store.types import Code, Id, SortedList


class AgreementRow(Base):
    __tablename__ = "agreements"
    id: Mapped[str] = mapped_column(Id, primary_key=True)
    version: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(Text)
    layer: Mapped[str] = mapped_column(Code)
    status: Mapped[str] = mapped_column(Code)
    parent_id: Mapped[str | None] = mapped_column(Id, index=True)
    purposes: Mapped[list[str]] = mapped_column(SortedList)
    legal_bases: Mapped[list[str]] = mapped_column(SortedList)
    data_elements: Mapped[list[str]] = mapped_column(SortedList)
    recipient_roles: Mapped[list[str]] = mapped_column(SortedList)
    permitted_uses: Mapped[str] = mapped_column(Text)
    safeguards: Mapped[list[str]] = mapped_column(JSON)  # ordered: kept as given
    effective_on: Mapped[date | None] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)
    destruction_deadline: Mapped[date | None] = mapped_column(Date)
    destruction_method: Mapped[str] = mapped_column(Text)
    activated_on: Mapped[date | None] = mapped_column(Date)
    terminated_on: Mapped[date | None] = mapped_column(Date)
    destruction_certified_on: Mapped[date | None] = mapped_column(Date)
    # StudyTerms, flattened; study_purpose is NULL when the agreement has no study terms.
    study_purpose: Mapped[str | None] = mapped_column(Code)
    study_scope: Mapped[str | None] = mapped_column(Text)
    study_use_limited_to_purpose: Mapped[bool | None] = mapped_column()
    study_identification_restricted: Mapped[bool | None] = mapped_column()
    state_statute: Mapped[str | None] = mapped_column(Text)
    # The 34 CFR 99.38(b) certification, a Signature flattened.
    jj_certified_by_agency_id: Mapped[str | None] = mapped_column(Id)
    jj_certified_by_title: Mapped[str | None] = mapped_column(Text)
    jj_certified_on: Mapped[date | None] = mapped_column(Date)
    evaluates_education_program: Mapped[bool] = mapped_column(default=False)
    nsla_medicaid_election: Mapped[bool] = mapped_column(default=False)
    nsla_parent_notice_on: Mapped[date | None] = mapped_column(Date)
    amendment_note: Mapped[str] = mapped_column(Text, default="")
    parties: Mapped[list[AgreementPartyRow]] = relationship(
        cascade="all, delete-orphan", lazy="selectin")
    signatures: Mapped[list[SignatureRow]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="SignatureRow.position")


def _agreement_fk() -> ForeignKeyConstraint:
    return ForeignKeyConstraint(["agreement_id", "agreement_version"],
                                ["agreements.id", "agreements.version"], ondelete="CASCADE")


class AgreementPartyRow(Base):
    __tablename__ = "agreement_parties"
    __table_args__ = (
        _agreement_fk(),
        CheckConstraint("side IN ('source', 'recipient')", name="side"),
        Index(None, "agency_id", "side"),
    )
    agreement_id: Mapped[str] = mapped_column(Id, primary_key=True)
    agreement_version: Mapped[int] = mapped_column(Integer, primary_key=True)
    side: Mapped[str] = mapped_column(Code, primary_key=True)
    agency_id: Mapped[str] = mapped_column(Id, ForeignKey("agencies.id"), primary_key=True)


class SignatureRow(Base):
    __tablename__ = "agreement_signatures"
    __table_args__ = (
        _agreement_fk(),
    )
    agreement_id: Mapped[str] = mapped_column(Id, primary_key=True)
    agreement_version: Mapped[int] = mapped_column(Integer, primary_key=True)
    position: Mapped[int] = mapped_column(Integer, primary_key=True)  # keeps signing order
    agency_id: Mapped[str] = mapped_column(Id)
    signatory_title: Mapped[str] = mapped_column(Text)
    signed_on: Mapped[date] = mapped_column(Date)
