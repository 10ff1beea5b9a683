"""The family's own pages' service: a parent (or an eligible student) sees only their own children,
each child's disclosure history in plain words and consents, and may revoke a consent. Records
officers record who a student's family is."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body

from accord.api.deps import CurrentUser, LedgerSeq, SessionDep, guarded, may_conflict, now
from accord.api.shapes import consent_summary, preview_line
from accord.domain.agencies import Role
from accord.workflows.family import (
    children_of,
    family_consents,
    family_history,
    family_preview,
    family_proof,
    record_guardianship,
    revoke_family_consent,
)

router = APIRouter(tags=["families"])
FAMILY = guarded(Role.PARENT, Role.ELIGIBLE_STUDENT)


@router.get("/children", **FAMILY)
def children(session: SessionDep, user: CurrentUser) -> dict[str, list[str]]:
    """The students whose records' rights are the user's today (ids as the school gave them out)."""
    return {"children": children_of(session, user, now().date())}


@router.get("/children/{student_id}/disclosures", **FAMILY)
def disclosures(student_id: str, session: SessionDep, user: CurrentUser) -> list[dict[str, Any]]:
    """Every disclosure of the child's records, and every consent given or withdrawn, in plain words."""
    return [line.as_dict() for line in family_history(session, user, student_id, now().date())]


@router.get("/children/{student_id}/disclosures/{seq}/proof", **FAMILY)
def proof(student_id: str, seq: LedgerSeq, session: SessionDep, user: CurrentUser) -> dict[str, Any]:
    """That this line of the child's history is in the signed ledger (RFC 9162 inclusion proof)."""
    return family_proof(session, user, student_id, seq, now().date())


@router.get("/children/{student_id}/preview", **FAMILY)
def preview(student_id: str, session: SessionDep, user: CurrentUser) -> list[dict[str, Any]]:
    """What the child's record could be shared as today, with whom and on what basis, before it is."""
    return [preview_line(x) for x in family_preview(session, user, student_id, now())]


@router.get("/children/{student_id}/consents", **FAMILY)
def consents(student_id: str, session: SessionDep, user: CurrentUser) -> list[dict[str, Any]]:
    """The child's consents: what, why, to whom, signed when, and whether each is in force."""
    return [consent_summary(c, now()) for c in family_consents(session, user, student_id, now().date())]


@router.post("/children/{student_id}/consents/{consent_id}/revocation", **may_conflict(FAMILY))
def revoke(student_id: str, consent_id: str, session: SessionDep, user: CurrentUser) -> dict[str, Any]:
    """Revoke from now on: releases made under it before stay lawful and stay in the history."""
    at = now()
    return consent_summary(revoke_family_consent(session, user, student_id, consent_id, at), at)


@router.post("/guardianships", **guarded(Role.RECORDS_OFFICER))
def guardianship(session: SessionDep, user: CurrentUser, family_user: Annotated[str, Body()],
                 student_id: Annotated[str, Body()]) -> dict[str, bool]:
    """Record that the account `family_user` is this student's parent (or the student)."""
    return {"recorded": record_guardianship(session, user.id, family_user, student_id, now())}
