"""The records officer's agreements (`/office/agreements`): every agreement their agency is a party to,
and one agreement's page: what data, for what use, for how long, when the data is destroyed, who has
signed, what still stops it becoming active, and the forms to sign it for the officer's own agency,
activate and terminate it. Over the workflows the JSON API calls (routes.agreements and
routes.agreement_lifecycle): another agency's agreement is "not found", as there.

This module's name sorts after `office_agreements`, so the editor's `/office/agreements/new` is
served before `/office/agreements/{agreement_id}` would take "new" for an id."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, Form, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from accord.api.deps import SessionDep, now
from accord.domain.agencies import Role
from accord.domain.agreements import AgreementNotReady, AgreementTransitionError
from accord.domain.elements import CATALOG
from accord.web.deps import PageUser, Viewer, for_roles
from accord.web.i18n import N_
from accord.web.pages.office import STATUS
from accord.web.plain_words import PURPOSES
from accord.web.render import page
from accord.web.rule_words import RULE_TEXTS
from accord.workflows.agreement_desk import activate_for, missing_for, sign_for, terminate_for
from accord.workflows.governance import agreement_for, agreements_for
from accord.workflows.registry import agencies

router = APIRouter()
OFFICER = for_roles(Role.RECORDS_OFFICER)
MENU = [(frozenset({Role.RECORDS_OFFICER}), "/office/agreements", N_("Agreements"))]
Id = Annotated[str, Path(min_length=1, max_length=64)]  # as the store's ids: a longer one is a 422
DONE = {"signed": N_("Your agency's signature is recorded."),
        "activated": N_("The agreement is active, and its activation is written to the ledger."),
        "terminated": N_("The agreement is terminated, and its termination is written to the ledger: "
                         "nothing more is shared under it. The data shared under it must now be "
                         "destroyed by its deadline, and the destruction certified.")}
# A step the agreement's status does not allow, in words (the status is the one on record).
NOT_NOW = {"sign": N_("Not signed: only a draft can be signed, and this agreement's status is "
                      "“%(status)s”."),
           "activate": N_("Not activated: only a draft can be activated, and this agreement's status is "
                          "“%(status)s”."),
           "terminate": N_("Not terminated: only an active agreement can be terminated, and this "
                           "agreement's status is “%(status)s”.")}
NOT_READY = N_("Not activated: what is listed under \"Still missing\" must be there first.")


def _names(session: Session) -> dict[str, str]:
    return {a.id: a.name for a in agencies(session)}


@router.get("/office/agreements", response_class=HTMLResponse, **OFFICER)
def agreements(request: Request, session: SessionDep, viewer: PageUser) -> Response:
    found = sorted(agreements_for(session, viewer.user), key=lambda a: a.id)
    return page(request, "office/agreements.html", agreements=found, names=_names(session),
                today=now().date(), status_words=STATUS, purpose_words=PURPOSES)


def _sheet(request: Request, session: Session, viewer: Viewer, agreement_id: str, done: str = "",
           refused: str = "", refused_status: str = "", status: int = 200) -> Response:
    """The agreement's page (also after a refused step, with the refusal in words above it)."""
    today = now().date()
    agreement = agreement_for(session, viewer.user, agreement_id)
    return page(request, "office/agreement.html", status=status, a=agreement, today=today,
                names=_names(session), signed={s.agency_id: s for s in agreement.signatures},
                missing=missing_for(session, viewer.user, agreement_id, today), rule_texts=RULE_TEXTS,
                elements=CATALOG, status_words=STATUS, purpose_words=PURPOSES,
                done=DONE.get(done, ""), refused=refused, refused_status=refused_status)


@router.get("/office/agreements/{agreement_id}", response_class=HTMLResponse, **OFFICER)
def agreement(request: Request, agreement_id: Id, session: SessionDep, viewer: PageUser,
              done: str = "") -> Response:
    return _sheet(request, session, viewer, agreement_id, done=done)


def _step(request: Request, session: Session, viewer: Viewer, agreement_id: str, step: str,
          done: str, run: Callable[[], object]) -> Response:
    """Run one step of the agreement's life; its refusal is shown on the agreement's page in words.
    An agreement the officer's agency is not a party to is not found (the workflow says so)."""
    try:
        run()
    except AgreementNotReady:
        session.rollback()
        return _sheet(request, session, viewer, agreement_id, refused=NOT_READY, status=400)
    except AgreementTransitionError:
        session.rollback()
        on_record = agreement_for(session, viewer.user, agreement_id).status.value
        return _sheet(request, session, viewer, agreement_id, refused=NOT_NOW[step],
                      refused_status=on_record, status=400)
    return RedirectResponse(f"/office/agreements/{agreement_id}?done={done}", status_code=303)


@router.post("/office/agreements/{agreement_id}/signature", response_class=HTMLResponse, **OFFICER)
def sign(request: Request, agreement_id: Id, session: SessionDep, viewer: PageUser,
         title: Annotated[str, Form(max_length=200, pattern=r"\S")]) -> Response:
    """The officer's own agency signs; `title` is the office that signs (never another party)."""
    return _step(request, session, viewer, agreement_id, "sign", "signed",
                 lambda: sign_for(session, viewer.user, agreement_id, title.strip(), now().date()))


@router.post("/office/agreements/{agreement_id}/activation", response_class=HTMLResponse, **OFFICER)
def activate(request: Request, agreement_id: Id, session: SessionDep, viewer: PageUser) -> Response:
    return _step(request, session, viewer, agreement_id, "activate", "activated",
                 lambda: activate_for(session, viewer.user, agreement_id, now().date()))


@router.post("/office/agreements/{agreement_id}/termination", response_class=HTMLResponse, **OFFICER)
def terminate(request: Request, agreement_id: Id, session: SessionDep, viewer: PageUser,
              confirm: Annotated[str, Form(max_length=8)] = "") -> Response:
    """First the confirmation (what terminating does), then, confirmed, the termination."""
    if confirm != "yes":
        return page(request, "office/terminate.html", a=agreement_for(session, viewer.user, agreement_id),
                    names=_names(session))
    return _step(request, session, viewer, agreement_id, "terminate", "terminated",
                 lambda: terminate_for(session, viewer.user, agreement_id, now().date()))
