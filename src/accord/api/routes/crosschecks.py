"""Eligibility cross-checks for the people of the agencies taking part: define (the school's
records officer), run and read reports (its officer or eligibility worker; reports for any party),
and the review queue of uncertain matches. Submissions and results are the agency nodes' (nodes)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body

from accord.api.deps import CurrentUser, HubDep, RowId, SessionDep, guarded, now
from accord.api.transactions import OpenerDep
from accord.domain.agencies import Role
from accord.workflows.crosscheck_desk import decide_for, define_from_document, report_for, reviews_for
from accord.workflows.eligibility import run_crosscheck

router = APIRouter(prefix="/crosschecks", tags=["cross-checks"])
OFFICER = guarded(Role.RECORDS_OFFICER)
WORKERS = guarded(Role.RECORDS_OFFICER, Role.ELIGIBILITY_WORKER)


@router.put("/{agreement_id}", **OFFICER)
def define(agreement_id: str, session: SessionDep, user: CurrentUser,
           definition: Annotated[dict[str, Any], Body()]) -> dict[str, Any]:
    """Define (or replace) the cross-check under the agreement (`accord crosscheck define`'s JSON)."""
    return define_from_document(session, user, {**definition, "agreement": agreement_id}, now())


@router.post("/{agreement_id}/runs", **WORKERS)
def run(agreement_id: str, hub: HubDep, user: CurrentUser, opener: OpenerDep) -> dict[str, Any]:
    """Link the submissions, decide and record each release; the run's report (counts only)."""
    outcome = run_crosscheck(opener, hub, agreement_id, user.id, now())
    return {"run": outcome.run_id, "report": outcome.report}


@router.get("/runs/{run_id}", **WORKERS)
def report(run_id: RowId, session: SessionDep, user: CurrentUser) -> dict[str, Any]:
    """A run's figures (counts only), for the people of its agencies."""
    return report_for(session, user, run_id)


@router.get("/{agreement_id}/reviews", **OFFICER)
def reviews(agreement_id: str, session: SessionDep, user: CurrentUser) -> list[dict[str, Any]]:
    """Uncertain matches waiting for the school's officer, with encoded evidence only."""
    return reviews_for(session, user, agreement_id)


@router.post("/reviews/{review_id}/decision", **OFFICER)
def decide(review_id: RowId, session: SessionDep, user: CurrentUser, accept: Annotated[bool, Body()],
           note: Annotated[str, Body()] = "") -> dict[str, Any]:
    """The same child, or not; every later run reuses the decision (in the ledger)."""
    decide_for(session, user, review_id, accept, now(), note)
    return {"review": review_id, "accepted": accept}
