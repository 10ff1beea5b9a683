"""Agency records and their sealed content, intake batches, and notices to records officers.

Content is stored only sealed (AES-256-GCM, accord.store.crypto): `sealed` holds the JSON of one
item's values, authenticated together with agency, record, element and date, and `key_id` names
the key that sealed it. The plain columns (element, date) are what a release filters on.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    Date,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column

from accord.store.models.base import Base
from accord.store.types import Code, Id, NaiveUtcDateTime

# A 64-bit key on PostgreSQL; on SQLite only INTEGER PRIMARY KEY autoincrements (it is 64-bit).
BigId = BigInteger().with_variant(Integer(), "sqlite")


class IntakeBatchRow(Base):
    __tablename__ = "intake_batches"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    agency_id: Mapped[str] = mapped_column(Id, ForeignKey("agencies.id"), index=True)
    kind: Mapped[str] = mapped_column(Code)
    source: Mapped[str] = mapped_column(Text)  # the file's name only, never its directory
    rows_read: Mapped[int] = mapped_column(Integer)
    rows_loaded: Mapped[int] = mapped_column(Integer)
    rows_rejected: Mapped[int] = mapped_column(Integer)
    loaded_at: Mapped[datetime] = mapped_column(NaiveUtcDateTime)
    # The file's SHA-256 (of its bytes), so that the same file loaded again changes nothing.
    content_sha256: Mapped[str | None] = mapped_column(String(64))
    # The pending encoded files (hub_files.pending) this load committed to merge into rosters:
    # what the next run finishes if this one stops after its commit (JSON list of names).
    encodings: Mapped[str | None] = mapped_column(Text)


class AgencyRecordRow(Base):
    """One record as an agency knows it; `student_id` is the hub student it is, when known."""

    __tablename__ = "agency_records"
    agency_id: Mapped[str] = mapped_column(Id, ForeignKey("agencies.id"), primary_key=True)
    record_id: Mapped[str] = mapped_column(Id, primary_key=True)
    student_id: Mapped[str | None] = mapped_column(Id, ForeignKey("students.id"), index=True)
    batch_id: Mapped[int] = mapped_column(Integer, ForeignKey("intake_batches.id"))
    loaded_at: Mapped[datetime] = mapped_column(NaiveUtcDateTime)


class RecordContentRow(Base):
    __tablename__ = "record_content"
    __table_args__ = (
        ForeignKeyConstraint(["agency_id", "record_id"],
                             ["agency_records.agency_id", "agency_records.record_id"],
                             ondelete="CASCADE"),
        # Natural key last: a load's new rows land beside their record's (as before 0006), and a
        # reload finds an earlier fact by (record, element, key) on the same index.
        Index(None, "agency_id", "record_id", "element", "natural_key"),
    )
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    agency_id: Mapped[str] = mapped_column(Id)
    record_id: Mapped[str] = mapped_column(Id)
    element: Mapped[str] = mapped_column(Code)
    occurred_on: Mapped[date | None] = mapped_column(Date)
    key_id: Mapped[str] = mapped_column(String(16))
    sealed: Mapped[bytes] = mapped_column(LargeBinary)
    batch_id: Mapped[int] = mapped_column(Integer, ForeignKey("intake_batches.id"))
    # Keyed digests (ContentCipher.digest) of the fact's natural key and of its value, so that a
    # corrected file replaces the fact and a reload skips it; null on rows loaded before 0006.
    natural_key: Mapped[bytes | None] = mapped_column(LargeBinary(16))
    value_digest: Mapped[bytes | None] = mapped_column(LargeBinary(8))


class DescriptorMappingRow(Base):
    """An Ed-Fi descriptor in an agency's own namespace, mapped by its records officer to a code
    Accord knows (`accord descriptors map`). `source` is the URI, casefolded."""

    __tablename__ = "descriptor_mappings"
    agency_id: Mapped[str] = mapped_column(Id, ForeignKey("agencies.id"), primary_key=True)
    descriptor: Mapped[str] = mapped_column(String(80), primary_key=True)
    source: Mapped[str] = mapped_column(String(300), primary_key=True)
    code: Mapped[str] = mapped_column(Text)
    mapped_by: Mapped[str] = mapped_column(Text)
    mapped_at: Mapped[datetime] = mapped_column(NaiveUtcDateTime)


class OfficerNotificationRow(Base):
    """A notice to an agency's records officer about a ledger entry (e.g. an emergency
    disclosure of its records). The summary names recipients, elements and basis, no person."""

    __tablename__ = "officer_notifications"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    agency_id: Mapped[str] = mapped_column(Id, ForeignKey("agencies.id"), index=True)
    # No foreign key: a key into the ledger would make PostgreSQL refuse TRUNCATE of the ledger
    # for that reason instead of the ledger's own append-only trigger; notify_officer checks it.
    ledger_seq: Mapped[int] = mapped_column(BigInteger)
    kind: Mapped[str] = mapped_column(Code)
    summary: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(NaiveUtcDateTime)
    acknowledged_at: Mapped[datetime | None] = mapped_column(NaiveUtcDateTime)
    acknowledged_by: Mapped[str | None] = mapped_column(Id, ForeignKey("users.id"))
