"""The records officer's list of families' requests to see a child's records (34 CFR 99.10): each
open request of the officer's own school's students, with the days left of the 45 the law gives, and
a button to mark it answered once the family has seen the records."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from accord.api.deps import RowId, SessionDep, now
from accord.domain.agencies import Role
from accord.domain.inspections import DEADLINE_DAYS
from accord.web.deps import PageUser, for_roles, language
from accord.web.family_cards import date_words
from accord.web.i18n import N_
from accord.web.render import page
from accord.workflows.inspection_requests import mark_answered, open_for_officer

router = APIRouter()
MENU = [(frozenset({Role.RECORDS_OFFICER}), "/office/inspections", N_("Requests to see records"))]
ANSWERED = N_("The request is marked answered. The family sees this on their page.")


@router.get("/office/inspections", response_class=HTMLResponse, **for_roles(Role.RECORDS_OFFICER))
def inspections(request: Request, session: SessionDep, viewer: PageUser, done: str = "") -> Response:
    return page(request, "family/inspections.html", requests=open_for_officer(session, viewer.user),
                today=now().date(), deadline=DEADLINE_DAYS, day=date_words(language(request)),
                done=ANSWERED if done else "")


@router.post("/office/inspections/{request_id}/answered", **for_roles(Role.RECORDS_OFFICER))
def answered(request_id: RowId, session: SessionDep, viewer: PageUser) -> Response:
    mark_answered(session, viewer.user, request_id, now())
    return RedirectResponse("/office/inspections?done=answered", status_code=303)
