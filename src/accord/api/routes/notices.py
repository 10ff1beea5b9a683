"""Notices to a records officer (an emergency release of their agency's records, 34 CFR 99.36):
the open ones of the officer's own agency, and acknowledging one."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from accord.api.deps import CurrentUser, RowId, SessionDep, guarded, may_conflict, now
from accord.domain.agencies import Role
from accord.workflows.registry import acknowledge_own_notice, open_notices

router = APIRouter(prefix="/notices", tags=["notices"])
OFFICER = guarded(Role.RECORDS_OFFICER)


@router.get("", **OFFICER)
def notices(session: SessionDep, user: CurrentUser) -> list[dict[str, Any]]:
    """Open notices to the officer's agency (emergency releases of its records)."""
    return [{"id": n.id, "ledger_entry": n.ledger_seq, "kind": n.kind, "summary": n.summary,
             "created_at": n.created_at} for n in open_notices(session, user.agency_id)]


@router.post("/{notice_id}/acknowledgement", **may_conflict(OFFICER))
def acknowledge(notice_id: RowId, session: SessionDep, user: CurrentUser) -> dict[str, Any]:
    """The officer read the notice (the first acknowledgement stands)."""
    acknowledge_own_notice(session, user, notice_id, now())
    return {"id": notice_id, "acknowledged": True}
