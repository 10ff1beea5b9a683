"""Concurrent writers never fork, gap or lose the ledger, on SQLite and on PostgreSQL.

Threads share one engine; processes (started with "spawn", as on macOS and Windows) each
make their own engine from the URL, so they contend only through the database's own lock:
BEGIN IMMEDIATE on SQLite, pg_advisory_xact_lock on PostgreSQL. Afterwards every seq from 1
is present once, every (writer, n) once, prev_hash is unique and the chain re-walks.
"""

from __future__ import annotations

import json
import multiprocessing
import queue
import threading
from collections import Counter
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from accord.ledger.entries import GENESIS, Draft, EntryKind
from accord.ledger.verify import verify_rows
from accord.store.db import make_engine, make_session_factory, session_scope
from accord.store.migrate import upgrade_to_head
from accord.store.models import LedgerEntryRow
from accord.store.repositories import ledger as ledger_repo
from tests.integration.ledger_writers import append_many, draft, process_writer

WRITERS = 8
PER_WRITER = 500


class Rollback(Exception):
    """Raised inside a transaction to make session_scope roll it back."""


@pytest.fixture
def ledger_engine(db_url: str) -> Iterator[Engine]:
    engine = make_engine(db_url)
    upgrade_to_head(engine)
    try:
        yield engine
    finally:
        engine.dispose()


def assert_whole_ledger(engine: Engine, expected: Iterable[tuple[int, int]]) -> None:
    """Exactly the expected (writer, n) entries, at seq 1..N with no gap, no fork, a sound chain."""
    want = sorted(expected)
    with session_scope(make_session_factory(engine)) as s:
        rows = s.execute(select(LedgerEntryRow.seq, LedgerEntryRow.entry_json, LedgerEntryRow.prev_hash)
                         .order_by(LedgerEntryRow.seq)).all()
        report = verify_rows(ledger_repo.stored_rows(s))
        assert ledger_repo.size(s) == len(want)
    assert [r.seq for r in rows] == list(range(1, len(want) + 1))
    contents = [json.loads(r.entry_json) for r in rows]
    pairs = Counter((c["body"]["writer"], c["body"]["n"]) for c in contents)
    assert sorted(pairs) == want
    assert set(pairs.values()) <= {1}, [p for p, k in pairs.items() if k > 1][:5]
    # The prev_hash column is what the UNIQUE constraint guards; it must be the hashed one.
    assert [r.prev_hash for r in rows] == [c["prev"] for c in contents]
    assert len({r.prev_hash for r in rows}) == len(rows)
    assert not rows or rows[0].prev_hash == GENESIS
    assert report.ok, report.problems[:5]
    assert report.entries == len(want)


def assert_seqs_handed_out(seqs_by_writer: dict[int, list[int]], total: int) -> None:
    """What append() returned matches what committed: each seq once, rising per writer."""
    for seqs in seqs_by_writer.values():
        assert seqs == sorted(seqs)
    assert sorted(s for seqs in seqs_by_writer.values() for s in seqs) == list(range(1, total + 1))


def every_pair() -> list[tuple[int, int]]:
    return [(w, n) for w in range(WRITERS) for n in range(PER_WRITER)]


def test_threads_append_without_fork_or_gap(ledger_engine: Engine) -> None:
    start = threading.Barrier(WRITERS)

    def writer(w: int) -> list[int]:
        start.wait(timeout=60)
        return append_many(ledger_engine, w, PER_WRITER)

    with ThreadPoolExecutor(max_workers=WRITERS) as pool:
        futures = {w: pool.submit(writer, w) for w in range(WRITERS)}
        seqs = {w: f.result(timeout=300) for w, f in futures.items()}
    assert_seqs_handed_out(seqs, WRITERS * PER_WRITER)
    assert_whole_ledger(ledger_engine, every_pair())


def test_processes_append_without_fork_or_gap(db_url: str, ledger_engine: Engine) -> None:
    ctx = multiprocessing.get_context("spawn")
    start = ctx.Barrier(WRITERS)
    results = ctx.Queue()
    procs = [ctx.Process(target=process_writer, args=(db_url, w, PER_WRITER, start, results),
                         name=f"ledger-writer-{w}") for w in range(WRITERS)]
    for p in procs:
        p.start()
    seqs: dict[int, list[int]] = {}
    errors: list[str] = []
    try:
        for _ in procs:
            w, got, error = results.get(timeout=300)
            seqs[w] = got
            if error:
                errors.append(f"writer {w}: {error}")
    except queue.Empty:
        errors.append("a writer process reported nothing within 300 s")
    finally:
        for p in procs:
            p.join(timeout=60)
            if p.is_alive():
                p.kill()
                p.join()
    assert not errors, errors
    assert [p.exitcode for p in procs] == [0] * WRITERS
    assert_seqs_handed_out(seqs, WRITERS * PER_WRITER)
    assert_whole_ledger(ledger_engine, every_pair())


def test_rolled_back_append_leaves_no_entry_and_no_gap(ledger_engine: Engine) -> None:
    factory = make_session_factory(ledger_engine)
    for n in range(3):
        with session_scope(factory) as s:
            ledger_repo.append(s, draft(0, n))
    with pytest.raises(Rollback), session_scope(factory) as s:
        assert ledger_repo.append(s, draft(1, 0)).seq == 4
        raise Rollback
    assert_whole_ledger(ledger_engine, [(0, 0), (0, 1), (0, 2)])

    # A second writer waits on the lock the doomed one holds, then takes the freed seq.
    appended, release = threading.Event(), threading.Event()

    def doomed() -> int:
        with session_scope(factory) as s:
            seq = ledger_repo.append(s, draft(1, 1)).seq
            appended.set()
            release.wait(timeout=60)
            raise Rollback(seq)

    def waiting() -> int:
        with session_scope(factory) as s:
            return ledger_repo.append(s, draft(2, 0)).seq

    with ThreadPoolExecutor(max_workers=2) as pool:
        first = pool.submit(doomed)
        assert appended.wait(timeout=60)
        second = pool.submit(waiting)
        # Ordering only, not timing: whether or not it is already waiting, it must get #4.
        threading.Event().wait(0.2)
        assert not second.done()  # it cannot pass the lock the doomed writer holds
        release.set()
        with pytest.raises(Rollback) as doomed_err:
            first.result(timeout=60)
        assert doomed_err.value.args == (4,)
        assert second.result(timeout=60) == 4
    assert_whole_ledger(ledger_engine, [(0, 0), (0, 1), (0, 2), (2, 0)])


def test_rollbacks_among_concurrent_writers_leave_no_gap(ledger_engine: Engine) -> None:
    """Every third transaction of each writer appends and then rolls back."""
    writers, per_writer = 4, 60
    factory = make_session_factory(ledger_engine)

    def writer(w: int) -> list[tuple[int, int]]:
        kept = []
        for n in range(per_writer):
            try:
                with session_scope(factory) as s:
                    ledger_repo.append(s, draft(w, n))
                    if n % 3 == 2:
                        raise Rollback
                kept.append((w, n))
            except Rollback:
                pass
        return kept

    with ThreadPoolExecutor(max_workers=writers) as pool:
        kept = [pair for f in [pool.submit(writer, w) for w in range(writers)] for pair in f.result(300)]
    assert len(kept) == writers * per_writer * 2 // 3
    assert_whole_ledger(ledger_engine, kept)


def test_a_long_read_does_not_hold_writers_off(tmp_path: Path) -> None:
    """On SQLite, verify/prove/export read in a read-only session: a writer with a short
    timeout still appends while such a read is open."""
    url = f"sqlite:///{tmp_path / 'ledger.db'}"
    engine = make_engine(url)
    upgrade_to_head(engine)
    with session_scope(make_session_factory(engine)) as s:
        ledger_repo.append(s, Draft(EntryKind.DISCLOSURE_DECISION, {"n": 0}, "stu-000000"))
    impatient = make_engine(url, connect_args={"timeout": 0.5})
    try:
        with session_scope(make_session_factory(engine, read_only=True)) as reader:
            assert next(ledger_repo.stored_rows(reader)).seq == 1  # the read is under way
            with session_scope(make_session_factory(impatient)) as writer:
                assert ledger_repo.append(writer, Draft(EntryKind.DISCLOSURE_DECISION,
                                                        {"n": 1}, "stu-000001")).seq == 2
    finally:
        impatient.dispose()
        engine.dispose()
