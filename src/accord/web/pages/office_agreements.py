"""The agreement editor (`/office/agreements/new`): the fields of `accord agreements create`'s
document as a form, the elements that would still stop the agreement becoming active shown as the
officer types (htmx posts the form to `/office/agreements/missing`, the list `accord agreements
validate` gives), and "save draft". Signatures and activation come after the draft is saved."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel

from accord.api.deps import SessionDep, now
from accord.domain.agencies import Role
from accord.domain.agreements import AgreementLayer
from accord.domain.elements import CATALOG
from accord.domain.purposes import LegalBasis, Purpose
from accord.errors import AccordError
from accord.web.deps import PageUser, for_roles
from accord.web.refusal_words import refused_for
from accord.web.render import page
from accord.web.rule_words import RULE_TEXTS
from accord.workflows.agreement_desk import draft_from_document
from accord.workflows.office_forms import missing_in_draft
from accord.workflows.registry import agencies

router = APIRouter()
OFFICER = for_roles(Role.RECORDS_OFFICER)
STAFF_ROLES = (Role.CASEWORKER, Role.ELIGIBILITY_WORKER, Role.ANALYST, Role.RECORDS_OFFICER)


class AgreementForm(BaseModel):
    """The form as typed: every field text (the document reader checks dates and names the field)."""

    id: str = ""
    title: str = ""
    layer: str = AgreementLayer.DATA_SHARING_AGREEMENT.value
    parent_id: str = ""
    source_agency_ids: list[str] = []
    recipient_agency_ids: list[str] = []
    purposes: list[str] = []
    legal_bases: list[str] = []
    data_elements: list[str] = []
    recipient_roles: list[str] = []
    permitted_uses: str = ""
    effective_on: str = ""
    ends_on: str = ""
    destruction_deadline: str = ""
    destruction_method: str = ""
    safeguards: str = ""  # one a line
    state_statute: str = ""

    def document(self) -> dict[str, Any]:
        """`accord agreements create`'s JSON: an empty field is left out, as a file would leave it."""
        given = {k: v.strip() if isinstance(v, str) else v for k, v in self.model_dump().items()}
        given["safeguards"] = [line.strip() for line in self.safeguards.splitlines() if line.strip()]
        return {k: v for k, v in given.items() if v not in ("", [])}


Typed = Annotated[AgreementForm, Form()]


def _editor(request: Request, session: SessionDep, viewer: PageUser, typed: AgreementForm,
            refused: str = "", saved: str = "", status: int = 200) -> Response:
    missing = missing_in_draft(session, viewer.user, typed.document(), now().date())
    return page(request, "office/agreement_editor.html", status=status, form=typed, missing=missing,
                refused=refused, saved=saved, layers=list(AgreementLayer),
                agencies=agencies(session), purposes=list(Purpose), bases=list(LegalBasis),
                elements=sorted(CATALOG), roles=STAFF_ROLES, rule_texts=RULE_TEXTS)


@router.get("/office/agreements/new", response_class=HTMLResponse, **OFFICER)
def editor(request: Request, session: SessionDep, viewer: PageUser, saved: str = "") -> Response:
    return _editor(request, session, viewer, AgreementForm(), saved=saved)


@router.post("/office/agreements/missing", response_class=HTMLResponse, **OFFICER)
def missing(request: Request, session: SessionDep, viewer: PageUser, typed: Typed) -> Response:
    """Only the list (htmx swaps it into the live region as the officer types)."""
    return page(request, "office/_missing.html", rule_texts=RULE_TEXTS,
                missing=missing_in_draft(session, viewer.user, typed.document(), now().date()))


@router.post("/office/agreements/new", response_class=HTMLResponse, **OFFICER)
def save_draft(request: Request, session: SessionDep, viewer: PageUser, typed: Typed) -> Response:
    try:
        draft = draft_from_document(session, viewer.user, typed.document())
    except AccordError as err:  # shown beside the form, which keeps what was typed
        session.rollback()
        return _editor(request, session, viewer, typed, refused=refused_for(request, err), status=400)
    return RedirectResponse(f"/office/agreements/new?saved={quote(f'{draft.id} v{draft.version}')}",
                            status_code=303)
