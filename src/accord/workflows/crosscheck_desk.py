"""Cross-checks through the service, for the people of the agencies taking part: define one (the
school's records officer), run it (the school's officer or eligibility worker), read a run's report
(anyone of a party), and the review queue of uncertain matches (the school's records officer). Runs
and reports of cross-checks an agency takes no part in are "not found"."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from accord.domain.agencies import User
from accord.errors import AccordError
from accord.store.repositories import crosschecks as repo
from accord.workflows.crosscheck_admin import (
    crosscheck_from_json,
    decide_review,
    define,
    pending_reviews,
    run_report,
)


class CrossCheckNotFound(AccordError, LookupError):
    """No cross-check, run or review by that id among the user's agency's."""


def _party(session: Session, user: User, agreement_id: str) -> bool:
    crosscheck = repo.get_crosscheck(session, agreement_id)
    return crosscheck is not None and user.agency_id in crosscheck.parties


def define_from_document(session: Session, officer: User, data: Any, at: datetime) -> dict[str, Any]:
    crosscheck = crosscheck_from_json(data, "the cross-check")
    define(session, crosscheck, officer.id, at)
    return {"agreement": crosscheck.agreement_id, "school": crosscheck.school_agency_id,
            "programs": sorted(crosscheck.program_agency_ids)}


def report_for(session: Session, user: User, run_id: int) -> dict[str, Any]:
    found = repo.get_run(session, run_id)
    if found is None or not _party(session, user, found.agreement_id):
        raise CrossCheckNotFound("no such cross-check run among your agency's").coded("no_such_run",
                                                                                     run=str(run_id))
    run = run_report(session, run_id)
    return {"run": run.id, "agreement": run.agreement_id, "run_at": run.run_at,
            "ledger_entry": run.ledger_seq, "report": run.report}


def _school_officer(session: Session, officer: User, agreement_id: str) -> None:
    crosscheck = repo.get_crosscheck(session, agreement_id)
    if crosscheck is None or crosscheck.school_agency_id != officer.agency_id:
        raise CrossCheckNotFound("no such cross-check among your agency's").coded("no_such_crosscheck",
                                                                                 agreement=agreement_id)


def reviews_for(session: Session, officer: User, agreement_id: str) -> list[dict[str, Any]]:
    """The uncertain matches waiting, with their encoded evidence (match weights, no identity)."""
    _school_officer(session, officer, agreement_id)
    return [{"review": r.id, "program": r.program, "probability": r.probability, "evidence": r.evidence}
            for r in pending_reviews(session, agreement_id)]


def decide_for(session: Session, officer: User, review_id: int, accept: bool, at: datetime,
               note: str) -> None:
    """Decide an uncertain match of the officer's school's cross-check (in the ledger)."""
    found = repo.get_review(session, review_id)
    if found is None:
        raise CrossCheckNotFound("no such review among your agency's").coded("no_such_review",
                                                                            review=str(review_id))
    _school_officer(session, officer, found[0])
    decide_review(session, review_id, accept, officer.id, at, note)
