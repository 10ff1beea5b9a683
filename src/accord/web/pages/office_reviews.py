"""The records officer's output-review queue of studies (issue 19's review, on pages): the releases held
in the studies their agency contributes to, each with its question and why it waits; a release's page
with the table as it would be released, the decisions so far, and the form to approve or reject it
with a comment. Over the workflows the JSON API calls (accord.api.routes.study_lifecycle), gathered
across studies by accord.workflows.study_review_desk."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from accord.api.deps import RowId, SessionDep, now
from accord.domain.agencies import Role
from accord.web.deps import PageUser, for_roles
from accord.web.i18n import N_
from accord.web.refusal_words import worded
from accord.web.render import page
from accord.web.study_results import shown
from accord.workflows.study_review_desk import decide_held, held_for, held_release

router = APIRouter()
OFFICER = for_roles(Role.RECORDS_OFFICER)
MENU = [(frozenset({Role.RECORDS_OFFICER}), "/office/reviews", N_("Output review of studies"))]
# The confirmation after a decision, by the release's status after it (the template fills the number).
DONE = {"pending_review": N_("Your approval of release %(n)s is recorded: a second reviewer is needed."),
        "released": N_("Release %(n)s is released: two reviewers approved it, the ledger names both, "
                       "and its analyst can see the table."),
        "rejected": N_("Release %(n)s is rejected: its analyst will not see the table.")}


@router.get("/office/reviews", response_class=HTMLResponse, **OFFICER)
def reviews(request: Request, session: SessionDep, viewer: PageUser, decided: int | None = None,
            status: str = "") -> Response:
    done = DONE.get(status) if decided is not None else None
    return page(request, "office/reviews.html", held=held_for(session, viewer.user), done=done,
                decided=decided, refused="")


@router.get("/office/reviews/{study_id}/{release_id}", response_class=HTMLResponse, **OFFICER)
def review(request: Request, study_id: str, release_id: RowId, session: SessionDep,
           viewer: PageUser) -> Response:
    held = held_release(session, viewer.user, study_id, release_id)
    return page(request, "office/review.html", held=held, view=shown(held.spec, held.result),
                mine=held.decided_by(viewer.user.id))


@router.post("/office/reviews/{study_id}/{release_id}/decision", response_class=HTMLResponse, **OFFICER)
def decision(request: Request, study_id: str, release_id: RowId, session: SessionDep, viewer: PageUser,
             decision: Annotated[str, Form(pattern="^(approve|reject)$")],
             comment: Annotated[str, Form(max_length=1000)] = "") -> Response:
    outcome = decide_held(session, viewer.user, study_id, release_id, decision == "approve", comment, now())
    if outcome.refused:  # the workflow's own words, over the queue as it still is
        return page(request, "office/reviews.html", status=400, held=held_for(session, viewer.user),
                    done=None, decided=None, refused=worded(request, outcome.code, outcome.values,
                                                            outcome.refused))
    return RedirectResponse(f"/office/reviews?decided={release_id}&status={outcome.status}", status_code=303)
