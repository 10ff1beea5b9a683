"""A study's differential-privacy budget (issue 19): one balance per holder (the study, each analyst),
charged by a conditional UPDATE so that concurrent releases can never overspend, and an append-only
account of every charge. Never refunded."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Float, ForeignKey, Integer
from sqlalchemy.orm import Mapped, mapped_column

from accord.store.models.base import Base
from accord.store.types import Id, NaiveUtcDateTime

STUDY_HOLDER = "*"  # the study's own balance; an analyst's is held under their id


class StudyBudgetRow(Base):
    __tablename__ = "study_budgets"
    study_id: Mapped[str] = mapped_column(Id, ForeignKey("studies.id"), primary_key=True)
    holder: Mapped[str] = mapped_column(Id, primary_key=True)
    total: Mapped[float] = mapped_column(Float)
    spent: Mapped[float] = mapped_column(Float)


class StudyChargeRow(Base):
    __tablename__ = "study_budget_charges"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    study_id: Mapped[str] = mapped_column(Id, ForeignKey("studies.id"), index=True)
    analyst: Mapped[str] = mapped_column(Id)
    amount: Mapped[float] = mapped_column(Float)
    release_id: Mapped[int | None] = mapped_column(Integer)
    charged_at: Mapped[datetime] = mapped_column(NaiveUtcDateTime)
