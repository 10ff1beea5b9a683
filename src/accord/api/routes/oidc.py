"""Signing in through the agency's OpenID Connect provider (issue 20; off unless ACCORD_OIDC_ISSUER,
_CLIENT_ID and _REDIRECT_URL are set: then each route answers 404).

`GET /session/oidc` sends the browser to the provider (the code flow with PKCE), with the trip's
state in a short-lived cookie of its own (HttpOnly, SameSite=Lax, as the provider's redirect back is
a cross-site navigation; its path this route's) and the nonce and PKCE verifier kept at the service.
`GET /session/oidc/callback` takes the trip back (once: a state never works twice), exchanges the
code, checks the ID token (accord.api.oidc_provider) and opens the session of the user linked to
its (issuer, subject), with the cookie and the CSRF token a password sign-in gives. Records officers
and administrators whose ID token does not say `mfa` in `amr` get 202 and owe the TOTP code at
`POST /session/oidc/code`. Every refusal of the callback is the same 401 line, whatever was wrong
(no trip, another state, a provider's error, a bad token, no link), naming no one; nothing of the
person or the token is logged (the request log never has a query string). Signing out (`DELETE
/session`, the pages' sign-out) ends the session here and points to the provider's logout with the
session's ID token (accord.api.routes.session). Trips, tickets and sessions go by the sign-in clock
(accord.api.deps.sign_in_time)."""

from __future__ import annotations

import hmac
from datetime import datetime
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from pydantic import BaseModel

from accord.api.deps import COOKIE, PUBLIC, sign_in_time
from accord.api.oidc_provider import Provider, ProviderRefused, ProviderUnavailable
from accord.api.problems import TITLES, problem
from accord.api.routes.session import SignedIn
from accord.config import Settings
from accord.store.db import session_scope
from accord.workflows.oidc import (
    CODE_MINUTES,
    TRIP_MINUTES,
    CodeOwed,
    OidcBusy,
    begin,
    returned,
    second_factor,
    vouched,
)
from accord.workflows.signin import Opened, SignInRefused

router = APIRouter(prefix="/session/oidc", tags=["session"])
TRIP_COOKIE = "accord_oidc"  # the trip's state, then the second-factor ticket; never a session
REFUSED = "sign-in through the identity provider was refused: start again"
OFF = "sign-in through an identity provider is not set up on this service"


class Code(BaseModel):
    code: str


class CodeOwedBody(BaseModel):
    second_factor: str = "required"
    detail: str = (f"send the code from the authenticator app to POST /api/v1/session/oidc/code within "
                   f"{CODE_MINUTES} minutes")


def _public(more: dict[int | str, dict[str, Any]]) -> dict[str, Any]:
    """PUBLIC's route keywords with these responses too (the problems' shape is the schema's own)."""
    return {**PUBLIC, "responses": {**PUBLIC.get("responses", {}), **more}}


NOT_SET_UP: dict[int | str, dict[str, Any]] = {
    404: {"description": "Sign-in through an identity provider is not set up here"}}


def _on(request: Request) -> Settings | None:
    settings: Settings = request.app.state.settings
    return settings if settings.oidc_on else None


def _cookie_path(request: Request) -> str:
    """The path of the start route, under which the callback and the code route are."""
    return str(request.url_for("oidc_start").path)


def _trip_cookie(request: Request, response: Response, value: str | None, minutes: int = 0) -> None:
    path = _cookie_path(request)
    if value is None:
        response.delete_cookie(TRIP_COOKIE, path=path, httponly=True, samesite="lax",
                               secure=request.app.state.secure_cookies)
        return
    response.set_cookie(TRIP_COOKIE, value, max_age=minutes * 60, path=path, httponly=True, samesite="lax",
                        secure=request.app.state.secure_cookies)


def _signed_in(request: Request, opened: Opened, at: datetime) -> JSONResponse:
    """The answer of a sign-in at `at`: the session cookie as the password sign-in sets it, the CSRF token."""
    body = SignedIn(user=opened.user.id, agency=opened.user.agency_id, role=opened.user.role.value,
                    csrf=opened.csrf)
    response = JSONResponse(body.model_dump())
    response.set_cookie(COOKIE, opened.token, httponly=True, samesite="strict",
                        secure=request.app.state.secure_cookies,
                        max_age=int((opened.expires_at - at).total_seconds()))
    _trip_cookie(request, response, None)
    return response


def _refused(request: Request, detail: str = REFUSED) -> JSONResponse:
    response = problem(401, TITLES[401], detail)
    _trip_cookie(request, response, None)
    return response


@router.get("", name="oidc_start", status_code=302, response_class=RedirectResponse,
            **_public({302: {"description": "To the identity provider"}, **NOT_SET_UP,
                       503: {"description": "The identity provider did not answer, or too many sign-ins "
                             "through it are under way"}}))
def start(request: Request) -> Any:
    """Sign in through the agency's identity provider: to it, with PKCE, state and nonce."""
    settings = _on(request)
    if settings is None:
        return problem(404, TITLES[404], OFF)
    provider = Provider(settings)
    try:
        meta = provider.metadata()
        with session_scope(request.app.state.sessions) as session:  # committed before the redirect
            trip = begin(session, sign_in_time(request))
    except (ProviderUnavailable, OidcBusy) as err:
        return problem(503, "Not ready", str(err))
    response = RedirectResponse(provider.authorization_url(meta, trip.state, trip.nonce, trip.code_verifier),
                                status_code=302)
    _trip_cookie(request, response, trip.state, TRIP_MINUTES)
    return response


@router.get("/callback", response_model=SignedIn, **_public({
    202: {"model": CodeOwedBody, "description": "The provider did no multi-factor authentication for a "
          "role that needs it: the TOTP code is owed"},
    401: {"description": "Refused (the same words whatever was wrong)"}, **NOT_SET_UP}))
def callback(request: Request, code: str | None = None, state: str | None = None) -> Any:
    """Back from the provider: the ID token checked, the linked user signed in (or their TOTP code owed)."""
    settings = _on(request)
    if settings is None:
        return problem(404, TITLES[404], OFF)
    with session_scope(request.app.state.sessions) as session:  # the trip is gone, whatever comes next
        trip = returned(session, request.cookies.get(TRIP_COOKIE), sign_in_time(request))
    if trip is None or not code or not state or not hmac.compare_digest(state.encode(), trip.state.encode()):
        return _refused(request)
    try:  # no transaction is open while the provider is asked
        identity = Provider(settings).identity(code, trip.nonce, trip.code_verifier)
    except ProviderRefused:
        return _refused(request)
    at = sign_in_time(request)
    with session_scope(request.app.state.sessions) as session:
        outcome = vouched(session, identity.issuer, identity.subject, identity.amr, at, identity.id_token)
    if isinstance(outcome, SignInRefused):
        return _refused(request)
    if isinstance(outcome, CodeOwed):
        response = JSONResponse(CodeOwedBody().model_dump(), status_code=202)
        _trip_cookie(request, response, outcome.ticket, CODE_MINUTES)
        return response
    return _signed_in(request, outcome, at)


@router.post("/code", response_model=SignedIn, **_public({
    401: {"description": "Refused (the same words as the password sign-in's)"}, **NOT_SET_UP}))
def owed_code(body: Code, request: Request) -> Any:
    """The TOTP code a records officer or administrator owes after the provider's sign-in."""
    if _on(request) is None:
        return problem(404, TITLES[404], OFF)
    at = sign_in_time(request)
    with session_scope(request.app.state.sessions) as session:  # a wrong code's count commits
        outcome = second_factor(session, request.cookies.get(TRIP_COOKIE), body.code, at)
    if isinstance(outcome, SignInRefused):
        return _refused(request, str(outcome))
    return _signed_in(request, outcome, at)
