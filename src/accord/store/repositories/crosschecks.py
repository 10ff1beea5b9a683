"""Cross-check definitions, runs, results and reviews (store side of purpose 2)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from accord.domain.crosscheck import HOUSEHOLD_FROM, CrossCheck, ReviewStatus
from accord.store.models import CrossCheckResultRow, CrossCheckReviewRow, CrossCheckRow, CrossCheckRunRow


def _definition(c: CrossCheck) -> dict[str, Any]:
    return {"school": c.school_agency_id, "school_recipient": c.school_recipient,
            "programs": sorted(c.program_agency_ids), "school_receives": sorted(c.school_receives),
            "program_receives": sorted(c.program_receives),
            "program_recipients": dict(sorted(c.program_recipients.items())),
            "every_days": c.every_days, "certify_from": c.certify_from, "review_from": c.review_from,
            "household_from": c.household_from}


def _crosscheck(row: CrossCheckRow) -> CrossCheck:
    d: dict[str, Any] = dict(row.definition)
    return CrossCheck(
        agreement_id=row.agreement_id, school_agency_id=str(d["school"]),
        school_recipient=str(d["school_recipient"]), program_agency_ids=frozenset(d["programs"]),
        school_receives=frozenset(d["school_receives"]), program_receives=frozenset(d["program_receives"]),
        program_recipients=dict(d["program_recipients"]), every_days=int(d["every_days"]),
        certify_from=float(d["certify_from"]), review_from=float(d["review_from"]),
        household_from=float(d.get("household_from", min(HOUSEHOLD_FROM, float(d["certify_from"])))))


def save_crosscheck(session: Session, c: CrossCheck, by: str, at: datetime) -> None:
    session.merge(CrossCheckRow(agreement_id=c.agreement_id, definition=_definition(c), defined_by=by,
                                defined_at=at))
    session.flush()


def get_crosscheck(session: Session, agreement_id: str) -> CrossCheck | None:
    row = session.get(CrossCheckRow, agreement_id)
    return _crosscheck(row) if row is not None else None


@dataclass(frozen=True, slots=True)
class StoredRun:
    id: int
    agreement_id: str
    run_at: datetime
    run_by: str
    report: dict[str, Any]
    ledger_seq: int


def _run(row: CrossCheckRunRow) -> StoredRun:
    return StoredRun(row.id, row.agreement_id, row.run_at, row.run_by, dict(row.report), row.ledger_seq)


def add_run(session: Session, agreement_id: str, at: datetime, by: str, report: dict[str, Any],
            ledger_seq: int) -> int:
    row = CrossCheckRunRow(agreement_id=agreement_id, run_at=at, run_by=by, report=report,
                           ledger_seq=ledger_seq)
    session.add(row)
    session.flush()
    return row.id


def get_run(session: Session, run_id: int) -> StoredRun | None:
    row = session.get(CrossCheckRunRow, run_id)
    return _run(row) if row is not None else None


def last_run(session: Session, agreement_id: str) -> StoredRun | None:
    row = session.scalars(select(CrossCheckRunRow).where(CrossCheckRunRow.agreement_id == agreement_id)
                          .order_by(CrossCheckRunRow.id.desc()).limit(1)).first()
    return _run(row) if row is not None else None


@dataclass(frozen=True, slots=True)
class Result:
    agency_id: str
    record_id: str
    program: str
    basis: str
    released: tuple[str, ...]
    ledger_seq: int


def add_results(session: Session, run_id: int, results: Iterable[Result]) -> None:
    rows = [{"run_id": run_id, "agency_id": r.agency_id, "record_id": r.record_id, "program": r.program,
             "basis": r.basis, "released": list(r.released), "ledger_seq": r.ledger_seq} for r in results]
    if rows:
        session.execute(insert(CrossCheckResultRow), rows)


def results_of(session: Session, run_id: int, agency_id: str | None = None) -> list[Result]:
    query = select(CrossCheckResultRow).where(CrossCheckResultRow.run_id == run_id)
    if agency_id is not None:
        query = query.where(CrossCheckResultRow.agency_id == agency_id)
    return [Result(r.agency_id, r.record_id, r.program, r.basis, tuple(r.released), r.ledger_seq)
            for r in session.scalars(query.order_by(CrossCheckResultRow.agency_id,
                                                    CrossCheckResultRow.record_id))]


@dataclass(frozen=True, slots=True)
class Review:
    id: int
    student_id: str
    program_agency_id: str
    program_record_id: str
    program: str
    probability: float
    evidence: dict[str, Any]
    status: ReviewStatus
    decided_by: str | None


def _review(r: CrossCheckReviewRow) -> Review:
    return Review(r.id, r.student_id, r.program_agency_id, r.program_record_id, r.program, r.probability,
                  dict(r.evidence), ReviewStatus(r.status), r.decided_by)


def reviews_of(session: Session, agreement_id: str, status: ReviewStatus | None = None) -> list[Review]:
    query = select(CrossCheckReviewRow).where(CrossCheckReviewRow.agreement_id == agreement_id)
    if status is not None:
        query = query.where(CrossCheckReviewRow.status == status.value)
    return [_review(r) for r in session.scalars(query.order_by(CrossCheckReviewRow.id))]


def add_pending_reviews(session: Session, agreement_id: str, run_id: int, pending: Iterable[Review]) -> int:
    """Queue the uncertain matches not queued before (a pair keeps its first row and decision)."""
    known = {(r.student_id, r.program_agency_id, r.program_record_id)
             for r in reviews_of(session, agreement_id)}
    rows = [{"agreement_id": agreement_id, "student_id": r.student_id,
             "program_agency_id": r.program_agency_id,
             "program_record_id": r.program_record_id, "program": r.program, "probability": r.probability,
             "evidence": r.evidence, "first_run_id": run_id, "status": ReviewStatus.PENDING.value,
             "decided_by": None, "decided_at": None, "note": ""}
            for r in pending if (r.student_id, r.program_agency_id, r.program_record_id) not in known]
    if rows:
        session.execute(insert(CrossCheckReviewRow), rows)
    return len(rows)


def get_review(session: Session, review_id: int) -> tuple[str, Review] | None:
    row = session.get(CrossCheckReviewRow, review_id)
    return (row.agreement_id, _review(row)) if row is not None else None


def decide_review(session: Session, review_id: int, status: ReviewStatus, by: str, at: datetime,
                  note: str) -> None:
    row = session.get(CrossCheckReviewRow, review_id)
    assert row is not None
    row.status, row.decided_by, row.decided_at, row.note = status.value, by, at, note
    session.flush()
