"""Signing in and out: a session cookie (HttpOnly, SameSite=Strict, Secure unless the service runs
for local testing) and the session's CSRF token in the response body. Signing out of a session opened
through the identity provider also tells where the provider's own logout is, when it publishes one."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from accord.api.deps import COOKIE, PUBLIC, CurrentUser, SessionDep, guarded, sign_in_time, with_responses
from accord.api.oidc_provider import provider_sign_out
from accord.api.problems import TITLES, problem
from accord.store.db import session_scope
from accord.workflows.signin import SignInRefused, sign_in, sign_out

router = APIRouter(prefix="/session", tags=["session"])


class SignIn(BaseModel):
    user: str
    password: str
    code: str | None = None


class SignedIn(BaseModel):
    user: str
    agency: str
    role: str
    csrf: str


class SignedOut(BaseModel):
    end_session_url: str = Field(description="The identity provider's logout, with this session's ID token "
                                 "as id_token_hint: send the browser there to sign out at the provider too")


@router.post("", response_model=SignedIn,
             **with_responses(PUBLIC, {401: {"description": "Refused (the same words whatever was wrong)"}}))
def open_session(body: SignIn, response: Response, session: SessionDep, request: Request) -> Any:
    """Sign in with a password (and a TOTP code where the role needs one): a session cookie and CSRF token."""
    at = sign_in_time(request)
    opened = sign_in(session, body.user, body.password, body.code, at)
    if isinstance(opened, SignInRefused):  # returned, so that the failure it counted is committed
        return problem(401, TITLES[401], str(opened))
    response.set_cookie(COOKIE, opened.token, httponly=True, samesite="strict",
                        secure=request.app.state.secure_cookies,
                        max_age=int((opened.expires_at - at).total_seconds()))
    return SignedIn(user=opened.user.id, agency=opened.user.agency_id, role=opened.user.role.value,
                    csrf=opened.csrf)


def end_session(request: Request) -> str | None:
    """End the request's session (committed before anything else); the provider's logout URL when the
    session was opened through the provider and it publishes one. No transaction is open while the
    provider is asked."""
    with session_scope(request.app.state.sessions) as session:
        id_token = sign_out(session, request.cookies.get(COOKIE))
    return provider_sign_out(request.app.state.settings, id_token)


@router.delete("", status_code=204, response_model=None, **with_responses(guarded(), {200: {
    "model": SignedOut, "description": "Signed out here; the session was opened through the identity "
    "provider, whose own logout is at `end_session_url`"}}))
def close_session(request: Request, _: CurrentUser) -> Response:
    """Sign out: the session ends at once (and, opened through the identity provider, where its logout is)."""
    at_provider = end_session(request)
    response: Response = (JSONResponse(SignedOut(end_session_url=at_provider).model_dump())
                          if at_provider else Response(status_code=204))
    response.delete_cookie(COOKIE)
    return response
