"""The state-law settings the rules depend on (`/office/state-law`): the Medicaid/CHIP election of
42 USC 1758(b)(6)(D) with the day households were told, the programs whose lists certify children
for free meals, and whether a minor may consent to substance-use treatment; each change by a records
officer is a ledger entry (the workflow of `accord state-law set`). Administrators read them."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel

from accord.api.deps import SessionDep, now
from accord.domain.agencies import Program, Role
from accord.errors import AccordError
from accord.policy.request import DIRECT_CERTIFICATION_SOURCES
from accord.web.deps import PageUser, for_roles
from accord.web.refusal_words import refused_for
from accord.web.render import page, translate
from accord.workflows.state_law import change_state_law, current_state_law, state_law_record

router = APIRouter()
PROGRAMS = sorted(p.value for p in DIRECT_CERTIFICATION_SOURCES)


class StateLawForm(BaseModel):
    """Every setting, as the form shows them all (an unticked program is one the state does not use)."""

    medicaid_meal_status_election: bool = False
    medicaid_meal_notice_on: str = ""
    direct_certification_programs: list[Program] = []
    minor_may_consent_to_sud_treatment: bool = False


def _show(request: Request, session: SessionDep, refused: str = "", changed: bool = False,
          status: int = 200) -> Response:
    law = state_law_record(current_state_law(session))
    return page(request, "office/state_law.html", status=status, law=law, programs=PROGRAMS,
                refused=refused, changed=changed)


@router.get("/office/state-law", response_class=HTMLResponse,
            **for_roles(Role.RECORDS_OFFICER, Role.ADMINISTRATOR))
def state_law(request: Request, session: SessionDep, changed: bool = False) -> Response:
    return _show(request, session, changed=changed)


@router.post("/office/state-law", response_class=HTMLResponse, **for_roles(Role.RECORDS_OFFICER))
def change(request: Request, session: SessionDep, viewer: PageUser,
           given: Annotated[StateLawForm, Form()]) -> Response:
    typed_day = given.medicaid_meal_notice_on.strip()
    try:
        notice_on = date.fromisoformat(typed_day) if typed_day else None
    except ValueError:
        return _show(request, session, translate(request, "The notice date is not a date."), status=400)
    try:
        change_state_law(session, viewer.user.id, now(),
                         medicaid_meal_status_election=given.medicaid_meal_status_election,
                         medicaid_meal_notice_on=notice_on,
                         direct_certification_programs=frozenset(given.direct_certification_programs),
                         minor_may_consent_to_sud_treatment=given.minor_may_consent_to_sud_treatment)
    except AccordError as err:  # settings the statutes do not allow together: nothing changed
        session.rollback()
        return _show(request, session, refused_for(request, err), status=400)
    return RedirectResponse("/office/state-law?changed=true", status_code=303)
