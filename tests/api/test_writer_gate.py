"""The service's writers of a SQLite store take its write lock in turn (accord.api.transactions.WriterGate).
SQLite's own wait is set to nothing here, so that a writer who meets the lock is refused at once: one
writer holds the lock while a second begins; without the gate the second is refused ("database is
locked"), with it the second waits its turn and both commit."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from accord.api.transactions import WriterGate
from accord.store.db import make_engine, make_session_factory, session_scope

Opener = Callable[[], AbstractContextManager[Session]]


def _second_writer_while_the_first_holds(tmp_path: Path, gate: WriterGate | None) -> tuple[list[str], int]:
    engine = make_engine(f"sqlite:///{tmp_path / 'gate.db'}", busy_seconds=0)
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE t (writer TEXT)"))
    factory = make_session_factory(engine)
    opener: Opener = (lambda: gate.writing(factory)) if gate is not None else (lambda: session_scope(factory))
    first_holds, second_begins = threading.Event(), threading.Event()
    refused: list[str] = []

    def first() -> None:
        with opener() as session:
            session.execute(text("INSERT INTO t VALUES ('first')"))
            first_holds.set()
            second_begins.wait(5)
            time.sleep(0.3)  # the second is waiting (or was refused) by now

    def second() -> None:
        first_holds.wait(5)
        second_begins.set()
        try:
            with opener() as session:
                session.execute(text("INSERT INTO t VALUES ('second')"))
        except OperationalError as err:
            refused.append(str(err.orig))

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    with engine.connect() as conn:
        stored = int(conn.execute(text("SELECT count(*) FROM t")).scalar_one())
    engine.dispose()
    return refused, stored


def test_without_the_gate_the_second_writer_is_refused(tmp_path: Path) -> None:
    refused, stored = _second_writer_while_the_first_holds(tmp_path, None)
    assert refused and "locked" in refused[0] and stored == 1


def test_with_the_gate_the_second_writer_waits_its_turn(tmp_path: Path) -> None:
    refused, stored = _second_writer_while_the_first_holds(tmp_path, WriterGate(sqlite=True, busy_seconds=10))
    assert refused == [] and stored == 2
