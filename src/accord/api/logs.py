"""One JSON line per request (structlog): timestamp, level, event "request", method, route template,
status and duration_ms, and for a problem its type and title and the error's class name. Never the
path, the query string, a body, a cookie or a header, nor a problem's detail: those carry values (a
record's or a study's id, a user name, a workflow's one line naming an object), and no log holds a
value. The lines go to the stream create_app is given; the same figures go to the observers (the
metrics)."""

from __future__ import annotations

import inspect
import json
import logging
import time
from collections.abc import Callable, Iterable, MutableMapping
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any, TextIO

import structlog
from fastapi import FastAPI, Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from structlog.typing import FilteringBoundLogger

from accord.api.problems import PROBLEM, TITLES, problem
from accord.api.route_templates import RouteTemplates, method_of

Observer = Callable[[str, str, int, float], None]  # method, route template, status, seconds

# The titles the service writes itself are constant words. Any other title (an HTTPException's
# detail, which a route or a library may fill with a value) is logged as its status's phrase.
KNOWN_TITLES = frozenset({*TITLES.values(), "Refused", "Invalid request", "Internal error", "Not ready",
                          *(s.phrase for s in HTTPStatus)})
PROBLEM_BYTES = 4096  # a problem is one short object; a longer body is not read for the log
_NOTE = "accord.request_log"  # the scope key of the request's outcome, for the exception handlers


@dataclass(slots=True)
class _Outcome:
    status: int = 500  # a request that fails before its response starts is answered with a 500
    started: bool = False
    error: str | None = None
    problem: bool = False
    body: bytearray = field(default_factory=bytearray)
    # The path as the request came, before a mounted app (the pages' static files) moves its prefix
    # into root_path.
    path: str = ""


def _leading(_: object, __: str, event: MutableMapping[str, Any]) -> dict[str, Any]:
    """When, how bad and what first, for a reader scanning the lines."""
    return {**{k: event[k] for k in ("timestamp", "level", "event") if k in event}, **event}


def json_logger(stream: TextIO) -> FilteringBoundLogger:
    """A logger of the app's own rather than structlog's global configuration, so that two apps in
    one process (tests, the benchmark) each write to their own stream."""
    logger: FilteringBoundLogger = structlog.wrap_logger(
        structlog.WriteLogger(stream),
        processors=[structlog.processors.add_log_level,
                    structlog.processors.TimeStamper(fmt="iso", utc=True, key="timestamp"),
                    _leading, structlog.processors.JSONRenderer()],
        wrapper_class=structlog.make_filtering_bound_logger(logging.INFO))
    return logger


def _is_problem(headers: Iterable[tuple[bytes, bytes]]) -> bool:
    return any(k.lower() == b"content-type" and v.startswith(PROBLEM.encode()) for k, v in headers)


def _problem_fields(outcome: _Outcome) -> dict[str, str]:
    try:
        body = json.loads(bytes(outcome.body))
    except ValueError:
        return {}
    if not isinstance(body, dict):
        return {}
    title = body.get("title")
    return {"problem_type": str(body.get("type", "about:blank")),
            "problem_title": title if title in KNOWN_TITLES else _phrase(outcome.status)}


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""


def _level(status: int) -> int:
    return logging.ERROR if status >= 500 else logging.WARNING if status >= 400 else logging.INFO


class RequestLog:
    """Pure ASGI middleware (Starlette's BaseHTTPMiddleware would hold streamed uploads in memory)."""

    def __init__(self, app: ASGIApp, log: FilteringBoundLogger, templates: RouteTemplates,
                 observers: tuple[Observer, ...]) -> None:
        self.app, self.log, self.templates, self.observers = app, log, templates, observers

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        outcome = scope[_NOTE] = _Outcome()
        root = scope.get("root_path", "")
        outcome.path = scope["path"][len(root):] if root and scope["path"].startswith(root) else scope["path"]

        async def sending(message: Message) -> None:
            if message["type"] == "http.response.start":
                outcome.status, outcome.started = message["status"], True
                outcome.problem = _is_problem(message.get("headers", ()))
            elif message["type"] == "http.response.body" and outcome.problem \
                    and len(outcome.body) < PROBLEM_BYTES:
                outcome.body += message.get("body", b"")
            await send(message)

        try:
            await self.app(scope, receive, sending)
        except Exception as err:
            outcome.error = type(err).__name__  # the class only: a message may carry a value
            if outcome.started:  # too late to answer: the server closes the connection
                raise
            # Answered here and not raised on: the middleware outside would answer it too, then
            # raise it to the server, whose error log prints the traceback with the message.
            await problem(500, "Internal error")(scope, receive, sending)
        finally:
            self._record(scope, outcome, time.perf_counter() - started)

    def _record(self, scope: Scope, outcome: _Outcome, seconds: float) -> None:
        method = method_of(scope["method"])
        route = self.templates.of(method, outcome.path)
        fields: dict[str, Any] = {"method": method, "route": route, "status": outcome.status,
                                  "duration_ms": round(seconds * 1000, 3)}
        if outcome.problem:
            fields |= _problem_fields(outcome)
        if outcome.error:
            fields["error"] = outcome.error
        self.log.log(_level(outcome.status), "request", **fields)
        for observe in self.observers:
            observe(method, route, outcome.status, seconds)


def _noting(handler: Callable[..., Any]) -> Callable[[Request, Exception], Any]:
    """`handler`, first noting the error's class name in the request's outcome."""
    async def noted(request: Request, err: Exception) -> Response:
        outcome = request.scope.get(_NOTE)
        if isinstance(outcome, _Outcome):
            outcome.error = type(err).__name__
        answer = handler(request, err)
        return await answer if inspect.isawaitable(answer) else answer  # type: ignore[no-any-return]

    return noted


def install(app: FastAPI, stream: TextIO, observers: Iterable[Observer] = ()) -> None:
    """Log every request of `app` to `stream`, and hand its figures to `observers`. Called once the
    exception handlers are installed: a handled error is a problem the middleware only sees as a
    response, so each handler notes its error's class on the way (the 500 handler need not: that
    error passes through the middleware)."""
    for key, handler in list(app.exception_handlers.items()):
        if key not in (500, Exception):
            app.exception_handlers[key] = _noting(handler)
    app.add_middleware(RequestLog, log=json_logger(stream), templates=RouteTemplates(app),
                       observers=tuple(observers))
