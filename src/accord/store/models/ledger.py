"""The ledger's tables. Both refuse UPDATE and DELETE at the database (migration 0002)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from accord.store.models.base import Base
from accord.store.types import Code, Id, NaiveUtcDateTime


class LedgerEntryRow(Base):
    __tablename__ = "ledger_entries"
    seq: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    recorded_at: Mapped[datetime] = mapped_column(NaiveUtcDateTime)
    kind: Mapped[str] = mapped_column(Code, index=True)
    # No foreign key: the record of disclosures outlives any change to the student rows.
    student_id: Mapped[str | None] = mapped_column(Id, index=True)
    entry_json: Mapped[str] = mapped_column(Text)
    entry_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # Unique: two entries claiming the same predecessor would be a fork of the chain.
    prev_hash: Mapped[str] = mapped_column(String(64), unique=True)


class LedgerCheckpointRow(Base):
    __tablename__ = "ledger_checkpoints"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    size: Mapped[int] = mapped_column(BigInteger, index=True)
    root: Mapped[str] = mapped_column(String(64))
    signed_at: Mapped[str] = mapped_column(Text)
    public_key: Mapped[str] = mapped_column(String(64))
    signature: Mapped[str] = mapped_column(String(128))
