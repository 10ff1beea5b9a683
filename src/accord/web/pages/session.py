"""Signing in and out on the pages, and the home page that sends each person to their work."""

from __future__ import annotations

import secrets
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from accord.api.deps import COOKIE, SessionDep, sign_in_time
from accord.api.routes.session import end_session
from accord.domain.agencies import Role
from accord.web.deps import ANYONE, PageUser, for_roles
from accord.web.i18n import N_
from accord.web.pages import menu
from accord.web.render import page
from accord.workflows.signin import SECOND_FACTOR, SignInRefused, sign_in

router = APIRouter()
EVERYONE = frozenset(Role)
MENU = [(EVERYONE, "/", N_("Home"))]
# Before there is a session there is no session's CSRF token: the sign-in form carries a one-time
# value also set as a cookie (double submit), so no other site can sign a person into its account.
FORM_COOKIE = "accord_signin"
# Every refusal says the same, in the person's language (accord.workflows.signin: nothing tells
# whether the account exists).
REFUSED = N_("The user name, password or code is wrong, or too many tries failed. Check them, or wait a "
             "few minutes and try again.")
EXPIRED = N_("The form had expired. Please sign in again.")


def _safe_next(target: str) -> str:
    """Only a path of this site: never another host (an open redirect), never the sign-in page itself."""
    return target if target.startswith("/") and not target.startswith(("//", "/\\", "/sign-in")) else "/"


@router.get("/sign-in", response_class=HTMLResponse, **ANYONE)
def sign_in_page(request: Request, next: str = "/") -> Response:  # noqa: A002 - the form's own name
    return _form(request, _safe_next(next))


def _form(request: Request, target: str, refused: str = "", status: int = 200) -> Response:
    value = secrets.token_urlsafe(24)
    response = page(request, "sign_in.html", status=status, next=target, form_value=value, refused=refused,
                    second_factor=sorted(r.value for r in SECOND_FACTOR))
    response.set_cookie(FORM_COOKIE, value, httponly=True, samesite="strict",
                        secure=request.app.state.secure_cookies, max_age=3600)
    return response


@router.post("/sign-in", **ANYONE)
def sign_in_form(request: Request, session: SessionDep, user: Annotated[str, Form()],
                 password: Annotated[str, Form()], form_value: Annotated[str, Form()],
                 code: Annotated[str, Form()] = "", next: Annotated[str, Form()] = "/") -> Response:  # noqa: A002
    target = _safe_next(next)
    if not secrets.compare_digest(form_value.encode(), request.cookies.get(FORM_COOKIE, "").encode()):
        return _form(request, target, EXPIRED, 400)
    at = sign_in_time(request)
    opened = sign_in(session, user.strip(), password, code.strip() or None, at)
    if isinstance(opened, SignInRefused):  # returned, so that the failure it counted is committed
        return _form(request, target, REFUSED, 401)
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(COOKIE, opened.token, httponly=True, samesite="strict",
                        secure=request.app.state.secure_cookies,
                        max_age=int((opened.expires_at - at).total_seconds()))
    response.delete_cookie(FORM_COOKIE)
    return response


@router.post("/sign-out", **for_roles())
def sign_out_form(request: Request, _: PageUser) -> Response:
    # A session opened through the identity provider goes on to the provider's logout, which sends the
    # browser back to the site's root (accord.api.oidc_provider).
    response = RedirectResponse(end_session(request) or "/sign-in", status_code=303)
    response.delete_cookie(COOKIE)
    return response


@router.get("/", response_class=HTMLResponse, **for_roles())
def home(request: Request, viewer: PageUser) -> Response:
    return page(request, "home.html", links=[m for m in menu(viewer.user.role) if m[0] != "/"])
