"""Consents at the records officer's desk: record one from its signed form's document, read it
(also as an HL7 FHIR Consent), revoke it, or record the eligible student's confirmation; each for
the officer's own school's students only."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body

from accord.api.deps import CurrentUser, SessionDep, guarded, may_conflict, now
from accord.api.shapes import consent_summary, preview_line
from accord.domain.agencies import Role
from accord.domain.fhir import to_fhir_consent
from accord.workflows.consent_desk import (
    confirm_at_desk,
    consent_at_desk,
    consent_preview_at_desk,
    record_consent_document,
    revoke_at_desk,
)

router = APIRouter(prefix="/consents", tags=["consents"])
OFFICER = guarded(Role.RECORDS_OFFICER)


@router.post("", **may_conflict(OFFICER))
def record(session: SessionDep, user: CurrentUser,
           document: Annotated[dict[str, Any], Body()]) -> dict[str, Any]:
    """The consent's fields as `accord consents record` reads them from its file."""
    at = now()
    return consent_summary(record_consent_document(session, user, document, at), at)


@router.get("/{consent_id}", **OFFICER)
def read(consent_id: str, session: SessionDep, user: CurrentUser, fhir: bool = False) -> dict[str, Any]:
    """One consent of the officer's school's students; `fhir=true` gives the HL7 FHIR R4 Consent."""
    at = now()
    c = consent_at_desk(session, user, consent_id)
    return to_fhir_consent(c, at) if fhir else consent_summary(c, at)


@router.get("/{consent_id}/preview", **OFFICER)
def preview(consent_id: str, session: SessionDep, user: CurrentUser) -> list[dict[str, Any]]:
    """What the named recipients could receive under it today, purpose by purpose."""
    return [preview_line(x) for x in consent_preview_at_desk(session, user, consent_id, now())]


@router.post("/{consent_id}/revocation", **may_conflict(OFFICER))
def revoke(consent_id: str, session: SessionDep, user: CurrentUser) -> dict[str, Any]:
    """Revoke from now on (the signer's written revocation); earlier releases stay lawful."""
    at = now()
    return consent_summary(revoke_at_desk(session, user, consent_id, at), at)


@router.post("/{consent_id}/confirmation", **may_conflict(OFFICER))
def confirm(consent_id: str, session: SessionDep, user: CurrentUser) -> dict[str, Any]:
    """The eligible student adopted, in front of the officer, a consent their parent signed."""
    at = now()
    return consent_summary(confirm_at_desk(session, user, consent_id, at.date()), at)
