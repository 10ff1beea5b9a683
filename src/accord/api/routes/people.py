"""Agencies, for anyone signed in; an administrator's own agency's people."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body

from accord.api.deps import CurrentUser, SessionDep, guarded, may_conflict
from accord.domain.agencies import Role, User
from accord.workflows.people_desk import register_staff, staff_of
from accord.workflows.registry import agencies

router = APIRouter(tags=["agencies and people"])
ADMIN = guarded(Role.ADMINISTRATOR)


def _person(u: User) -> dict[str, str]:
    return {"id": u.id, "agency": u.agency_id, "role": u.role.value, "name": u.display_name}


@router.get("/agencies", **guarded())
def list_agencies(session: SessionDep) -> list[dict[str, Any]]:
    """The agencies taking part, their kind and programs."""
    return [{"id": a.id, "name": a.name, "kind": a.kind.value,
             "programs": sorted(p.value for p in a.programs)} for a in agencies(session)]


@router.get("/users", **ADMIN)
def list_users(session: SessionDep, user: CurrentUser) -> list[dict[str, str]]:
    """The people of the administrator's own agency and their roles."""
    return [_person(u) for u in staff_of(session, user)]


@router.post("/users", **may_conflict(ADMIN))
def add_user(session: SessionDep, user: CurrentUser, id: Annotated[str, Body()],
             role: Annotated[Role, Body()], name: Annotated[str, Body()] = "") -> dict[str, str]:
    """Register (or update) a person of the administrator's agency; their password is set apart."""
    return _person(register_staff(session, user, id, role, name))
