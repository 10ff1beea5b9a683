"""Prometheus metrics at /metrics (text exposition): requests counted and timed by method, route
template and status.

Who may read it: anyone who reaches the service (`PROBE`: public, nothing to refuse), like /health.
What it holds is operational: how many requests each route template served with each status, and
how long they took. It names no person, no object and no path value (labels are the route table's
templates, a fixed set of methods and the status codes, so no caller can add a label value), and a
scraper holds no person's session.
What it does tell an outsider is the service's traffic by route (how many case requests, how many
refused sign-ins, how fast): nothing of a person, the kind of figure a status page shows. A deployment
that wants it private keeps /metrics off its public address at the proxy, as it may /health.

Each app has its own registry (not prometheus_client's global one): several apps in one process
(tests, the benchmark) count apart, and a process's registry holds only the service's series."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import PlainTextResponse
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, generate_latest

from accord.api.deps import PROBE

router = APIRouter(tags=["metrics"])
LABELS = ("method", "route", "status")
# Seconds: from a cached GET (milliseconds) to a case request on a busy store (up to seconds).
BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)


class Metrics:
    """The service's instruments, in a registry of their own."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self._requests = Counter("accord_http_requests", "Requests served, by method, route template "
                                 "and status", LABELS, registry=self.registry)
        self._seconds = Histogram("accord_http_request_duration_seconds", "Time to serve a request, by "
                                  "method, route template and status", LABELS, registry=self.registry,
                                  buckets=BUCKETS)

    def observe(self, method: str, route: str, status: int, seconds: float) -> None:
        self._requests.labels(method, route, str(status)).inc()
        self._seconds.labels(method, route, str(status)).observe(seconds)


@router.get("/metrics", response_class=PlainTextResponse, **PROBE)
def metrics(request: Request) -> PlainTextResponse:
    """Request counts and times by method, route template and status (Prometheus text)."""
    registry: CollectorRegistry = request.app.state.metrics.registry
    return PlainTextResponse(generate_latest(registry), media_type=CONTENT_TYPE_LATEST)
