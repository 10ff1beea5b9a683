"""For the workflows that open their own transactions (a cross-check run links between two of
them, so that no lock is held while it links): the opener, as a dependency alias. A route that
takes it must not use its `SessionDep` after it."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from accord.api.deps import SessionDep
from accord.store.db import session_scope
from accord.workflows.hub_recovery import SessionOpener


def _opener(request: Request, session: SessionDep) -> SessionOpener:
    # The request's own transaction (who is asking, checked by the route's guard) ends here: SQLite
    # has one writer, and the workflow's transactions must be able to write.
    session.commit()
    factory = request.app.state.sessions
    return lambda: session_scope(factory)


OpenerDep = Annotated[SessionOpener, Depends(_opener)]


def _reader(request: Request) -> SessionOpener:
    factory = request.app.state.readers
    return lambda: session_scope(factory)


# Transactions that write nothing (take no write lock on SQLite), for the same kind of workflow.
ReaderDep = Annotated[SessionOpener, Depends(_reader)]
