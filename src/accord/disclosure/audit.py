"""Query auditing: would the study's releases, taken together, let an analyst count a small set of
records?

The model. Every released cell (a row of a released table with at least one figure shown, and the
study's size) is a set of study records whose count the analyst knows; the audit assumes the exact count
even where rounding showed less. The *atoms* are the groups of records no released cell separates
(`AuditHistory`): every set the analyst can describe with released cells is a union of atoms, and every
count they can derive is a function of the atom counts t >= 0 subject to C t = v (C: the released cells
over the atoms, v: their counts). An analyst who can show, for some union U of atoms, that

    1 <= count(U) <= min_count - 1

has found a small cell the rules forbid, whatever way they found it: differencing two releases (n and
n - 1 children), a tracker (Denning's C = (C or T) + (C or not T) - all), the same table before and after
a child enrolled, many overlapping subset counts (Dinur and Nissim's reconstruction), or recovering a
suppressed cell from margins and other tables by linear programming.

The check is one MILP and is exact for that attacker: it looks for a union (binary w over the atoms of
fewer than min_count records; a union holding a larger atom cannot be small) together with two LP dual
certificates, y with C'y >= w and v'y <= min_count - 1 (so max count(U) < min_count) and u with
C'u <= w and v'u > 0 (so min count(U) > 0, at least 1 in whole numbers). By LP duality such y and u exist
exactly when the linear-programming bounds of count(U), over every atom count consistent with the
releases and nonnegative, lie within [1, min_count - 1]; sets determined exactly (U's indicator in the
row space of C) are the special case of equal bounds. A finding names the released cells its
certificates combine, so the caller can withhold one of the new table's and ask again.

Limits, honestly:
- Knowledge from outside the study (the analyst knowing how many children a school has from its
  website) is not modelled: only what the study released, and its size.
- Integer reasoning beyond the LP bounds (an attacker solving for whole-number atom counts, where the
  integer hull is narrower than the LP polytope) is not searched; neither are attribute disclosures
  that need no small count (every child of a released cell shares a value: top/bottom coding and the
  zero flag speak to those).
- Sums and means are covered through their rows: a row with any figure shown is a released cell, so a
  set of fewer than min_count records never becomes describable, whose sum could then be differenced.

Cost: atoms number at most the study's records (usually far fewer); the MILP has two continuous
variables per released cell and one binary per small atom, two constraints per atom. When no atom holds
fewer than min_count records (a study's first table, typically) the check is immediate.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp  # type: ignore[import-untyped]
from scipy.optimize import Bounds, LinearConstraint, linprog, milp  # type: ignore[import-untyped]

from accord.disclosure.history import AuditHistory
from accord.disclosure.table import IntArray

LOWER = 1e-3  # a lower bound above this is, in whole records, at least 1
SLACK = 1e-3


@dataclass(frozen=True)
class Finding:
    """A union of atoms the analyst could bound within [1, min_count - 1]: its LP bounds and the
    released cells (history indices) the derivation combines."""

    atoms: IntArray
    low: float
    high: float
    cells: IntArray

    @property
    def exact(self) -> bool:
        return self.high - self.low < SLACK


def incidence(history: AuditHistory) -> tuple[sp.csr_matrix, IntArray]:
    """(C: released cells x atoms, atom sizes)."""
    _, sizes, cols = history.incidence()
    rows = np.repeat(np.arange(history.n_cells), [len(c) for c in cols])
    flat = np.concatenate(cols) if cols else np.zeros(0, np.int64)
    c = sp.csr_matrix((np.ones(len(flat)), (rows, flat)), shape=(history.n_cells, len(sizes)))
    return c, sizes


def bounds(c: sp.csr_matrix, v: np.ndarray, union: np.ndarray) -> tuple[float, float]:
    """The LP bounds of the count of a union of atoms (indicator `union`) given C t = v, t >= 0."""
    out = []
    for sign in (1.0, -1.0):
        res = linprog(sign * union, A_eq=c, b_eq=v, bounds=(0, None), method="highs")
        out.append(sign * float(res.fun))
    return out[0], out[1]


def capped(c: sp.csr_matrix, v: np.ndarray, atoms: IntArray, min_count: int) -> IntArray:
    """The atoms among `atoms` whose count the releases bound below min_count (LP max < min_count).
    First a few LPs that push as many atoms as they can up to min_count (maximise sum min(t_a,
    min_count)) rule most out at once; the rest get one LP each."""
    n_atoms = c.shape[1]
    left = np.asarray(atoms, dtype=np.int64)
    while len(left):
        k = len(left)
        # variables: t (n_atoms) >= 0, s (k) <= min_count with s <= t[left]; maximise sum s
        a_ub = sp.hstack([-sp.csr_matrix((np.ones(k), (np.arange(k), left)), shape=(k, n_atoms)),
                          sp.identity(k, format="csr")], format="csr")
        a_eq = sp.hstack([c, sp.csr_matrix((c.shape[0], k))], format="csr")
        res = linprog(np.concatenate([np.zeros(n_atoms), -np.ones(k)]), A_ub=a_ub, b_ub=np.zeros(k),
                      A_eq=a_eq, b_eq=v, bounds=[(0, None)] * n_atoms + [(0, min_count)] * k, method="highs")
        reached = res.x[left] >= min_count - SLACK
        if not reached.any():
            break
        left = left[~reached]
    out = []
    for a in left:
        target = np.zeros(n_atoms)
        target[a] = -1.0
        res = linprog(target, A_eq=c, b_eq=v, bounds=(0, None), method="highs")
        if -res.fun <= min_count - SLACK:
            out.append(a)
    return np.asarray(out, dtype=np.int64)


def find(history: AuditHistory, min_count: int, known: Callable[[IntArray], bool] | None = None,
         time_limit: float = 60.0) -> Finding | None:
    """A union of atoms the releases bound within [1, min_count - 1], or None when there is none.
    `known(atoms)` tells a union the analyst could already bound before, whose records the new release
    says nothing about: such a union is passed over (it cannot be taken back)."""
    c, sizes = incidence(history)
    if not history.n_cells:
        return None
    # A union bounded below min_count holds only atoms each bounded below min_count (t >= 0): find
    # those first, by LPs, and search unions among them only.
    small = capped(c, history.values, np.flatnonzero(sizes < min_count), min_count)
    if not len(small):
        return None
    n_cells, n_atoms, k = c.shape[0], c.shape[1], len(small)
    ct = c.T.tocsr()
    pick = sp.csr_matrix((np.ones(k), (small, np.arange(k))), shape=(n_atoms, k))
    zero = sp.csr_matrix((n_atoms, n_cells))
    v = history.values
    blocks = sp.vstack([
        sp.hstack([ct, zero, -pick]),  # C'y - w >= 0
        sp.hstack([zero, ct, -pick]),  # C'u - w <= 0
        sp.hstack([sp.csr_matrix(v), sp.csr_matrix((1, n_cells)), sp.csr_matrix((1, k))]),
        sp.hstack([sp.csr_matrix((1, n_cells)), sp.csr_matrix(v), sp.csr_matrix((1, k))]),
        sp.hstack([sp.csr_matrix((1, 2 * n_cells)), sp.csr_matrix(np.ones((1, k)))]),
    ], format="csr")
    lo = np.concatenate([np.zeros(n_atoms), np.full(n_atoms, -np.inf), [-np.inf, LOWER, 1]])
    hi = np.concatenate([np.full(n_atoms, np.inf), np.zeros(n_atoms), [min_count - SLACK, np.inf, np.inf]])
    integrality = np.concatenate([np.zeros(2 * n_cells), np.ones(k)])
    var_lo = np.concatenate([np.full(2 * n_cells, -np.inf), np.zeros(k)])
    var_hi = np.concatenate([np.full(2 * n_cells, np.inf), np.ones(k)])
    cuts: list[np.ndarray] = []
    while True:
        cons = [LinearConstraint(blocks, lo, hi)]
        if cuts:  # unions found spurious by the exact LP below
            cons.append(LinearConstraint(np.array(cuts), -np.inf, [(row > 0).sum() - 1 for row in cuts]))
        res = milp(np.zeros(2 * n_cells + k), constraints=cons, integrality=integrality,
                   bounds=Bounds(var_lo, var_hi), options={"time_limit": time_limit})
        if res.x is None:
            if res.status == 1:  # time ran out before an answer: treat as found, naming no cell
                return Finding(np.zeros(0, np.int64), 0.0, float(min_count), np.zeros(0, np.int64))
            return None
        w = res.x[2 * n_cells:] > 0.5
        union = np.zeros(n_atoms)
        union[small[w]] = 1.0
        low, high = bounds(c, v, union)
        if low >= LOWER and high <= min_count - SLACK and not (known and known(small[w])):
            y, u = res.x[:n_cells], res.x[n_cells:2 * n_cells]
            used = np.flatnonzero((np.abs(y) > 1e-7) | (np.abs(u) > 1e-7))
            return Finding(small[w], low, high, used)
        cut = np.zeros(2 * n_cells + k)  # no-good: any union but this one (spurious, or known)
        cut[2 * n_cells:] = np.where(w, 1.0, -1.0)
        cuts.append(cut)
        if len(cuts) > 50:  # the solver keeps proposing what the LP refutes: refuse, to be safe
            return Finding(np.zeros(0, np.int64), 0.0, float(min_count), np.zeros(0, np.int64))
