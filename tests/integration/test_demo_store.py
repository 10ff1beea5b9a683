"""The demo county stored on each backend gives the same decisions as the county in memory."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Engine

from accord.workflows.demo import run_demo
from accord.workflows.demo_store import holds_data, reset

AS_OF = date(2026, 11, 29)


def test_stored_county_decides_like_the_county_in_memory(engine: Engine) -> None:
    assert not holds_data(engine)
    stored = run_demo(engine, as_of=AS_OF, seed=3, students=120)
    assert holds_data(engine)
    assert stored.results == run_demo(None, as_of=AS_OF, seed=3, students=120).results
    reset(engine)
    assert not holds_data(engine)
