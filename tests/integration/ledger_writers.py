"""Ledger writers for the concurrency tests: importable targets for threads and for
processes started with the "spawn" method (which must find the function by module name)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine

from accord.ledger.entries import Draft, EntryKind
from accord.store.db import make_engine, make_session_factory, session_scope
from accord.store.repositories import ledger as ledger_repo


def draft(writer: int, n: int) -> Draft:
    """Synthetic entry number `n` of `writer`: no names, only counters."""
    return Draft(EntryKind.DISCLOSURE_DECISION, {"n": n, "writer": writer},
                 student_id=f"stu-{writer:02d}{n:04d}")


def append_many(engine: Engine, writer: int, count: int) -> list[int]:
    """`count` appends, each in its own transaction; the seq each one got."""
    factory = make_session_factory(engine)
    seqs = []
    for n in range(count):
        with session_scope(factory) as s:
            seqs.append(ledger_repo.append(s, draft(writer, n)).seq)
    return seqs


def process_writer(url: str, writer: int, count: int, start: Any, results: Any) -> None:
    """A process's whole life: its own engine, wait for the others, append, report.

    Failures are reported, not only raised, so the parent can show what went wrong."""
    engine = make_engine(url)
    try:
        start.wait(timeout=120)
        results.put((writer, append_many(engine, writer, count), None))
    except BaseException as err:
        results.put((writer, [], f"{type(err).__name__}: {err}"))
        raise
    finally:
        engine.dispose()
