"""A request's route template (`/api/v1/studies/{study_id}/queries`), never its path: what the logs
and the metrics name a request by. The templates are the published route table's, read once, so the
set of names is fixed when the service starts and no caller can add one to it (a path that matches
no route is `UNMATCHED`): a path's values never reach a log line or a metric label."""

from __future__ import annotations

import re

from fastapi import FastAPI
from starlette.routing import Mount, Route, compile_path

UNMATCHED = "(unmatched)"
# The app's state attribute listing routes served but not published in the schema (the pages).
UNPUBLISHED = "unpublished_routes"
# Methods named as sent; any other word a client invents is one label, not a new one per word.
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
OTHER_METHOD = "OTHER"

Entry = tuple[re.Pattern[str], frozenset[str], str]


def method_of(raw: str) -> str:
    return raw if raw in METHODS else OTHER_METHOD


class RouteTemplates:
    """The template a request's method and path are routed to, matched in the router's order (the
    first route whose pattern matches, preferring one that serves the method, as Starlette does)."""

    def __init__(self, app: FastAPI) -> None:
        self._app = app
        self._table: list[Entry] | None = None

    def _build(self) -> list[Entry]:
        # The published schema holds every operation with its full path (prefixes included); the
        # schema's own and the docs' routes are the app's top-level routes outside it, and routes kept
        # out of the schema (the pages, accord.web) are listed by whoever added them.
        paths = self._app.openapi()["paths"]
        table = [(compile_path(p)[0], frozenset(m.upper() for m in ops), p) for p, ops in paths.items()]
        for route in [*self._app.routes, *getattr(self._app.state, UNPUBLISHED, ())]:
            if isinstance(route, Route) and route.path not in paths:
                table.append((route.path_regex, frozenset(route.methods or METHODS), route.path))
            elif isinstance(route, Mount):  # static files: one name for all of them
                table.append((route.path_regex, METHODS, f"{route.path}/{{path}}"))
        return table

    def of(self, method: str, path: str) -> str:
        if self._table is None:  # on the first request: every route is included by then
            self._table = self._build()
        wanted = "GET" if method == "HEAD" else method  # Starlette serves HEAD with a GET route
        matching = [(methods, template) for pattern, methods, template in self._table if pattern.match(path)]
        for methods, template in matching:
            if wanted in methods or method in methods:
                return template
        return matching[0][1] if matching else UNMATCHED
