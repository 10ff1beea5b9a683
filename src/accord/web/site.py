"""The service with its pages: the JSON API (accord.api) and, beside it, the pages of
accord.web.pages, their static files and their own error pages. `accord serve` runs this."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from importlib import import_module
from typing import TextIO
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import RedirectResponse, Response
from fastapi.staticfiles import StaticFiles

from accord.api import create_app
from accord.api.deps import now
from accord.api.problems import invalid_request, refusal, status_of
from accord.api.route_templates import UNPUBLISHED
from accord.config import Settings
from accord.errors import AccordError
from accord.web.deps import SignInNeeded
from accord.web.i18n import HERE, N_
from accord.web.pages import PAGES
from accord.web.refusal_words import refused_for
from accord.web.render import page, translate

# The error pages' headings (the API's problem titles, in the viewer's language).
TITLES = {401: N_("Not signed in"), 403: N_("Not for you"), 404: N_("Not found"), 400: N_("Refused")}
NOT_PAGES = ("/api/", "/openapi.json", "/docs", "/redoc", "/metrics", "/health", "/ready", "/static/")


def _is_page(request: Request) -> bool:
    return not request.url.path.startswith(NOT_PAGES)


def _install_error_pages(app: FastAPI) -> None:
    """A page's refusal is a page (in the viewer's language), the API's stays problem details."""
    async def refused(request: Request, err: Exception) -> Response:
        assert isinstance(err, AccordError)
        if not _is_page(request):
            return refusal(err)
        status = status_of(err)
        title = translate(request, TITLES.get(status, TITLES[400]))
        return page(request, "error.html", status=status, title=title, detail=refused_for(request, err))

    async def invalid(request: Request, err: Exception) -> Response:
        assert isinstance(err, RequestValidationError)
        if not _is_page(request):
            return invalid_request(err)
        fields = sorted({str(e.get("loc", ("", ""))[-1]) for e in err.errors()})
        detail = translate(request, "These fields are missing or not valid:") + " " + ", ".join(fields)
        return page(request, "error.html", status=422, title=translate(request, "Please check the form"),
                    detail=detail)

    async def sign_in_first(request: Request, _: Exception) -> Response:
        back = request.url.path if request.method == "GET" else "/"
        return RedirectResponse(f"/sign-in?next={quote(back)}", status_code=303)

    app.add_exception_handler(AccordError, refused)
    app.add_exception_handler(RequestValidationError, invalid)
    app.add_exception_handler(SignInNeeded, sign_in_first)


def create_site(settings: Settings, secure_cookies: bool = True, log_stream: TextIO | None = None,
                clock: Callable[[], datetime] = now) -> FastAPI:
    """The JSON API (as accord.api.create_app makes it, with its sign-in `clock`) and the pages over the
    same store."""
    app = create_app(settings, secure_cookies=secure_cookies, log_stream=log_stream, clock=clock)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    routers = [import_module(f"accord.web.pages.{name}").router for name in PAGES]
    for router in routers:
        app.include_router(router)
    # Named in the logs and metrics by their templates, like the API's routes (accord.api.route_templates).
    setattr(app.state, UNPUBLISHED, [route for router in routers for route in router.routes])
    _install_error_pages(app)
    return app
