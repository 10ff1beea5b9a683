"""What a route asks for, as dependency aliases (`SessionDep`, `CurrentUser`, `HubDep`), and who may
call it (`guarded`: the roles, enforced and published in the route's OpenAPI entry as
`x-accord-roles`, so the route x role test reads them from the route table)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from accord.domain.agencies import Role, User
from accord.errors import AccordError
from accord.store.db import session_scope
from accord.workflows.hub_files import HubFiles
from accord.workflows.machine_clients import NodeClient, client_of
from accord.workflows.signin import NotSignedIn, signed_in

COOKIE = "accord_session"
CSRF_HEADER = "X-CSRF-Token"
SAFE = frozenset({"GET", "HEAD", "OPTIONS"})


class Forbidden(AccordError, PermissionError):
    """Signed in, but not in a role this route serves."""


def now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def _session(request: Request) -> Iterator[Session]:
    with session_scope(request.app.state.sessions) as session:
        yield session


SessionDep = Annotated[Session, Depends(_session)]


def _hub(request: Request) -> HubFiles:
    return HubFiles(request.app.state.settings.hub_dir)


HubDep = Annotated[HubFiles, Depends(_hub)]


def _user(request: Request, session: SessionDep) -> User:
    user, csrf = signed_in(session, request.cookies.get(COOKIE), now())
    if request.method not in SAFE and request.headers.get(CSRF_HEADER) != csrf:
        raise NotSignedIn(f"a state-changing request needs the session's {CSRF_HEADER} header")
    return user


CurrentUser = Annotated[User, Depends(_user)]


def guarded(*roles: Role) -> dict[str, Any]:
    """Route keywords: only signed-in users of `roles` (all signed-in users when none is named)."""
    allowed = frozenset(roles)

    def check(user: CurrentUser) -> None:
        if allowed and user.role not in allowed:
            raise Forbidden(f"this needs the role {' or '.join(sorted(r.value for r in allowed))}")

    names = sorted(r.value for r in allowed) or ["signed-in"]
    return {"dependencies": [Depends(check)], "openapi_extra": {"x-accord-roles": names}}


PUBLIC: dict[str, Any] = {"openapi_extra": {"x-accord-roles": ["public"]}}
NODE = "agency-node"  # an agency node's machine client (OAuth2 client credentials), not a person


def _node(request: Request, session: SessionDep) -> NodeClient:
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    return client_of(session, token if scheme.lower() == "bearer" else None, now())


NodeDep = Annotated[NodeClient, Depends(_node)]
FOR_NODES: dict[str, Any] = {"openapi_extra": {"x-accord-roles": [NODE]}}
