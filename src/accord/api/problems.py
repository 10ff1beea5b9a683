"""One error shape (RFC 9457 problem details), mapped from the project's error base: a workflow's
refusal is a 4xx with its one-line message; anything else is a 500 that says nothing of itself."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from accord.errors import AccordError
from accord.workflows.machine_clients import ClientRefused
from accord.workflows.signin import NotSignedIn, SignInRefused

PROBLEM = "application/problem+json"
TITLES = {401: "Not signed in", 403: "Forbidden", 404: "Not found"}
_LOG = logging.getLogger("accord.api")


def problem(status: int, title: str, detail: str = "") -> JSONResponse:
    body = {"type": "about:blank", "title": title, "status": status}
    if detail:
        body["detail"] = detail
    return JSONResponse(body, status_code=status, media_type=PROBLEM)


def _status(err: AccordError) -> int:
    if isinstance(err, NotSignedIn | SignInRefused | ClientRefused):
        return 401
    if isinstance(err, PermissionError):
        return 403
    if isinstance(err, LookupError):
        return 404
    return 400


def install(app: FastAPI) -> None:
    @app.exception_handler(AccordError)
    async def refused(_: Request, err: AccordError) -> JSONResponse:
        status = _status(err)
        return problem(status, TITLES.get(status, "Refused"), str(err))

    @app.exception_handler(HTTPException)
    async def http(_: Request, err: HTTPException) -> JSONResponse:
        return problem(err.status_code, str(err.detail))

    @app.exception_handler(RequestValidationError)
    async def invalid(_: Request, err: RequestValidationError) -> JSONResponse:
        where = "; ".join(".".join(str(p) for p in e.get("loc", ())) + ": " + str(e.get("msg", ""))
                          for e in err.errors())  # field names and messages, never the values sent
        return problem(422, "Invalid request", where)

    @app.exception_handler(Exception)
    async def crashed(_: Request, err: Exception) -> JSONResponse:
        _LOG.error("unhandled %s", type(err).__name__)  # the type only: a message may carry a value
        return problem(500, "Internal error")
