"""A study's differential-privacy budget is never overspent, however many releases charge it at once
(issue 19).

Eight threads, each charging twenty releases one after another, each charge in its own session and
transaction as a release is (`study_budgets.charge`, the transaction rolled back when it is refused),
all started together against one study's balances: the study's, and four analysts' whose shares
together exceed it, so that both limits bind. On SQLite (a file database, WAL, the engine's
BEGIN IMMEDIATE and busy timeout: writers queue rather than fail) and on PostgreSQL (a row lock per
balance, READ COMMITTED re-checking the conditional UPDATE). Hypothesis draws the amounts, the
study's total and the analysts' shares; the demand always exceeds the total, so some charges must be
refused. What must hold, per example:
- no balance spent more than its total, or less than nothing;
- each balance spent exactly what the charges that succeeded against it add up to;
- the append-only account holds exactly the charges that succeeded, no refused one;
- every refusal was due: at the end the study or the analyst has less left than the refused amount;
- no writer gave up on a busy database (a real deployment's concurrent releases would fail the same way).
"""

from __future__ import annotations

import threading
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date, datetime

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from accord.domain.studies import Study
from accord.store.db import is_busy, make_session_factory, session_scope
from accord.store.models.study_budgets import STUDY_HOLDER
from accord.store.repositories import study_budgets as budgets
from accord.store.repositories.studies import save_study

THREADS = 8
CHARGES = 20
ANALYSTS = ("an.a", "an.b", "an.c", "an.d")
AT = datetime(2027, 1, 15, 10, 0)
TOLERANCE = 1e-9


class Refused(Exception):
    """The release's transaction rolls back: the charge did not fit."""


@dataclass
class Outcome:
    charged: list[tuple[str, float]] = field(default_factory=list)
    refused: list[tuple[str, float]] = field(default_factory=list)
    busy: list[str] = field(default_factory=list)


def _study(session: Session, total: float, share: float) -> str:
    study = Study(id=f"study-budget-{uuid.uuid4().hex[:12]}", agreement_id="dua-budget", title="Budget race",
                  purpose="attendance by grade", scope="grades 3-8", school_agency_id="lea",
                  elements=frozenset({"attendance", "grade_level"}), analysts=frozenset(ANALYSTS),
                  starts_on=date(2026, 9, 1), ends_on=date(2027, 6, 30), destroy_by=date(2027, 9, 30))
    save_study(session, study, "officer", AT)
    budgets.open_budgets(session, study.id, total, dict.fromkeys(ANALYSTS, share))
    return study.id


def _releases(factory: sessionmaker[Session], study_id: str, analyst: str, amounts: list[float],
              start: threading.Barrier) -> Outcome:
    """One analyst's releases in turn, each charging in its own transaction."""
    out = Outcome()
    start.wait()
    for amount in amounts:
        try:
            with session_scope(factory) as session:
                if not budgets.charge(session, study_id, analyst, amount, AT):
                    raise Refused
            out.charged.append((analyst, amount))
        except Refused:
            out.refused.append((analyst, amount))
        except OperationalError as err:
            if not is_busy(err):
                raise
            out.busy.append(str(err.orig))  # rolled back: not charged, and reported below
    return out


amounts_st = st.lists(st.lists(st.floats(0.01, 0.08, allow_nan=False, allow_infinity=False),
                               min_size=CHARGES, max_size=CHARGES), min_size=THREADS, max_size=THREADS)


@settings(max_examples=10, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(amounts=amounts_st, total=st.floats(0.2, 1.2), share_of_total=st.sampled_from([1.0, 0.5, 1 / 3]))
@example(amounts=[[0.125] * CHARGES] * THREADS, total=1.0, share_of_total=1.0)  # fits exactly 8 times
@example(amounts=[[0.1] * CHARGES] * THREADS, total=1.0, share_of_total=0.3)  # 3 each, floats summed
def test_concurrent_releases_never_overspend(engine: Engine, amounts: list[list[float]], total: float,
                                             share_of_total: float) -> None:
    factory = make_session_factory(engine)
    share = total * share_of_total
    with session_scope(factory) as session:
        study_id = _study(session, total, share)
    start = threading.Barrier(THREADS)
    with ThreadPoolExecutor(THREADS) as pool:
        futures = [pool.submit(_releases, factory, study_id, ANALYSTS[i % len(ANALYSTS)], amounts[i], start)
                   for i in range(THREADS)]
        outcomes = [f.result() for f in futures]
    charged = [c for o in outcomes for c in o.charged]
    refused = [c for o in outcomes for c in o.refused]
    busy = [b for o in outcomes for b in o.busy]
    assert not busy, f"{len(busy)} releases gave up on a busy database: {busy[:3]}"
    assert len(charged) + len(refused) == THREADS * CHARGES

    with session_scope(make_session_factory(engine, read_only=True)) as session:
        balances = {b.holder: b for b in budgets.balances(session, study_id)}
        account = budgets.charges(session, study_id)
    assert set(balances) == {STUDY_HOLDER, *ANALYSTS}
    assert balances[STUDY_HOLDER].total == total
    for holder, balance in balances.items():
        mine = [a for who, a in charged if holder in (STUDY_HOLDER, who)]
        assert 0.0 <= balance.spent <= balance.total + TOLERANCE, (holder, balance)
        assert balance.spent == pytest.approx(sum(mine), abs=TOLERANCE), (holder, balance, len(mine))
    assert Counter(account) == Counter(charged), "the account must hold exactly the charges that succeeded"
    assert refused, "the demand exceeds the total: some releases must have been refused"
    for analyst, amount in refused:
        left = min(balances[STUDY_HOLDER].remaining, balances[analyst].remaining)
        assert left < amount, f"{analyst} was refused {amount} with {left} still left"
