"""Who is signed in."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel

from accord.api.deps import CurrentUser, guarded

router = APIRouter(tags=["me"])


class Me(BaseModel):
    user: str
    agency: str
    role: str


@router.get("/me", **guarded())
def me(user: CurrentUser) -> Me:
    """Who is signed in: login name, agency and role."""
    return Me(user=user.id, agency=user.agency_id, role=user.role.value)
