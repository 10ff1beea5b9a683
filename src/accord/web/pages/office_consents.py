"""Recording a signed consent (`/office/consents/new`): what, why, to whom, who signed and when, in
which language and how, checked as `accord consents record` checks its file (34 CFR 99.30; who may
sign, ADR 0005), each problem shown in one line beside the form naming its field."""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel

from accord.api.deps import SessionDep, now
from accord.domain.agencies import Role
from accord.domain.consents import ConsentForm, ConsentMethod, SignerRole, Statement
from accord.domain.elements import CATALOG
from accord.domain.purposes import Purpose
from accord.web.deps import PageUser, for_roles
from accord.web.i18n import N_
from accord.web.refusal_words import worded
from accord.web.render import page
from accord.workflows.office_forms import FieldProblem, record_consent_form
from accord.workflows.registry import agencies

router = APIRouter()
OFFICER = for_roles(Role.RECORDS_OFFICER)
SIGNERS = {SignerRole.PARENT: N_("The parent"), SignerRole.STUDENT: N_("The student")}
STAFF_ROLES = (Role.CASEWORKER, Role.ELIGIBILITY_WORKER, Role.ANALYST, Role.RECORDS_OFFICER)


class ConsentFormFields(BaseModel):
    """The form as typed; dates stay text for the document reader, which names a wrong one."""

    id: str = ""
    student_id: str = ""
    signer_role: str = SignerRole.PARENT.value
    data_elements: list[str] = []
    purposes: list[str] = []
    recipient_agency_ids: list[str] = []
    recipient_roles: list[str] = []
    signed_on: str = ""
    language: str = ""
    method: str = ConsentMethod.PAPER_SCAN.value
    evidence_ref: str = ""
    signer_identity_verified: bool = False
    starts_on: str = ""
    ends_on: str = ""
    forms: list[str] = [ConsentForm.FERPA.value]
    statements: list[str] = []

    def document(self) -> dict[str, Any]:
        """`accord consents record`'s JSON; an empty field is left out, as a file would leave it."""
        given = {k: v.strip() if isinstance(v, str) else v for k, v in self.model_dump().items()}
        return {k: v for k, v in given.items() if v != ""}


def _form(request: Request, session: SessionDep, typed: ConsentFormFields,
          problems: list[FieldProblem] | None = None, recorded: str = "", status: int = 200) -> Response:
    # Each problem in the viewer's words, by its code (the checks' English when it has none).
    shown = [replace(p, text=worded(request, p.code, p.values, p.text)) for p in problems or []]
    return page(request, "office/consent_form.html", status=status, form=typed, problems=shown,
                recorded=recorded, agencies=agencies(session), elements=sorted(CATALOG),
                purposes=list(Purpose), roles=STAFF_ROLES, signers=SIGNERS,
                methods=list(ConsentMethod), forms=list(ConsentForm), statements=list(Statement))


@router.get("/office/consents/new", response_class=HTMLResponse, **OFFICER)
def consent_form(request: Request, session: SessionDep, recorded: str = "") -> Response:
    return _form(request, session, ConsentFormFields(starts_on=now().date().isoformat()), recorded=recorded)


@router.post("/office/consents/new", response_class=HTMLResponse, **OFFICER)
def record(request: Request, session: SessionDep, viewer: PageUser,
           typed: Annotated[ConsentFormFields, Form()]) -> Response:
    outcome = record_consent_form(session, viewer.user, typed.document(), now())
    if isinstance(outcome, list):  # nothing was recorded: the form again, with what to fix
        return _form(request, session, typed, outcome, status=400)
    return RedirectResponse(f"/office/consents/new?recorded={quote(outcome.id)}", status_code=303)
