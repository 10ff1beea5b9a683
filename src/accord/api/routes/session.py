"""Signing in and out: a session cookie (HttpOnly, SameSite=Strict, Secure unless the service runs
for local testing) and the session's CSRF token in the response body."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel

from accord.api.deps import COOKIE, PUBLIC, CurrentUser, SessionDep, guarded, now, with_responses
from accord.api.problems import TITLES, problem
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


@router.post("", response_model=SignedIn,
             **with_responses(PUBLIC, {401: {"description": "Refused (the same words whatever was wrong)"}}))
def open_session(body: SignIn, response: Response, session: SessionDep, request: Request) -> Any:
    """Sign in with a password (and a TOTP code where the role needs one): a session cookie and CSRF token."""
    opened = sign_in(session, body.user, body.password, body.code, now())
    if isinstance(opened, SignInRefused):  # returned, so that the failure it counted is committed
        return problem(401, TITLES[401], str(opened))
    response.set_cookie(COOKIE, opened.token, httponly=True, samesite="strict",
                        secure=request.app.state.secure_cookies,
                        max_age=int((opened.expires_at - now()).total_seconds()))
    return SignedIn(user=opened.user.id, agency=opened.user.agency_id, role=opened.user.role.value,
                    csrf=opened.csrf)


@router.delete("", status_code=204, **guarded())
def close_session(request: Request, response: Response, session: SessionDep, _: CurrentUser) -> None:
    """Sign out: the session ends at once."""
    sign_out(session, request.cookies.get(COOKIE))
    response.delete_cookie(COOKIE)
