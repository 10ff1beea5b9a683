"""The family's own pages' service: a parent (or an eligible student) sees only their own children,
each child's disclosure history in plain words and consents, and may revoke a consent. Records
officers record who a student's family is."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body

from accord.api.deps import CurrentUser, SessionDep, guarded, now
from accord.domain.agencies import Role
from accord.domain.consents import Consent
from accord.workflows.family import (
    children_of,
    family_consents,
    family_history,
    record_guardianship,
    revoke_family_consent,
)

router = APIRouter(tags=["families"])
FAMILY = guarded(Role.PARENT, Role.ELIGIBLE_STUDENT)


def consent_summary(c: Consent) -> dict[str, Any]:
    """A consent as its signer reads it: what, why, to whom, signed when, in force from and to."""
    return {"id": c.id, "elements": sorted(c.data_elements), "purposes": sorted(p.value for p in c.purposes),
            "recipients": sorted(c.recipient_agency_ids), "signed_on": c.signed_on, "language": c.language,
            "starts_on": c.starts_on, "ends_on": c.ends_on, "revoked_at": c.revoked_at,
            "in_force": c.in_force(now())}


@router.get("/children", **FAMILY)
def children(session: SessionDep, user: CurrentUser) -> dict[str, list[str]]:
    """The students whose records' rights are the user's today (ids as the school gave them out)."""
    return {"children": children_of(session, user, now().date())}


@router.get("/children/{student_id}/disclosures", **FAMILY)
def disclosures(student_id: str, session: SessionDep, user: CurrentUser) -> list[dict[str, Any]]:
    return [line.as_dict() for line in family_history(session, user, student_id, now().date())]


@router.get("/children/{student_id}/consents", **FAMILY)
def consents(student_id: str, session: SessionDep, user: CurrentUser) -> list[dict[str, Any]]:
    return [consent_summary(c) for c in family_consents(session, user, student_id, now().date())]


@router.post("/children/{student_id}/consents/{consent_id}/revocation", **FAMILY)
def revoke(student_id: str, consent_id: str, session: SessionDep, user: CurrentUser) -> dict[str, Any]:
    """Revoke from now on: releases made under it before stay lawful and stay in the history."""
    return consent_summary(revoke_family_consent(session, user, student_id, consent_id, now()))


@router.post("/guardianships", **guarded(Role.RECORDS_OFFICER))
def guardianship(session: SessionDep, user: CurrentUser, family_user: Annotated[str, Body()],
                 student_id: Annotated[str, Body()]) -> dict[str, bool]:
    """Record that the account `family_user` is this student's parent (or the student)."""
    return {"recorded": record_guardianship(session, user.id, family_user, student_id, now())}
