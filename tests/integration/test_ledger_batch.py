"""A batch of entries (a cross-check's decisions) is chained exactly as one append after another."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Engine

from accord.ledger.verify import verify_rows
from accord.store.db import make_session_factory, session_scope
from accord.store.repositories import ledger as ledger_repo
from tests.integration.ledger_writers import draft

AT = datetime(2026, 11, 29, 10, 0)


def test_a_batch_chains_like_single_appends_and_verifies(engine: Engine) -> None:
    factory = make_session_factory(engine)
    with session_scope(factory) as s:
        first = ledger_repo.append(s, draft(1, 0), AT)
        batch = ledger_repo.append_many(s, [draft(2, n) for n in range(5)], AT)
        last = ledger_repo.append(s, draft(3, 0), AT)
    assert [e.seq for e in (first, *batch, last)] == list(range(1, 8))
    with session_scope(factory) as s:
        rows = list(ledger_repo.stored_rows(s))
    # verify walks each entry's predecessor hash: the batch is one run of the chain, not a fork.
    report = verify_rows(rows, [])
    assert report.ok and report.entries == 7


def test_an_empty_batch_writes_nothing(engine: Engine) -> None:
    with session_scope(make_session_factory(engine)) as s:
        assert ledger_repo.append_many(s, [], AT) == []
        assert ledger_repo.size(s) == 0
