"""The agencies a caseworker's request form offers: the sources of the agreements in force that
name the caseworker's agency as a recipient, and no other."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pytest

from accord.store.db import make_engine, make_session_factory, session_scope
from accord.store.migrate import upgrade_to_head
from accord.workflows.case_sources import case_sources
from tests.spec.world import TODAY
from tests.workflows.case_county import seed_world

Sources = Callable[..., list[str]]


@pytest.fixture
def sources(tmp_path: Path) -> Iterator[Sources]:
    url = f"sqlite:///{tmp_path / 'accord.db'}"
    engine = make_engine(url)
    upgrade_to_head(engine)
    seed_world(url)

    def offered(user: str, on: date = TODAY) -> list[str]:
        with session_scope(make_session_factory(engine)) as session:
            return [a.id for a in case_sources(session, user, on)]

    yield offered
    engine.dispose()


def test_a_health_caseworker_is_offered_the_agencies_that_share_with_health(sources: Sources) -> None:
    offered = sources("cw.health")
    assert "lea" in offered and "clinic" in offered
    assert "health" not in offered  # never its own agency
    assert "univ" not in offered and "dss" not in offered  # they share nothing with health


def test_no_agreement_in_force_offers_nothing(sources: Sources) -> None:
    assert sources("cw.health", date(2040, 1, 1)) == []  # every agreement has ended by then
    assert sources("nobody.at.all") == []
