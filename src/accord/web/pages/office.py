"""The records officer's dashboard (`/office`): what needs attention today, the ledger's last signed
root and whether it verifies, and the links to the office's other pages. An administrator sees the
agreements and the ledger (the consents and review queues are a school officer's, as in the API)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from accord.api.deps import SessionDep, now
from accord.domain.agencies import Role
from accord.web.deps import PageUser, for_roles
from accord.web.i18n import N_
from accord.web.render import page
from accord.workflows.office_dashboard import office_figures

router = APIRouter()
KEEPERS = frozenset({Role.RECORDS_OFFICER, Role.ADMINISTRATOR})
OFFICER = frozenset({Role.RECORDS_OFFICER})
MENU = [(KEEPERS, "/office", N_("Records office"))]
# The office's pages, as the dashboard links them: (roles, path, label). /office/inspections is the
# family area's page (parents' requests), linked from here because the officer answers them.
LINKS = [
    (OFFICER, "/office/agreements", N_("Agreements")),
    (OFFICER, "/office/agreements/new", N_("Draft an agreement")),
    (OFFICER, "/office/notices", N_("Notices")),
    (OFFICER, "/office/consents/new", N_("Record a consent")),
    (KEEPERS, "/office/state-law", N_("State-law settings")),
    (OFFICER, "/office/inspections", N_("Parents' requests to inspect records")),
]
# An agreement's status today, in words (the template translates them).
STATUS = {"active": N_("Active"), "expired": N_("Expired"), "terminated": N_("Terminated"),
          "draft": N_("Draft"), "destruction_certified": N_("Destruction certified")}
SHORT_ROOT = 16  # hex digits of the root shown; the whole root is in the element's title


@router.get("/office", response_class=HTMLResponse, **for_roles(*KEEPERS))
def dashboard(request: Request, session: SessionDep, viewer: PageUser) -> Response:
    figures = office_figures(session, viewer.user, request.app.state.settings.ledger_key_file, now())
    links = [(path, label) for roles, path, label in LINKS if viewer.user.role in roles]
    return page(request, "office/dashboard.html", figures=figures, links=links, short=SHORT_ROOT,
                status_words=STATUS, officer=viewer.user.role in OFFICER)  # officers open agreements
