"""Who is looking at a page, as a dependency alias like the API's (`PageUser`), and who may (`for_roles`).

A page is signed in with the API's own session cookie: one sign-in, one session store, one lockout.
A form post proves it came from Accord's own page by the session's CSRF token in a hidden field
(`csrf_token`), where the JSON API takes it in a header. Someone not signed in is sent to the
sign-in page (`SignInNeeded`, turned into a redirect by accord.web.site)."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Request
from starlette.concurrency import run_in_threadpool

from accord.api.deps import COOKIE, SAFE, Forbidden, now
from accord.domain.agencies import Role, User
from accord.store.db import session_scope
from accord.web import i18n
from accord.workflows.signin import NotSignedIn, signed_in

CSRF_FIELD = "csrf_token"


class SignInNeeded(Exception):
    """Not signed in (or the session ended): the page sends the person to sign in, then back."""


@dataclass(frozen=True, slots=True)
class Viewer:
    user: User
    csrf: str


def language(request: Request) -> str:
    return i18n.chosen(request.query_params.get("lang"), request.cookies.get(i18n.COOKIE),
                       request.headers.get("accept-language", ""))


def _lookup(request: Request) -> tuple[User, str]:
    with session_scope(request.app.state.readers) as session:
        return signed_in(session, request.cookies.get(COOKIE), now())


async def _viewer(request: Request) -> Viewer:
    try:
        user, csrf = await run_in_threadpool(_lookup, request)
    except NotSignedIn as err:
        raise SignInNeeded from err
    if request.method not in SAFE:
        form = await request.form()  # parsed once: the route's own Form() fields read the same
        sent = form.get(CSRF_FIELD)
        if not isinstance(sent, str) or not secrets.compare_digest(sent.encode(), csrf.encode()):
            raise NotSignedIn("the form is out of date or did not come from Accord's page: open it again"
                              ).coded("form_out_of_date")
    request.state.viewer = Viewer(user, csrf)
    return request.state.viewer  # type: ignore[no-any-return]


PageUser = Annotated[Viewer, Depends(_viewer)]


def for_roles(*roles: Role) -> dict[str, Any]:
    """Route keywords: a page (or form) for signed-in people of `roles` only; kept out of the API's schema."""
    allowed = frozenset(roles)

    def check(viewer: PageUser) -> None:
        if allowed and viewer.user.role not in allowed:
            raise Forbidden("this page is for another role").coded("page_for_another_role")

    # The roles stay on the route (not published: pages are not in the API's schema), so that the
    # page x role test reads them as the API's test reads x-accord-roles.
    names = sorted(r.value for r in allowed) or ["signed-in"]
    return {"dependencies": [Depends(check)], "include_in_schema": False,
            "openapi_extra": {"x-accord-roles": names}}


ANYONE: dict[str, Any] = {"include_in_schema": False, "openapi_extra": {"x-accord-roles": ["public"]}}
