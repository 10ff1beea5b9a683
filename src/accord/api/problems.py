"""One error shape (RFC 9457 problem details), mapped from the project's error base: a workflow's
refusal is a 4xx with its one-line message; anything else is a 500 that says nothing of itself.
FastAPI's own validation errors come out in the same shape (422), and the published schema says so:
every error response of every operation is `application/problem+json` with `ProblemDetails`."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException

from accord.errors import AccordError, Conflicting
from accord.workflows.machine_clients import ClientRefused
from accord.workflows.signin import NotSignedIn, SignInRefused

PROBLEM = "application/problem+json"
TITLES = {401: "Not signed in", 403: "Forbidden", 404: "Not found", 409: "Conflict"}
_LOG = logging.getLogger("accord.api")


class ProblemDetails(BaseModel):
    """RFC 9457 problem details: the body of every error response."""

    type: str = Field("about:blank", description="always about:blank: the status says what kind")
    title: str = Field(description="the status's short name, e.g. Not signed in, Refused, Invalid request")
    status: int = Field(description="the HTTP status code, as sent")
    detail: str | None = Field(None, description="one line for the caller: which rule, field or object, "
                               "never a person's value (absent when there is nothing more to say)")


# What each error status means in this service, as published for every operation that can answer it.
ERRORS = {
    400: "Refused: a rule of the workflow says no, or the body could not be read (the detail says which)",
    401: "Not signed in (no session, an expired one, or a state-changing request without the session's "
         "X-CSRF-Token header), or no valid token or credentials",
    403: "Forbidden: not in a role this route serves, or not the one this object or agency is for",
    404: "Not found: no such object, or none the caller may see",
    409: "Conflict: the change contradicts what is stored (a duplicate, a reference to something not "
         "registered, a second acknowledgement; the detail says which)",
    422: "Invalid request: a parameter or body field does not fit this schema (the detail names the "
         "fields, never the values sent)",
    503: "Not ready: the database is not at the schema this service needs (accord init)",
}
_REF = {"$ref": "#/components/schemas/ProblemDetails"}


def documented(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """A route's `responses=` for these error statuses, each a ProblemDetails."""
    return {status: {"description": ERRORS[status], "content": {PROBLEM: {"schema": dict(_REF)}}}
            for status in statuses}


def _published(schema: dict[str, Any]) -> dict[str, Any]:
    """The schema FastAPI generated, made to say what the handlers below send: ProblemDetails for
    every error status, FastAPI's validation errors (HTTPValidationError) included."""
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    components["ProblemDetails"] = ProblemDetails.model_json_schema()
    for item in schema.get("paths", {}).values():
        for operation in item.values():
            if not isinstance(operation, dict):
                continue  # a path item's shared `parameters`, not an operation
            for status, response in operation.get("responses", {}).items():
                if status[0] in "45":
                    response["content"] = {PROBLEM: {"schema": dict(_REF)}}
                    if status == "422":
                        response["description"] = ERRORS[422]
    if "HTTPValidationError" not in json.dumps(schema.get("paths", {})):
        components.pop("HTTPValidationError", None)
        components.pop("ValidationError", None)
    return schema


def problem(status: int, title: str, detail: str = "") -> JSONResponse:
    body = {"type": "about:blank", "title": title, "status": status}
    if detail:
        body["detail"] = detail
    return JSONResponse(body, status_code=status, media_type=PROBLEM)


def status_of(err: AccordError) -> int:
    if isinstance(err, NotSignedIn | SignInRefused | ClientRefused):
        return 401
    if isinstance(err, PermissionError):
        return 403
    if isinstance(err, LookupError):
        return 404
    if isinstance(err, Conflicting):
        return 409
    return 400


def refusal(err: AccordError) -> JSONResponse:
    """A workflow's refusal as problem details."""
    status = status_of(err)
    return problem(status, TITLES.get(status, "Refused"), str(err))


def invalid_request(err: RequestValidationError) -> JSONResponse:
    where = "; ".join(".".join(str(p) for p in e.get("loc", ())) + ": " + str(e.get("msg", ""))
                      for e in err.errors())  # field names and messages, never the values sent
    return problem(422, "Invalid request", where)


def install(app: FastAPI) -> None:
    @app.exception_handler(AccordError)
    async def refused(_: Request, err: AccordError) -> JSONResponse:
        return refusal(err)

    @app.exception_handler(HTTPException)
    async def http(_: Request, err: HTTPException) -> JSONResponse:
        return problem(err.status_code, str(err.detail))

    @app.exception_handler(RequestValidationError)
    async def invalid(_: Request, err: RequestValidationError) -> JSONResponse:
        return invalid_request(err)

    @app.exception_handler(Exception)
    async def crashed(_: Request, err: Exception) -> JSONResponse:
        _LOG.error("unhandled %s", type(err).__name__)  # the type only: a message may carry a value
        return problem(500, "Internal error")

    generated: Callable[[], dict[str, Any]] = app.openapi

    def openapi() -> dict[str, Any]:
        return _published(generated())

    app.openapi = openapi  # type: ignore[method-assign]
