"""The records officer's side of a cross-check: defining it under an agreement, deciding the
uncertain matches, and handing each party its results (ADR 0023)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from accord.domain.agencies import Role
from accord.domain.crosscheck import CrossCheck, CrossCheckError, ReviewStatus
from accord.ledger.crosscheck_events import review_decision_draft
from accord.linkage.hub.output import write_rows
from accord.store.repositories import crosschecks as repo
from accord.store.repositories.agencies import get_agency, get_user
from accord.store.repositories.agreements import get_agreement
from accord.workflows.ledger import record


def _officer_of(session: Session, by: str, agency_id: str) -> None:
    user = get_user(session, by)
    if user is None or user.agency_id != agency_id or user.role is not Role.RECORDS_OFFICER:
        raise CrossCheckError(f"{by} is not a records officer of agency {agency_id}").coded(
            "not_the_agencys_officer", agency=agency_id)


def define(session: Session, crosscheck: CrossCheck, by: str, at: datetime) -> None:
    """Save (or replace) the cross-check under its agreement, whose parties it must be drawn from."""
    agreement = get_agreement(session, crosscheck.agreement_id)
    if agreement is None:
        raise CrossCheckError(f"agreement {crosscheck.agreement_id} is not on file")
    strangers = sorted(crosscheck.parties - agreement.parties)
    if strangers:
        raise CrossCheckError(f"agreement {agreement.id} does not bind {', '.join(strangers)}")
    for agency_id in sorted(crosscheck.parties):
        if get_agency(session, agency_id) is None:
            raise CrossCheckError(f"agency {agency_id} is not registered")
    _officer_of(session, by, crosscheck.school_agency_id)
    for user_id in [crosscheck.school_recipient, *crosscheck.program_recipients.values()]:
        if get_user(session, user_id) is None:
            raise CrossCheckError(f"user {user_id} is not registered")
    repo.save_crosscheck(session, crosscheck, by, at)


def pending_reviews(session: Session, agreement_id: str) -> list[repo.Review]:
    return repo.reviews_of(session, agreement_id, ReviewStatus.PENDING)


def decide_review(session: Session, review_id: int, accept: bool, by: str, at: datetime,
                  note: str = "") -> None:
    """Accept or reject an uncertain match; the decision is in the ledger and every later run uses it."""
    found = repo.get_review(session, review_id)
    if found is None:
        raise CrossCheckError(f"no review {review_id}").coded("no_such_review", review=str(review_id))
    agreement_id, review = found
    crosscheck = repo.get_crosscheck(session, agreement_id)
    assert crosscheck is not None
    _officer_of(session, by, crosscheck.school_agency_id)
    if review.status is not ReviewStatus.PENDING:
        raise CrossCheckError(f"review {review_id} was {review.status.value} by {review.decided_by} already"
                              ).coded("review_decided_already", review=str(review_id))
    status = ReviewStatus.ACCEPTED if accept else ReviewStatus.REJECTED
    repo.decide_review(session, review_id, status, by, at, note)
    record(session, review_decision_draft(agreement_id, review_id, accept, by, at, review.student_id))


@dataclass(frozen=True, slots=True)
class PartyResults:
    run: repo.StoredRun
    rows: list[repo.Result]


def run_report(session: Session, run_id: int) -> repo.StoredRun:
    found = repo.get_run(session, run_id)
    if found is None:
        raise CrossCheckError(f"no cross-check run {run_id}").coded("no_such_run", run=str(run_id))
    return found


def results_for(session: Session, run_id: int, agency_id: str) -> PartyResults:
    """What one party received in a run: its own rows only."""
    run = run_report(session, run_id)
    crosscheck = repo.get_crosscheck(session, run.agreement_id)
    assert crosscheck is not None
    if agency_id not in crosscheck.parties:
        raise CrossCheckError(f"agency {agency_id} takes no part in the cross-check under {run.agreement_id}")
    return PartyResults(run, repo.results_of(session, run_id, agency_id))


RESULT_HEADER = ["record_id", "program", "basis", "released", "run", "date"]


def write_results(session: Session, run_id: int, agency_id: str, out: Path) -> int:
    """Write what one party received in a run, under its own pseudonyms (its node resolves them):
    the file it fetches. Returns the rows written."""
    found = results_for(session, run_id, agency_id)
    on = found.run.run_at.date().isoformat()
    rows = ([r.record_id, r.program, r.basis, " ".join(r.released), run_id, on] for r in found.rows)
    return write_rows(rows, out, RESULT_HEADER)


def crosscheck_from_json(data: Any, source: str) -> CrossCheck:
    """A cross-check from its JSON definition; one line naming the key that is wrong."""
    if not isinstance(data, dict):
        raise CrossCheckError(f"{source}: a cross-check is a JSON object")
    known = {"agreement", "school", "school_recipient", "programs", "school_receives", "program_receives",
             "program_recipients", "every_days", "certify_from", "review_from", "household_from"}
    stray = sorted(set(data) - known)
    if stray:
        raise CrossCheckError(f"{source}: unknown keys: {', '.join(stray)}")
    missing = sorted({"agreement", "school", "school_recipient", "programs"} - set(data))
    if missing:
        raise CrossCheckError(f"{source}: missing keys: {', '.join(missing)}")
    try:
        optional: dict[str, Any] = {}
        for key, name, kind in (("school_receives", "school_receives", frozenset),
                                ("program_receives", "program_receives", frozenset),
                                ("program_recipients", "program_recipients", dict),
                                ("every_days", "every_days", int), ("certify_from", "certify_from", float),
                                ("review_from", "review_from", float),
                                ("household_from", "household_from", float)):
            if key in data:
                optional[name] = kind(data[key])
        return CrossCheck(agreement_id=str(data["agreement"]), school_agency_id=str(data["school"]),
                          school_recipient=str(data["school_recipient"]),
                          program_agency_ids=frozenset(str(p) for p in data["programs"]), **optional)
    except (TypeError, ValueError) as err:
        if isinstance(err, CrossCheckError):
            raise
        raise CrossCheckError(f"{source}: a value has the wrong type ({type(err).__name__})") from None
