"""Releases under differential privacy asked at once (issue 19), through the release path itself
(`accord.workflows.study_query.ask`, each question in its own transaction as the CLI and the API run
it: the policy's check, OpenDP's noise, the budget's charge, the ledger's entry), on SQLite and on
PostgreSQL. `test_budget_concurrency` races the budget's charges alone; here the race is between
whole releases, and between two askings of one question.

- Different questions from THREADS threads at once, more than the budget pays for: exactly as many are
  answered as the budget pays for, every other one refused saying nothing was charged, the balances
  never beyond their totals, the account one charge per release, one ledger entry per release.
- The identical question from THREADS threads at once: one noised answer, charged once; every other
  asking gets it back from the store (no second noise, which two answers to average would be).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from accord.domain.studies import StudyError
from accord.store.repositories import studies as study_repo
from accord.store.repositories import study_budgets as budgets
from accord.workflows.study_query import ask
from tests.attacks.study_world import ANALYST, JANUARY, StudyHub, StudyRun, school, values_of

THREADS = 8
PER_TABLE = 0.01
TABLES = 3  # what the study's total pays for
TOTAL = TABLES * PER_TABLE


@pytest.fixture
def run(db_url: str, tmp_path: Path) -> StudyRun:
    """A DP study of the synthetic school, registered, approved and built on a fresh hub (SQLite or
    PostgreSQL: `db_url`)."""
    rows, _ = school()
    keys = {d: list(values_of(d, rows)) for d in ("grade", "dss")}
    rules = {"dp": {"accounting": "rho", "total": TOTAL, "per_table": PER_TABLE, "keys": keys}}
    return StudyHub(tmp_path, db_url).study("race", rows, rules)


def _asking(run: StudyRun, start: threading.Barrier) -> Callable[[dict[str, Any]], str | dict[str, Any]]:
    def one(spec: dict[str, Any]) -> str | dict[str, Any]:
        start.wait()
        try:
            with run.hub.session() as session:
                return ask(session, run.hub.files, run.study_id, ANALYST, spec, "race", JANUARY).result
        except StudyError as err:
            return str(err)
    return one


def _account(run: StudyRun) -> tuple[dict[str, float], list[float], list[study_repo.StoredRelease]]:
    with run.hub.session() as session:
        spent = {b.holder: b.spent for b in budgets.balances(session, run.study_id)}
        charged = [amount for _, amount in budgets.charges(session, run.study_id)]
        return spent, charged, study_repo.releases_of(session, run.study_id)


def test_different_questions_at_once_spend_no_more_than_the_budget(run: StudyRun) -> None:
    grades = [{"dim": "grade", "op": "eq", "value": str(grade)} for grade in range(3, 3 + THREADS)]
    specs = [{"measures": ["count"], "group_by": ["dss"], "filters": [f]} for f in grades]
    with ThreadPoolExecutor(THREADS) as pool:
        outcomes = list(pool.map(_asking(run, threading.Barrier(THREADS)), specs))
    answered = [o for o in outcomes if isinstance(o, dict)]
    refused = [o for o in outcomes if isinstance(o, str)]
    spent, charged, releases = _account(run)
    said = f"{len(answered)} answered, {len(refused)} refused, spent {spent}, {len(charged)} charges"
    assert len(answered) == TABLES and all("refused, nothing charged" in r for r in refused), said
    assert len(charged) == TABLES and sum(charged) == pytest.approx(TOTAL), said
    assert all(0.0 <= s <= TOTAL + 1e-9 for s in spent.values()), said
    assert len(releases) == len({r.ledger_seq for r in releases}) == TABLES, said


def test_the_identical_question_at_once_is_noised_and_charged_once(run: StudyRun) -> None:
    spec = {"measures": ["count"], "group_by": ["grade", "dss"]}
    with ThreadPoolExecutor(THREADS) as pool:
        outcomes = list(pool.map(_asking(run, threading.Barrier(THREADS)), [spec] * THREADS))
    spent, charged, releases = _account(run)
    tables = {repr(o["rows"]) if isinstance(o, dict) else o for o in outcomes}
    said = f"{len(tables)} distinct answers of {THREADS}, {len(charged)} charges, spent {spent}"
    assert len(tables) == 1 and isinstance(outcomes[0], dict), said
    assert charged == [pytest.approx(PER_TABLE)], said
    assert len(releases) == len({r.ledger_seq for r in releases}) == THREADS, said
