"""The service's application: one factory, given the settings the face read (`accord serve`)."""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Callable
from datetime import datetime
from importlib import import_module
from typing import TextIO

from fastapi import APIRouter, FastAPI

from accord import __version__
from accord.api import logs, problems
from accord.api.deps import now
from accord.api.routes import AT_ROOT, ROUTES
from accord.api.routes.metrics import Metrics
from accord.api.transactions import WriterGate
from accord.config import Settings
from accord.store.db import make_engine, make_session_factory

API = "/api/v1"


# FastAPI runs synchronous routes and dependencies on anyio's pool of 40 threads; with fewer
# connections than threads, requests holding a thread wait for a connection that a request waiting
# for a thread holds (measured: 30 s pool timeouts under 50 clients).
THREADS = 40


def _pool(settings: Settings) -> dict[str, int]:
    """Connections for every thread; an in-memory SQLite database has its own pool, left alone."""
    memory = settings.database_url in ("sqlite://", "sqlite:///:memory:")
    return {} if memory else {"pool_size": THREADS, "max_overflow": 0}


def create_app(settings: Settings, secure_cookies: bool = True, log_stream: TextIO | None = None,
               clock: Callable[[], datetime] = now) -> FastAPI:
    """The API over the configured store. `secure_cookies` False only for local testing over http.
    One JSON line per request goes to `log_stream` (standard output unless given; accord.api.logs),
    and its counts and times to the app's metrics (/metrics). `clock` is the time a sign-in is checked
    at (deps.sign_in_time): the wall clock's; a test's authenticator may move it a step ahead rather
    than wait half a minute for a code not yet used."""
    app = FastAPI(title="Accord", version=__version__, openapi_url="/openapi.json",
                  description="Student-record sharing under agreements, consent and the ledger.")
    engine = make_engine(settings.database_url, busy_seconds=settings.busy_seconds, **_pool(settings))
    app.state.settings, app.state.engine = settings, engine
    app.state.sessions = make_session_factory(engine)
    app.state.readers = make_session_factory(engine, read_only=True)
    app.state.writers = WriterGate(engine.dialect.name == "sqlite", settings.busy_seconds)
    # Searches for a child are CPU-bound linkage: as many at once as there are cores, the rest wait.
    app.state.searches = threading.BoundedSemaphore(os.cpu_count() or 1)
    app.state.secure_cookies = secure_cookies
    app.state.clock = clock
    app.state.metrics = Metrics()
    problems.install(app)
    for name in AT_ROOT:
        app.include_router(import_module(f"accord.api.routes.{name}").router)
    api = APIRouter(prefix=API)
    for name in ROUTES:
        api.include_router(import_module(f"accord.api.routes.{name}").router)
    app.include_router(api)
    logs.install(app, log_stream or sys.stdout, [app.state.metrics.observe])
    return app
