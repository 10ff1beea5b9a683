"""The eligibility worker's pages: the cross-checks their agency takes part in and the runs of
each, a run's report (counts only: the match rate, who was newly certified and who was lost since the
last run, as a table and a chart), running the check again, and the school's records officer's
review queue of uncertain matches. Over the workflows the JSON API calls (accord.api.routes.crosschecks)."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from accord.api.deps import HubDep, RowId, SessionDep, now
from accord.api.transactions import OpenerDep
from accord.domain.agencies import Role
from accord.web.deps import PageUser, for_roles
from accord.web.i18n import N_
from accord.web.policy_words import FAILURES
from accord.web.render import page, translate
from accord.workflows.crosscheck_desk import decide_for, report_for, reviews_for
from accord.workflows.crosscheck_runs import crosscheck_of, crosschecks_of
from accord.workflows.eligibility import run_crosscheck

router = APIRouter()
WORKERS = (Role.ELIGIBILITY_WORKER, Role.RECORDS_OFFICER)
MENU = [(frozenset(WORKERS), "/crosschecks", N_("Cross-checks"))]
CHART_WIDTH = 520  # the longest bar, in the SVG's units (720 wide: room for its number)
# Why a child was certified (accord.domain.crosscheck.Basis), in words.
BASES = {"matched": N_("a sure match on the program's list"),
         "reviewed": N_("an uncertain match the records officer accepted"),
         "household": N_("another child of the same program household matched")}


@router.get("/crosschecks", response_class=HTMLResponse, **for_roles(*WORKERS))
def crosschecks(request: Request, session: SessionDep, viewer: PageUser) -> Response:
    return page(request, "crosschecks/list.html", crosschecks=crosschecks_of(session, viewer.user))


@router.get("/crosschecks/runs/{run_id}", response_class=HTMLResponse, **for_roles(*WORKERS))
def run_report(request: Request, run_id: RowId, session: SessionDep, viewer: PageUser) -> Response:
    found = report_for(session, viewer.user, run_id)
    return page(request, "crosschecks/report.html", run=found, report=found["report"],
                bars=_bars(request, found["report"]), bases=BASES, failures=FAILURES)


@router.get("/crosschecks/{agreement_id}", response_class=HTMLResponse, **for_roles(*WORKERS))
def crosscheck(request: Request, agreement_id: str, session: SessionDep, viewer: PageUser) -> Response:
    found = crosscheck_of(session, viewer.user, agreement_id)
    return page(request, "crosschecks/crosscheck.html", check=found)


@router.post("/crosschecks/{agreement_id}/runs", **for_roles(*WORKERS))
def run(agreement_id: str, hub: HubDep, viewer: PageUser, opener: OpenerDep) -> Response:
    outcome = run_crosscheck(opener, hub, agreement_id, viewer.user.id, now())
    return RedirectResponse(f"/crosschecks/runs/{outcome.run_id}", status_code=303)


@router.get("/crosschecks/{agreement_id}/reviews", response_class=HTMLResponse,
            **for_roles(Role.RECORDS_OFFICER))
def reviews(request: Request, agreement_id: str, session: SessionDep, viewer: PageUser,
            decided: int | None = None, accepted: bool = False) -> Response:
    return page(request, "crosschecks/reviews.html", agreement=agreement_id,
                reviews=reviews_for(session, viewer.user, agreement_id), decided=decided, accepted=accepted)


@router.post("/crosschecks/reviews/{review_id}", **for_roles(Role.RECORDS_OFFICER))
def decide(review_id: RowId, session: SessionDep, viewer: PageUser, agreement: Annotated[str, Form()],
           decision: Annotated[str, Form(pattern="^(accept|reject)$")],
           note: Annotated[str, Form(max_length=500)] = "") -> Response:
    accept = decision == "accept"
    decide_for(session, viewer.user, review_id, accept, now(), note.strip())
    back = f"/crosschecks/{quote(agreement, safe='')}/reviews"
    return RedirectResponse(f"{back}?decided={review_id}&accepted={str(accept).lower()}", status_code=303)


def _bars(request: Request, report: dict[str, Any]) -> list[dict[str, Any]]:
    """The chart's bars: each count of the report with its label, scaled to the largest (the same
    numbers are in the table beside it). A count the run lacks (the first run has no last run) is left out."""
    rate = report.get("match_rate", {})
    counts = [(N_("School-age children on the SNAP list"), rate.get("snap_school_age")),
              (N_("Of them, found in enrollment"), rate.get("found_in_enrollment")),
              (N_("Children directly certified"), report.get("certified")),
              (N_("Newly certified since the last run"), report.get("newly_certified")),
              (N_("Lost since the last run"), report.get("lost_since_last_run"))]
    shown = [(label, int(value)) for label, value in counts if value is not None]
    top = max((value for _, value in shown), default=0) or 1
    return [{"label": translate(request, label), "value": value, "width": round(CHART_WIDTH * value / top)}
            for label, value in shown]
