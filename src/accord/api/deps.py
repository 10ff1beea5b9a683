"""What a route asks for, as dependency aliases (`SessionDep`, `CurrentUser`, `HubDep`), and who may
call it (`guarded`: the roles, enforced and published in the route's OpenAPI entry as
`x-accord-roles`, so the route x role test reads them from the route table). The same route keywords
publish the error responses (problem details) that the gate and the workflows behind it can send;
a route that documents more passes `**with_responses(KEYWORDS, {...})`, never `responses=` beside
them. FastAPI adds 422 where a route takes parameters or a body (accord.api.problems)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import Depends, Path, Request
from sqlalchemy.orm import Session

from accord.api.problems import documented
from accord.domain.agencies import Role, User
from accord.errors import AccordError
from accord.store.db import session_scope
from accord.workflows.hub_files import HubFiles
from accord.workflows.machine_clients import NodeClient, client_of
from accord.workflows.signin import NotSignedIn, signed_in

COOKIE = "accord_session"
CSRF_HEADER = "X-CSRF-Token"
SAFE = frozenset({"GET", "HEAD", "OPTIONS"})


# Integers named in a path, bounded by what the store's keys hold, so that a larger number is a 422
# and never reaches the database (which refuses to bind it: a 500). A row's id (a release, a run, a
# review; INTEGER, 32 bits on PostgreSQL), and a ledger entry's number (BIGINT); both count from 1.
RowId = Annotated[int, Path(ge=1, le=2**31 - 1)]
LedgerSeq = Annotated[int, Path(ge=1, le=2**63 - 1)]


class Forbidden(AccordError, PermissionError):
    """Signed in, but not in a role this route serves."""


def now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def sign_in_time(request: Request) -> datetime:
    """The time a sign-in is checked at (its code's time step, a lockout, the session's start): the
    app's clock (accord.api.create_app), the wall clock unless a test gave its authenticator's."""
    clock: Callable[[], datetime] = request.app.state.clock
    return clock()


async def _session(request: Request) -> AsyncIterator[Session]:
    # A request that changes nothing reads a snapshot: on SQLite it takes no write lock (store.db.reader).
    # A route that writes takes SQLite's one write lock at its first query, in its own thread, and
    # commits here, on the event loop: were the commit a task for the thread pool, a request holding
    # the lock could wait for a thread while every thread waits for the lock (50 clients did).
    factory = request.app.state.readers if request.method in SAFE else request.app.state.sessions
    with session_scope(factory) as session:
        yield session


# Scope "function": the transaction commits (or rolls back) when the route returns, before the
# response is sent, so a 200 always means the change is stored.
SessionDep = Annotated[Session, Depends(_session, scope="function")]


def _hub(request: Request) -> HubFiles:
    return HubFiles(request.app.state.settings.hub_dir)


HubDep = Annotated[HubFiles, Depends(_hub)]


def _user(request: Request) -> User:
    with session_scope(request.app.state.readers) as session:
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
    return {"dependencies": [Depends(check)], "openapi_extra": {"x-accord-roles": names},
            "responses": documented(400, 401, 403, 404)}


def with_responses(keywords: dict[str, Any], more: dict[int | str, dict[str, Any]]) -> dict[str, Any]:
    """Route keywords that also document `more` responses (a status given in both: `more` words it)."""
    merged = {**keywords.get("responses", {})}
    for status, response in more.items():
        merged[status] = {**merged.get(status, {}), **response}
    return {**keywords, "responses": merged}


def may_conflict(keywords: dict[str, Any]) -> dict[str, Any]:
    """Route keywords that also document 409: the route's workflow writes rows that the store refuses
    when they contradict what is stored (accord.errors.Conflicting: a duplicate, a reference to
    something not registered, a second acknowledgement)."""
    return with_responses(keywords, documented(409))


# Anyone: the routes that take credentials (sign-in, a node's token) and refuse them with 401.
PUBLIC: dict[str, Any] = {"openapi_extra": {"x-accord-roles": ["public"]}, "responses": documented(400, 401)}
# Anyone, and nothing to refuse: liveness and readiness, for whoever runs the service.
PROBE: dict[str, Any] = {"openapi_extra": {"x-accord-roles": ["public"]}}
NODE = "agency-node"  # an agency node's machine client (OAuth2 client credentials), not a person


def _node(request: Request) -> NodeClient:
    # Its own read-only transaction, closed before the route goes on: an upload's bytes arrive, and
    # its workflow opens its own transactions, without the token check holding the store.
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    with session_scope(request.app.state.readers) as session:
        return client_of(session, token if scheme.lower() == "bearer" else None, now())


NodeDep = Annotated[NodeClient, Depends(_node)]
FOR_NODES: dict[str, Any] = {"openapi_extra": {"x-accord-roles": [NODE]},
                             "responses": documented(400, 401, 403, 404)}
