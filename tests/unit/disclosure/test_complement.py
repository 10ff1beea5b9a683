"""Complementary suppression: no suppressed count can be pinned below the minimum from the shown cells
and the table's margins, and the pattern is the cheapest (a greedy choice is not)."""

from __future__ import annotations

import itertools
from types import SimpleNamespace

import numpy as np
import pytest
from scipy.optimize import Bounds, LinearConstraint, linprog, milp  # type: ignore[import-untyped]

from accord.disclosure import AuditHistory, Measure, Released, Row, Rules, Status, Table, control
from accord.disclosure import protect as protect_module
from accord.disclosure.complement import complementary
from accord.disclosure.primary import judge
from accord.disclosure.protect import Problem, interval, protect
from accord.disclosure.table import margin_groups
from tests.unit.disclosure.tables import group_by, parts_of

RULES = Rules(audit=False)
ZEROS_SHOWN = Rules(audit=False, suppress_zeros=False)


def protected(lo: float, hi: float) -> bool:
    """A hidden count's interval holds min_count whole numbers and so reaches 0 (no one need be there)
    or min_count (nor need the cell be small)."""
    return hi - lo >= 9 - 1e-6 and (lo <= 1e-6 or hi >= 10 - 1e-6)


def grid_table(counts: np.ndarray) -> Table:
    """A table of the given shape of counts (any number of dimensions), members numbered in order."""
    rows, start = [], 0
    for idx in np.ndindex(counts.shape):
        n = int(counts[idx])
        key = tuple(f"d{d}v{v}" for d, v in enumerate(idx))
        rows.append(Row(key, parts_of(n), {"n": Measure("count", float(n))}))
        start += n
    return Table(tuple(f"d{d}" for d in range(counts.ndim)), rows)


def attack(table: Table, released: Released, integer: bool = False,
           rules: Rules = RULES) -> dict[int, tuple[float, float]]:
    """The analyst's LP (or integer programme): every shown count, every margin that passes the
    rules (asked as a coarser query); where zeros show, each hidden cell at least 1 (an analyst told
    that zeros show reads a hidden cell as holding someone); returns, per primary cell, the interval
    its count is known to lie in."""
    counts = table.counts().astype(float)
    hidden = [c.row for c in released.cells if c.status.suppressed]
    where = {r: j for j, r in enumerate(hidden)}
    floor = np.zeros(len(hidden)) if rules.suppress_zeros else np.ones(len(hidden))
    a_eq, b_eq = [], []
    for g in margin_groups(table):
        total = counts[g].sum()
        if total < rules.min_count and (total > 0 or rules.suppress_zeros):
            continue
        row = np.zeros(len(hidden))
        for i in g:
            if i in where:
                row[where[i]] = 1.0
        if row.any():
            a_eq.append(row)
            b_eq.append(total - sum(counts[i] for i in g if i not in where))
    out = {}
    for c in released.cells:
        if c.status is not Status.SUPPRESSED_PRIMARY:
            continue
        ends = []
        for sign in (1.0, -1.0):
            obj = np.zeros(len(hidden))
            obj[where[c.row]] = sign
            if integer:
                res = milp(obj, constraints=[LinearConstraint(np.array(a_eq), b_eq, b_eq)],
                           integrality=np.ones(len(hidden)), bounds=Bounds(floor, np.inf))
            else:
                res = linprog(obj, A_eq=np.array(a_eq), b_eq=b_eq, bounds=[(f, None) for f in floor],
                              method="highs")
            ends.append(sign * res.fun)
        out[c.row] = (ends[0], ends[1])
    return out


def r_hidden(released: Released, row: int) -> bool:
    return released.rows[row].values["n"] is None


def test_a_lone_small_cell_takes_a_partner_that_widens_it_enough() -> None:
    table = grid_table(np.array([3, 40, 25, 9, 60]))
    out = control(table, RULES, AuditHistory.empty(200), 200)
    statuses = [c.status for c in out.cells]
    assert statuses[0] is statuses[3] is Status.SUPPRESSED_PRIMARY
    for lo, hi in attack(table, out).values():
        assert protected(lo, hi), (lo, hi)
    assert sum(s is Status.SUPPRESSED_COMPLEMENTARY for s in statuses) == 0  # 3 and 9 protect each other
    assert out.rows[0].values["n"] is None and out.rows[1].values["n"] == 40.0


@pytest.mark.parametrize("rules", [RULES, ZEROS_SHOWN], ids=["zeros-hidden", "zeros-shown"])
@pytest.mark.parametrize("seed", range(6))
def test_no_suppressed_count_can_be_pinned_below_the_minimum_in_two_way_tables(seed: int,
                                                                               rules: Rules) -> None:
    rng = np.random.default_rng(seed)
    counts = rng.integers(0, 45, size=(4, 5))
    counts[rng.integers(4), rng.integers(5)] = 2
    counts[rng.integers(4), rng.integers(5)] = 0
    table = grid_table(counts)
    out = control(table, rules, AuditHistory.empty(int(counts.sum())), int(counts.sum()))
    found = attack(table, out, rules=rules)
    assert found, "the table has small cells"
    for row, (lo, hi) in found.items():
        assert protected(lo, hi), f"cell {row} pinned to [{lo}, {hi}]"
        if not rules.suppress_zeros:
            assert hi >= 10 - 1e-6, f"cell {row}: hidden cells hold someone, yet at most {hi}"
    zeros = [i for i in range(len(out.rows)) if counts.ravel()[i] == 0]
    hidden_zeros = [i for i in zeros if r_hidden(out, i)]
    assert bool(hidden_zeros) == rules.suppress_zeros, "zeros are hidden exactly when the rules say so"


def test_three_way_tables_hold_over_whole_numbers_too() -> None:
    rng = np.random.default_rng(11)
    counts = rng.integers(0, 30, size=(3, 3, 3))
    counts[0, 1, 2], counts[2, 2, 0] = 3, 7
    table = grid_table(counts)
    out = control(table, RULES, AuditHistory.empty(int(counts.sum())), int(counts.sum()))
    for row, (lo, hi) in attack(table, out, integer=True).items():
        assert protected(lo, hi), f"cell {row} pinned to [{lo}, {hi}] over whole numbers"


def greedy(problem: Problem) -> np.ndarray:
    """The usual greedy: for an unprotected cell, hide the cheapest other cell of each of its margins
    that has fewer than two hidden; when that is not enough, the cheapest cell left."""
    g = problem.matrix()
    hidden = problem.need > 0
    while True:
        bad = [p for p in np.flatnonzero(problem.need > 0)
               if np.diff(interval(problem, g, hidden, int(p)))[0] < problem.need[p] - 1e-6]
        if not bad:
            return hidden
        p = bad[0]
        grew = False
        for grp in problem.groups:
            if p in grp and hidden[grp].sum() < 2:
                cand = [j for j in grp if not hidden[j]]
                hidden[min(cand, key=lambda j: problem.weight[j])] = True
                grew = True
        if not grew:
            cand = [j for j in range(len(hidden)) if not hidden[j]]
            hidden[min(cand, key=lambda j: problem.weight[j])] = True


def test_the_pattern_is_cheaper_than_a_greedy_choice() -> None:
    counts = np.array([[52, 41, 35, 23], [25, 12, 6, 10], [18, 50, 6, 55]])
    a = counts.ravel().astype(float)
    groups = [g for g in margin_groups(grid_table(counts)) if a[g].sum() >= 10]
    upper = np.array([min(a[g].sum() for g in groups if k in g) for k in range(len(a))])
    problem = Problem(a, np.minimum(a, 1), upper, groups, np.where(a < 10, 9.0, 0.0), 1 + a)
    exact, guess = protect(problem), greedy(problem)
    assert exact is not None
    cost_exact, cost_greedy = problem.weight[exact].sum(), problem.weight[guess].sum()
    assert cost_exact < cost_greedy, (cost_exact, cost_greedy)
    assert (exact.sum(), cost_exact, guess.sum(), cost_greedy) == (4, 59.0, 7, 107.0)
    table = grid_table(counts)
    released = control(table, RULES, AuditHistory.empty(400), 400)
    assert [c.status.suppressed for c in released.cells] == exact.tolist()


def test_a_table_no_pattern_protects_is_withheld_whole_with_the_reason() -> None:
    # one dimension, total 14 published: x + y = 14 leaves 3 at most 13 wide... but the published cell
    # of one row pins it: a margin that is the cell itself.
    table = grid_table(np.array([[3, 0], [0, 11]]))
    problem_rows = control(table, RULES, AuditHistory.empty(14), 14)
    assert all(c.status.suppressed for c in problem_rows.cells if c.row in (0, 3))
    assert any("no suppression pattern" in c.detail for c in problem_rows.cells)


def test_the_search_stops_at_its_time_limit_while_it_checks_each_hidden_cell(
        monkeypatch: pytest.MonkeyPatch) -> None:
    # 600 small or empty cells, each checked by an LP: seconds in all. The search's clock moves a
    # tenth of a second at each reading (a slow machine, without waiting for one), so a limit of one
    # second must stop it after a few checks, not after all 600.
    readings = itertools.count(0.0, 0.1)
    monkeypatch.setattr(protect_module, "time", SimpleNamespace(monotonic=lambda: next(readings)))
    checked: list[int] = []
    width = protect_module._width

    def counted(*args: object) -> object:
        checked.append(1)
        return width(*args)

    monkeypatch.setattr(protect_module, "_width", counted)
    table = grid_table(np.random.default_rng(7).integers(0, 4, size=(10, 10, 6)))
    judgement = judge(table, RULES)
    assert complementary(table, RULES, judgement, np.zeros(600, dtype=bool), time_limit=1.0) is None
    assert 0 < len(checked) < 12, f"{len(checked)} cells checked: the limit holds inside the per-cell checks"


def test_no_solver_runs_when_nothing_is_suppressed(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_: object, **__: object) -> None:
        raise AssertionError("the MILP ran")
    monkeypatch.setattr("accord.disclosure.complement.protect", refuse)
    table = grid_table(np.full((10, 10), 12))
    out = control(table, RULES, AuditHistory.empty(1200), 1200)
    assert all(c.status is Status.RELEASED for c in out.cells)


def test_sums_hide_a_dominated_cell_from_their_margins() -> None:
    rng = np.random.default_rng(4)
    records = {"school": rng.choice(["a", "b", "c", "d"], 200), "pay": rng.uniform(10, 20, 200)}
    big = int(np.flatnonzero(records["school"] == "b")[0])
    records["pay"][big] = 10000.0  # dominates its school, not the total
    out = control(group_by(records, ("school",), sums=("pay",)), RULES, AuditHistory.empty(200), 200)
    status = {out.rows[c.row].key[0]: c.status for c in out.cells if c.measure == "sum_pay"}
    assert status["b"] is Status.SUPPRESSED_PRIMARY
    assert sum(s is Status.SUPPRESSED_COMPLEMENTARY for s in status.values()) == 1
    assert all(c.status is Status.RELEASED for c in out.cells if c.measure == "n")
