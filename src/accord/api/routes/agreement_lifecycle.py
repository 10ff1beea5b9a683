"""An agreement's life, for the records officers of its parties: a draft from its document, what
still stops it, each party's signature, activation, termination and the certified destruction of
the data (each a ledger entry where the command line's is). Reading agreements: routes.agreements."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body

from accord.api.deps import CurrentUser, SessionDep, guarded, may_conflict, now
from accord.domain.agencies import Role
from accord.domain.agreements import Agreement
from accord.workflows.agreement_desk import (
    activate_for,
    certify_destruction_for,
    draft_from_document,
    missing_for,
    preview_for,
    sign_for,
    terminate_for,
)

router = APIRouter(prefix="/agreements", tags=["agreements"])
OFFICER = guarded(Role.RECORDS_OFFICER)


def _state(a: Agreement) -> dict[str, Any]:
    return {"id": a.id, "version": a.version, "status": a.status.value,
            "signed_by": sorted(s.agency_id for s in a.signatures)}


@router.post("", **may_conflict(OFFICER))
def draft(session: SessionDep, user: CurrentUser,
          document: Annotated[dict[str, Any], Body()]) -> dict[str, Any]:
    """A new draft from the agreement's fields (`accord agreements create`'s JSON)."""
    return _state(draft_from_document(session, user, document))


@router.get("/{agreement_id}/missing", **OFFICER)
def missing(agreement_id: str, session: SessionDep, user: CurrentUser) -> list[dict[str, Any]]:
    """Every element that stops it becoming active today, with its citation; empty when none."""
    return missing_for(session, user, agreement_id, now().date())


@router.get("/{agreement_id}/preview", **OFFICER)
def preview(agreement_id: str, session: SessionDep, user: CurrentUser) -> list[dict[str, Any]]:
    """What it grants each role, what may go without consent, and what needs consent."""
    return [{"recipient": x.recipient_agency_id, "role": x.role.value, "purpose": x.purpose.value,
             "source": x.source_agency_id, "granted": sorted(x.granted),
             "without_consent": sorted(x.without_consent),
             "needs_consent": sorted(x.granted - x.without_consent),
             "bases": [{"basis": b.value, "citation": b.citation} for b in x.bases]}
            for x in preview_for(session, user, agreement_id, now())]


@router.post("/{agreement_id}/signatures", **may_conflict(OFFICER))
def sign(agreement_id: str, session: SessionDep, user: CurrentUser,
         title: Annotated[str, Body(embed=True)]) -> dict[str, Any]:
    """The officer's own agency signs the latest draft; `title` is the office that signed."""
    return _state(sign_for(session, user, agreement_id, title, now().date()))


@router.post("/{agreement_id}/activation", **may_conflict(OFFICER))
def activate(agreement_id: str, session: SessionDep, user: CurrentUser) -> dict[str, Any]:
    """Draft to active, once every required element and signature is there."""
    return _state(activate_for(session, user, agreement_id, now().date()))


@router.post("/{agreement_id}/termination", **may_conflict(OFFICER))
def terminate(agreement_id: str, session: SessionDep, user: CurrentUser) -> dict[str, Any]:
    """Active to terminated: no disclosure under it from today."""
    return _state(terminate_for(session, user, agreement_id, now().date()))


@router.post("/{agreement_id}/destruction", **may_conflict(OFFICER))
def destroyed(agreement_id: str, session: SessionDep, user: CurrentUser) -> dict[str, Any]:
    """The recipient certified that the data shared under it was destroyed."""
    return _state(certify_destruction_for(session, user, agreement_id, now().date()))
