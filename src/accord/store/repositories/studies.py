"""Studies, their approvals and releases (store side of purpose 3)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from accord.domain.studies import Study, StudyStatus
from accord.store.models import StudyApprovalRow, StudyReleaseRow, StudyReviewRow, StudyRow


def _definition(s: Study) -> dict[str, Any]:
    return {"title": s.title, "purpose": s.purpose, "scope": s.scope, "school": s.school_agency_id,
            "elements": sorted(s.elements), "analysts": sorted(s.analysts), "partners": sorted(s.partners),
            "starts_on": s.starts_on.isoformat(), "ends_on": s.ends_on.isoformat(),
            "destroy_by": s.destroy_by.isoformat(), "rules": dict(s.rules)}


def _study(row: StudyRow) -> Study:
    d: dict[str, Any] = dict(row.definition)
    return Study(id=row.id, agreement_id=row.agreement_id, title=str(d["title"]), purpose=str(d["purpose"]),
                 scope=str(d["scope"]), school_agency_id=str(d["school"]), elements=frozenset(d["elements"]),
                 analysts=frozenset(d["analysts"]), partners=frozenset(d["partners"]),
                 starts_on=date.fromisoformat(d["starts_on"]), ends_on=date.fromisoformat(d["ends_on"]),
                 destroy_by=date.fromisoformat(d["destroy_by"]), rules=dict(d["rules"]), version=row.version,
                 status=StudyStatus(row.status))


def save_study(session: Session, study: Study, by: str, at: datetime) -> None:
    row = session.get(StudyRow, study.id)
    if row is None:
        session.add(StudyRow(id=study.id, agreement_id=study.agreement_id, version=study.version,
                             status=study.status.value, definition=_definition(study), registered_by=by,
                             registered_at=at, records=None, audit=None))
    else:
        row.agreement_id, row.version, row.status = study.agreement_id, study.version, study.status.value
        row.definition = _definition(study)
    session.flush()


def get_study(session: Session, study_id: str) -> Study | None:
    row = session.get(StudyRow, study_id)
    return _study(row) if row is not None else None


def list_studies(session: Session) -> list[Study]:
    return [_study(r) for r in session.scalars(select(StudyRow).order_by(StudyRow.id))]


def set_built(session: Session, study_id: str, records: int, status: StudyStatus) -> None:
    """The study's table is built: `records` children ever held (a rebuild keeps each child's row
    number, and the audit of what was released before stays)."""
    row = session.get(StudyRow, study_id)
    assert row is not None
    row.records, row.status = records, status.value
    session.flush()


def audit_of(session: Session, study_id: str) -> tuple[int, bytes | None]:
    row = session.get(StudyRow, study_id)
    assert row is not None
    return int(row.records or 0), row.audit


def save_audit(session: Session, study_id: str, audit: bytes) -> None:
    row = session.get(StudyRow, study_id)
    assert row is not None
    row.audit = audit
    session.flush()


def approve(session: Session, study_id: str, version: int, agency_id: str, by: str, at: datetime,
            ledger_seq: int) -> None:
    session.add(StudyApprovalRow(study_id=study_id, version=version, agency_id=agency_id, approved_by=by,
                                 approved_at=at, ledger_seq=ledger_seq))
    session.flush()


def approvals_of(session: Session, study_id: str, version: int) -> frozenset[str]:
    return frozenset(session.scalars(select(StudyApprovalRow.agency_id).where(
        StudyApprovalRow.study_id == study_id, StudyApprovalRow.version == version)))


@dataclass(frozen=True, slots=True)
class StoredRelease:
    id: int
    analyst: str
    released_at: datetime
    spec: dict[str, Any]
    result: dict[str, Any]
    table_hash: str
    ledger_seq: int
    note: str = ""
    status: str = "released"


def add_release(session: Session, study_id: str, analyst: str, at: datetime, spec: dict[str, Any],
                result: dict[str, Any], table_hash: str, ledger_seq: int, note: str = "",
                status: str = "released") -> int:
    row = StudyReleaseRow(study_id=study_id, analyst=analyst, released_at=at, spec=spec, result=result,
                          table_hash=table_hash, ledger_seq=ledger_seq, note=note, status=status)
    session.add(row)
    session.flush()
    return row.id


def releases_of(session: Session, study_id: str) -> list[StoredRelease]:
    rows = session.scalars(select(StudyReleaseRow).where(StudyReleaseRow.study_id == study_id)
                           .order_by(StudyReleaseRow.id))
    return [_stored(r) for r in rows]


def releases_noted(session: Session, study_id: str, note_prefix: str) -> list[StoredRelease]:
    """The study's releases whose note opens with `note_prefix`, newest first: a few of many (the
    rest are never read, nor their JSON decoded)."""
    rows = session.scalars(select(StudyReleaseRow).where(StudyReleaseRow.study_id == study_id,
                                                         StudyReleaseRow.note.startswith(note_prefix,
                                                                                         autoescape=True))
                           .order_by(StudyReleaseRow.id.desc()))
    return [_stored(r) for r in rows]


def last_release(session: Session, study_id: str) -> StoredRelease | None:
    r = session.scalars(select(StudyReleaseRow).where(StudyReleaseRow.study_id == study_id)
                        .order_by(StudyReleaseRow.id.desc()).limit(1)).first()
    return None if r is None else _stored(r)


def _stored(r: StudyReleaseRow) -> StoredRelease:
    return StoredRelease(r.id, r.analyst, r.released_at, dict(r.spec), dict(r.result), r.table_hash,
                         r.ledger_seq, r.note, r.status)


def get_release(session: Session, study_id: str, release_id: int) -> StoredRelease | None:
    r = session.get(StudyReleaseRow, release_id)
    return None if r is None or r.study_id != study_id else _stored(r)


def set_release_status(session: Session, release_id: int, status: str, ledger_seq: int | None = None) -> None:
    row = session.get(StudyReleaseRow, release_id)
    assert row is not None
    row.status = status
    if ledger_seq is not None:
        row.ledger_seq = ledger_seq
    session.flush()


@dataclass(frozen=True, slots=True)
class StoredReview:
    reviewer: str
    decision: str
    comment: str
    decided_at: datetime


def add_review(session: Session, release_id: int, reviewer: str, decision: str, comment: str, at: datetime,
               ledger_seq: int) -> None:
    session.add(StudyReviewRow(release_id=release_id, reviewer=reviewer, decision=decision, comment=comment,
                               decided_at=at, ledger_seq=ledger_seq))
    session.flush()


def reviews_of(session: Session, release_id: int) -> list[StoredReview]:
    rows = session.scalars(select(StudyReviewRow).where(StudyReviewRow.release_id == release_id)
                           .order_by(StudyReviewRow.decided_at, StudyReviewRow.reviewer))
    return [StoredReview(r.reviewer, r.decision, r.comment, r.decided_at) for r in rows]
