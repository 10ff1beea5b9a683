"""Ed-Fi descriptor mappings of the records officer's own agency: which of its own descriptor URIs
mean which Ed-Fi code when its files load (the same workflow as `accord descriptors`)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body

from accord.api.deps import CurrentUser, SessionDep, guarded, may_conflict, now
from accord.domain.agencies import Role
from accord.workflows.descriptors import descriptor_mappings, map_descriptor, unmap_descriptor

router = APIRouter(prefix="/descriptors", tags=["descriptors"])
OFFICER = guarded(Role.RECORDS_OFFICER)


@router.get("", **OFFICER)
def mappings(session: SessionDep, user: CurrentUser) -> list[dict[str, Any]]:
    """The agency's mappings: descriptor, its own URI (casefolded), the code it loads as, who, when."""
    return [{"descriptor": m.descriptor, "source": m.source, "code": m.code, "mapped_by": m.mapped_by,
             "mapped_at": m.mapped_at} for m in descriptor_mappings(session, user.agency_id)]


@router.put("", **may_conflict(OFFICER))
def map_one(session: SessionDep, user: CurrentUser, source: Annotated[str, Body()],
            code: Annotated[str, Body()]) -> dict[str, Any]:
    """Map one of the agency's descriptor URIs to an Ed-Fi code; its rows then load as that code."""
    m = map_descriptor(session, user.agency_id, source, code, user.id, now())
    return {"descriptor": m.descriptor, "source": m.source, "code": m.code}


@router.delete("", **OFFICER)
def unmap_one(session: SessionDep, user: CurrentUser, source: str) -> dict[str, str]:
    """Remove one mapping; rows carrying that URI are rejected again."""
    unmap_descriptor(session, user.agency_id, source)
    return {"removed": source.strip()}
