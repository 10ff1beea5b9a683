"""The records officer's notices (`/office/notices`): each emergency release of their agency's records
(34 CFR 99.36) leaves a notice the officer must read, and acknowledge here; those acknowledged in the
last 30 days stay listed beneath, with who acknowledged them and when. Over the workflows the JSON
API calls (routes.notices): another agency's notice, or one acknowledged already, is not found."""

from __future__ import annotations

from datetime import timedelta

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from accord.api.deps import RowId, SessionDep, now
from accord.domain.agencies import Role
from accord.web.deps import PageUser, for_roles
from accord.web.i18n import N_
from accord.web.render import page
from accord.workflows.registry import acknowledge_own_notice, open_notices, recent_notices

router = APIRouter()
OFFICER = for_roles(Role.RECORDS_OFFICER)
MENU = [(frozenset({Role.RECORDS_OFFICER}), "/office/notices", N_("Notices"))]
RECENT = timedelta(days=30)
# What each kind of notice is about (the summary beside it is the workflow's, as recorded).
KINDS = {"emergency_disclosure": N_("Emergency release of your agency's records (34 CFR 99.36)")}


@router.get("/office/notices", response_class=HTMLResponse, **OFFICER)
def notices(request: Request, session: SessionDep, viewer: PageUser, acknowledged: int | None = None
            ) -> Response:
    agency = viewer.user.agency_id
    return page(request, "office/notices.html", open=open_notices(session, agency),
                recent=recent_notices(session, agency, now() - RECENT), kinds=KINDS,
                acknowledged=acknowledged)


@router.post("/office/notices/{notice_id}/acknowledgement", **OFFICER)
def acknowledge(notice_id: RowId, session: SessionDep, viewer: PageUser) -> Response:
    """The officer read the notice (the first acknowledgement stands)."""
    acknowledge_own_notice(session, viewer.user, notice_id, now())
    return RedirectResponse(f"/office/notices?acknowledged={notice_id}", status_code=303)
