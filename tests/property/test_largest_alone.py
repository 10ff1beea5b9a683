"""The plumbing reads each group's largest contribution alone when no row could be dominated
(`store.study_groups.grouped` with `may_be_dominated`): the release must be the one the full reading of
the largest few gives, cell by cell, on random tables, rules and contributions (outliers included, so
that both the lean reading and its fall-back run). Synthetic rows only."""

from __future__ import annotations

import tempfile
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accord.disclosure import AuditHistory, Rules, control
from accord.disclosure.outcome import Released
from accord.disclosure.primary import may_be_dominated
from accord.store.study_files import close_held
from accord.store.study_groups import grouped
from accord.store.study_tables import write_table
from accord.workflows.study_spec import QuerySpec, table_of

DIMS = ("grade", "program")
LISTED = (["3", "4", "5"], ["ell", "none"])
SPEC = QuerySpec((("count", ""), ("sum", "days"), ("mean", "rate")), DIMS, ())


@st.composite
def studies(draw: st.DrawFn) -> tuple[list[dict[str, Any]], Rules]:
    size = draw(st.integers(20, 240))
    seed = draw(st.integers(0, 2**32 - 1))
    outliers = draw(st.sampled_from([0.0, 0.01, 0.1]))
    signed = draw(st.booleans())
    rng = np.random.default_rng(seed)
    rows = []
    for i in range(size):
        days = float(rng.uniform(-3.0 if signed else 0.0, 10.0))
        if rng.random() < outliers:
            days *= float(rng.uniform(20, 400))
        rows.append({"sid": f"s{i}", "grade": str(rng.choice(LISTED[0])),
                     "program": str(rng.choice(LISTED[1])), "days": None if rng.random() < 0.05 else days,
                     "rate": float(rng.uniform(0.0, 1.0))})
    rules = Rules(min_count=draw(st.sampled_from([3, 5, 10])),
                  nk=(draw(st.sampled_from([2, 3])), draw(st.sampled_from([0.5, 0.7, 0.9]))),
                  p_ratio=draw(st.sampled_from([0.05, 0.1, 0.3])), audit=False)
    return rows, rules


def _release(path: Path, rules: Rules, n: int, lean: bool) -> Released:
    cells = grouped(path, DIMS, ["days", "rate"], [], LISTED, rules.top_needed,
                    partial(may_be_dominated, rules=rules) if lean else None)
    return control(table_of(SPEC, cells), rules, AuditHistory.empty(n), n)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(studies())
def test_reading_the_largest_alone_releases_what_the_largest_few_release(drawn: tuple[list[dict[str, Any]],
                                                                                      Rules]) -> None:
    rows, rules = drawn
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "study.duckdb"
        write_table(path, rows, DIMS, ("days", "rate"))
        full, lean = (_release(path, rules, len(rows), lean) for lean in (False, True))
        close_held(Path(folder))
    assert [r.values for r in lean.rows] == [r.values for r in full.rows]
    assert [(c.status, c.detail) for c in lean.cells] == [(c.status, c.detail) for c in full.cells]


def test_a_row_passing_with_its_largest_alone_passes_with_every_contribution() -> None:
    """The bound itself, on random contribution vectors: where it leaves nothing open, the rules
    judged on every value pass."""
    rng = np.random.default_rng(7)
    rules = Rules()
    n, k = rules.nk
    for _ in range(2000):
        values = np.abs(rng.pareto(rng.uniform(0.5, 4.0), size=int(rng.integers(1, 30))))
        size, largest = np.array([values.sum()]), np.array([values.max()])
        ordered = np.sort(values)[::-1]
        nk_fails = ordered[:n].sum() > k * values.sum()
        p_fails = ordered[0] > 0 and not (values.sum() - ordered[:2].sum() > rules.p_ratio * ordered[0])
        if not may_be_dominated(size, largest, rules)[0]:
            assert not nk_fails and not p_fails
