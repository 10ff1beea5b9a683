"""Liveness and readiness, for whoever runs the service."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

from accord.api.deps import PUBLIC
from accord.store.migrate import current_revision, head_revision

router = APIRouter(tags=["health"])


@router.get("/health", **PUBLIC)
def health() -> dict[str, str]:
    return {"status": "ok"}


@router.get("/ready", **PUBLIC)
def ready(request: Request) -> Any:
    from accord.api.problems import problem

    if current_revision(request.app.state.engine) != head_revision():
        return problem(503, "Not ready", "the database is not at the schema this service needs (accord init)")
    return {"status": "ready"}
