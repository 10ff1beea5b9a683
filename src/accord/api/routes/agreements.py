"""Agreements, for the records officers of their parties and for administrators."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from accord.api.deps import CurrentUser, SessionDep, guarded
from accord.api.schemas import AgreementDetail, AgreementSummary
from accord.domain.agencies import Role
from accord.domain.agreements import Agreement
from accord.workflows.governance import agreement_for, agreements_for

router = APIRouter(prefix="/agreements", tags=["agreements"])
OFFICERS = guarded(Role.RECORDS_OFFICER, Role.ADMINISTRATOR)


def _summary(a: Agreement) -> dict[str, Any]:
    return {"id": a.id, "version": a.version, "title": a.title, "layer": a.layer.value,
            "status": a.status.value, "sources": sorted(a.source_agency_ids),
            "recipients": sorted(a.recipient_agency_ids),
            "purposes": sorted(p.value for p in a.purposes),
            "effective_on": a.effective_on.isoformat() if a.effective_on else None,
            "ends_on": a.ends_on.isoformat() if a.ends_on else None}


@router.get("", response_model=list[AgreementSummary], **OFFICERS)
def list_agreements(session: SessionDep, user: CurrentUser) -> list[dict[str, Any]]:
    """The agreements the officer's agency is a party to (all, for an administrator)."""
    return [_summary(a) for a in agreements_for(session, user)]


@router.get("/{agreement_id}", response_model=AgreementDetail, **OFFICERS)
def read_agreement(agreement_id: str, session: SessionDep, user: CurrentUser) -> dict[str, Any]:
    """Every element of one agreement its agency is a party to."""
    a = agreement_for(session, user, agreement_id)
    return {**_summary(a), "legal_bases": sorted(b.value for b in a.legal_bases),
            "data_elements": sorted(a.data_elements),
            "recipient_roles": sorted(r.value for r in a.recipient_roles),
            "permitted_uses": a.permitted_uses, "safeguards": list(a.safeguards),
            "destruction_deadline": a.destruction_deadline.isoformat() if a.destruction_deadline else None,
            "destruction_method": a.destruction_method, "parent": a.parent_id}
