"""A page from its template, in the viewer's language, with what every page shows (who is signed in,
the CSRF token for its forms, the language switch)."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse

from accord.web import i18n
from accord.web.deps import language
from accord.web.pages import menu


def page(request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
    lang = language(request)
    viewer = getattr(request.state, "viewer", None)
    html = i18n.environment(lang).get_template(template).render(
        request=request, viewer=viewer, user=viewer.user if viewer else None,
        csrf=viewer.csrf if viewer else "", lang=lang, languages=i18n.LANGUAGES,
        nav=menu(viewer.user.role) if viewer else [], **context)
    response = HTMLResponse(html, status_code=status)
    if request.query_params.get("lang") in i18n.LANGUAGES:
        response.set_cookie(i18n.COOKIE, lang, httponly=True, samesite="lax", max_age=365 * 86400)
    return response


def translate(request: Request, message: str) -> str:
    """`message` in the viewer's language (marked for the catalogs as `translate(request, "...")`)."""
    return i18n.gettext(language(request), message)
