"""Complementary suppression: the cheapest set of further cells to hide so that no hidden cell can be
recovered from what is published, solved exactly as a mixed-integer programme (SciPy's HiGHS).

The attacker's knowledge (`Problem`): every cell not suppressed, at its exact value; every published
margin total (`groups`: sets of cells whose sum is known); and per cell a range it is known to lie in
([lower, upper]: for counts, at least 1 for a listed non-empty row and at most the smallest published
margin holding it).

The guarantee: for each cell p with need[p] > 0, over the values of the hidden cells consistent with all
of that, max x_p - min x_p >= need[p] (the interval of the linear relaxation; with `integral=True` also
over whole numbers, which for one- and two-way tables is the same interval, the margin constraints being
totally unimodular). With need = min_count - 1 and lower >= 1 (complement.py) this means no attacker
can show that a suppressed count lies below min_count: its interval holds min_count whole numbers and
reaches min_count.

Capacity cuts start the master (a cell's moves are balanced inside each published margin holding it,
so the other hidden cells of that margin must be able to move at least need between them). The method
(Fischetti and Salazar-Gonzalez's cutting planes, "Models and algorithms for the 2-dimensional
cell suppression problem", 1999): a master MILP chooses the cells (binary s, minimum total weight, every
protected cell suppressed); for each protected cell two copies of the table's deviations are bounded by
an LP (its width given s); a pattern that leaves a cell too narrow yields, from that LP's duals, a linear
inequality every protecting pattern satisfies (width <= sum_j coef_j s_j for every s, by weak duality), which
is added to the master. The loop ends when every cell is wide enough: the pattern is then optimal for the
weights among all protecting patterns, not a greedy guess.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp  # type: ignore[import-untyped]
from scipy.optimize import Bounds, LinearConstraint, linprog, milp  # type: ignore[import-untyped]

from accord.disclosure.primary import BoolArray
from accord.disclosure.table import FloatArray, IntArray

TOLERANCE = 1e-6


@dataclass(frozen=True)
class Problem:
    values: FloatArray
    lower: FloatArray
    upper: FloatArray
    groups: list[IntArray]  # published margins: the cells of each, whose total is known
    need: FloatArray  # the width each cell's interval must reach; 0 for cells not to protect
    weight: FloatArray  # the cost of hiding each cell (the master minimises their sum)

    def matrix(self) -> sp.csr_matrix:
        n = len(self.values)
        rows = np.repeat(np.arange(len(self.groups)), [len(g) for g in self.groups])
        cols = np.concatenate(self.groups) if self.groups else np.zeros(0, np.int64)
        return sp.csr_matrix((np.ones(len(cols)), (rows, cols)), shape=(len(self.groups), n))


def interval(problem: Problem, g: sp.csr_matrix, hidden: BoolArray, cell: int) -> tuple[float, float]:
    """(min, max) of cell `cell` given everything not hidden and the published margins (LP)."""
    _, lo, hi = _width(problem, g, hidden, cell)
    return problem.values[cell] + lo, problem.values[cell] + hi


def integer_interval(problem: Problem, g: sp.csr_matrix, hidden: BoolArray, cell: int) -> tuple[float, float]:
    """(min, max) of `cell` over whole-number tables consistent with the published cells (MILP)."""
    cols = np.flatnonzero(hidden)
    sub = g[:, cols]
    touched = np.flatnonzero(sub.getnnz(axis=1))
    sub = sub[touched]
    lo = np.ceil(problem.lower[cols] - problem.values[cols] - TOLERANCE)
    hi = np.floor(problem.upper[cols] - problem.values[cols] + TOLERANCE)
    where = int(np.flatnonzero(cols == cell)[0])
    out = []
    for sign in (1.0, -1.0):
        c = np.zeros(len(cols))
        c[where] = sign
        cons = [LinearConstraint(sub, 0, 0)] if len(touched) else []
        res = milp(c, constraints=cons, integrality=np.ones(len(cols)), bounds=Bounds(lo, hi))
        out.append(sign * float(res.fun))
    return problem.values[cell] + out[0], problem.values[cell] + out[1]


def _width(problem: Problem, g: sp.csr_matrix, hidden: BoolArray, cell: int,
           ) -> tuple[FloatArray, float, float]:
    """The LP over two copies of the hidden cells' deviations (y' up, y'' down): returns per cell the
    coefficient of the cut width <= sum_j coef_j s_j (valid for every pattern s), the lowest deviation
    and the highest."""
    a, low, up = problem.values, problem.lower - problem.values, problem.upper - problem.values
    cols = np.flatnonzero(hidden)
    sub = g[:, cols]
    touched = np.flatnonzero(sub.getnnz(axis=1))
    sub = sub[touched]
    k = len(cols)
    where = int(np.flatnonzero(cols == cell)[0])
    c = np.zeros(2 * k)
    c[where], c[k + where] = -1.0, 1.0  # minimise y''_p - y'_p = -(width)
    bounds = np.concatenate([np.stack([low[cols], up[cols]], 1)] * 2)
    a_eq = sp.block_diag([sub, sub], format="csr") if len(touched) else None
    res = linprog(c, A_eq=a_eq, b_eq=np.zeros(2 * len(touched)) if len(touched) else None,
                  bounds=bounds, method="highs")
    if res.status != 0:
        raise RuntimeError("the attacker's LP did not solve")  # bounded and feasible (s = current)
    hi, lo = float(res.x[where]), float(res.x[k + where])
    n = len(a)
    full = g[touched]
    best: FloatArray | None = None
    marg = res.eqlin.marginals if len(touched) else np.zeros(0)
    for lam in (marg, -marg):
        coef = np.zeros(n)
        for copy in (0, 1):
            r = -(full.T @ lam[copy * len(touched):(copy + 1) * len(touched)]) if len(touched) \
                else np.zeros(n)
            r[cell] += -1.0 if copy == 0 else 1.0
            coef += np.maximum(r, 0) * (a - problem.lower) + np.maximum(-r, 0) * (problem.upper - a)
        if best is None or coef[hidden].sum() < best[hidden].sum():
            best = coef
    assert best is not None
    return best, lo, hi


def _narrow(problem: Problem, g: sp.csr_matrix, hidden: BoolArray, cell: int, need: float) -> bool:
    low, high = integer_interval(problem, g, hidden, cell)
    return high - low + TOLERANCE < need


def protect(problem: Problem, forced: BoolArray | None = None, integral: bool = False,
            time_limit: float = 120.0, never: BoolArray | None = None) -> BoolArray | None:
    """The cheapest pattern (suppressed cells) protecting every cell with need > 0, hiding none of
    `never` (cells the rules always show), or None when no pattern can (a protected cell too narrow
    even with the whole table hidden) or the time ran out."""
    n = len(problem.values)
    top = np.ones(n) if never is None else (~never).astype(float)
    must = problem.need > 0
    if forced is not None:
        must = must | forced
    targets = np.flatnonzero(problem.need > 0)
    if not len(targets):
        return must.copy()
    g = problem.matrix()
    by_cell = g.tocsc()
    rows: list[sp.csr_matrix] = []
    rhs: list[float] = []
    span = problem.upper - problem.lower
    for p in targets:  # capacity: p's moves are balanced inside each published margin holding it
        for grp in by_cell.indices[by_cell.indptr[p]:by_cell.indptr[p + 1]]:
            members = g.indices[g.indptr[grp]:g.indptr[grp + 1]]
            others = members[members != p]
            if not len(others):
                return None  # a published margin that is the cell itself pins it
            need = float(problem.need[p])
            at = (np.zeros(len(others), np.int64), others)
            rows.append(sp.csr_matrix((np.minimum(span[others], need), at), shape=(1, n)))
            rhs.append(need - TOLERANCE)
    safe_under: dict[int, BoolArray] = {}  # a pattern each cell was found wide enough under
    started = time.monotonic()
    while time.monotonic() - started < time_limit:
        cons = [LinearConstraint(sp.vstack(rows, format="csr"), np.array(rhs), np.inf)] if rows else []
        res = milp(problem.weight, constraints=cons, integrality=np.ones(n),
                   bounds=Bounds(must.astype(float), np.maximum(top, must)),
                   options={"time_limit": max(1.0, time_limit - (time.monotonic() - started))})
        if res.x is None:
            return None  # no pattern satisfies the cuts: none protects
        hidden = res.x > 0.5
        added = 0
        for p in targets:
            if int(p) in safe_under and hidden[safe_under[int(p)]].all():
                continue  # hiding more only widens: still protected
            if time.monotonic() - started >= time_limit:
                return None  # one LP per cell: a table of thousands of hidden cells takes minutes
            coef, lo, hi = _width(problem, g, hidden, int(p))
            need = float(problem.need[p])
            width = hi - lo
            if width + TOLERANCE < need:
                cut = np.minimum(coef, need)
                cut[cut < TOLERANCE] = 0.0
                if cut[hidden].sum() + TOLERANCE >= need:  # numerically weak: a no-good cut instead
                    cut = (~hidden).astype(float)
                    need = 1.0
                rows.append(sp.csr_matrix(cut))
                rhs.append(need - TOLERANCE)
                added += 1
            elif integral and _narrow(problem, g, hidden, int(p), need):
                rows.append(sp.csr_matrix((~hidden).astype(float)))  # this pattern and any inside it fail
                rhs.append(1.0)
                added += 1
            else:
                safe_under[int(p)] = hidden.copy()
        if not added:
            return np.asarray(hidden, dtype=bool)
    return None
