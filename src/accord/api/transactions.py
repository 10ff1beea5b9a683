"""For the workflows that open their own transactions (a cross-check run links between two of
them, so that no lock is held while it links): the opener, as a dependency alias. A route that
takes it must not use its `SessionDep` after it."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session, sessionmaker

from accord.api.deps import SessionDep
from accord.store.db import session_scope
from accord.workflows.hub_recovery import SessionOpener


class WriterGate:
    """The service's writers of one SQLite database, taking its one write lock in turn.

    SQLite lets a writer that finds the lock taken sleep and try again (1, 2, 5 ... then 100 ms at a
    time): with 40 threads waiting, the lock stood free between their tries while they slept, and the
    last of them waited seconds (a case request's p99 was 8 to 15 s under 50 clients). Waiting on a
    lock of the process instead hands the store to the next writer as soon as the last one commits.
    Other processes (the command line) still meet SQLite's own wait; a writer that has not had its
    turn within the store's busy wait goes on to SQLite's, which refuses it as before."""

    def __init__(self, sqlite: bool, busy_seconds: float) -> None:
        self._lock = threading.Lock() if sqlite else None
        self._busy_seconds = busy_seconds

    @contextmanager
    def writing(self, factory: sessionmaker[Session]) -> Iterator[Session]:
        held = self._lock is not None and self._lock.acquire(timeout=self._busy_seconds)
        try:
            with session_scope(factory) as session:
                yield session
        finally:
            if held and self._lock is not None:
                self._lock.release()


def _opener(request: Request, session: SessionDep) -> SessionOpener:
    # The request's own transaction (who is asking, checked by the route's guard) ends here: SQLite
    # has one writer, and the workflow's transactions must be able to write.
    session.commit()
    factory = request.app.state.sessions
    gate: WriterGate = request.app.state.writers
    return lambda: gate.writing(factory)


OpenerDep = Annotated[SessionOpener, Depends(_opener)]


def _reader(request: Request) -> SessionOpener:
    factory = request.app.state.readers
    return lambda: session_scope(factory)


# Transactions that write nothing (take no write lock on SQLite), for the same kind of workflow.
ReaderDep = Annotated[SessionOpener, Depends(_reader)]
