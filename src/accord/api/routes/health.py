"""Liveness and readiness, for whoever runs the service."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

from accord.api.deps import PROBE
from accord.api.problems import documented
from accord.api.schemas import Status
from accord.store.migrate import current_revision, head_revision

router = APIRouter(tags=["health"])


@router.get("/health", response_model=Status, **PROBE)
def health() -> dict[str, str]:
    """The service answers (liveness)."""
    return {"status": "ok"}


@router.get("/ready", response_model=Status, responses=documented(503), **PROBE)
def ready(request: Request) -> Any:
    """The store is at the schema this service needs (readiness); else 503."""
    from accord.api.problems import problem

    if current_revision(request.app.state.engine) != head_revision():
        return problem(503, "Not ready", "the database is not at the schema this service needs (accord init)")
    return {"status": "ready"}
