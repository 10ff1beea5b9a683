"""Primary suppression: the cells that fail a rule on their own.

- A count cell with count < min_count is suppressed, and so is every measure of its row (a mean or a
  sum of fewer than min_count children speaks of each of them). An empty cell is suppressed with the
  same note as a small one (Rules.suppress_zeros, the default): the note must not tell 0 from 1-9.
- A sum or mean of a row that passes the count is suppressed when it is dominated (Rules.nk, p_ratio),
  judged on the absolute contributions: N-K fails when the n largest exceed k of the total; the p% rule
  fails unless the total minus the two largest exceeds p times the largest (so the second-largest
  contributor cannot estimate the largest within p%). A cell whose contributions are all zero passes.
- Flags (in the detail, not a suppression): a zero count shown (suppress_zeros off), negative
  contributions.

The rules read each row's summary of its contributions (`Contributions`), never the records, so that
the rule check on a 1,000-cell table costs a few milliseconds.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from accord.disclosure.rules import Rules
from accord.disclosure.table import Contributions, FloatArray, IntArray, Table

BoolArray = npt.NDArray[np.bool_]


@dataclass(frozen=True)
class Judgement:
    """Per measure: which rows fail on their own, and per row the rules and flags to show."""

    counts: IntArray
    primary: dict[str, BoolArray]
    details: dict[str, list[list[str]]]


@dataclass(frozen=True)
class Dominance:
    """The order statistics dominance reads, one entry per row."""

    total: FloatArray  # sum of absolute contributions
    top1: FloatArray
    top2: FloatArray  # the two largest, together
    top_n: FloatArray  # the n largest, together
    negative: BoolArray


def order_statistics(values: list[Contributions], n: int) -> Dominance:
    """Largest absolute contributions per row, from each row's summary (its top few, padded with
    zeros where a row has fewer): one array operation over the whole table."""
    k = max(n, 2)
    tops = np.zeros((len(values), k))
    for i, c in enumerate(values):
        m = min(k, len(c.top))
        tops[i, :m] = c.top[:m]
    total = np.fromiter((c.total for c in values), dtype=np.float64, count=len(values))
    negative = np.fromiter((c.negative for c in values), dtype=bool, count=len(values))
    return Dominance(total, tops[:, 0], tops[:, 0] + tops[:, 1], tops[:, :n].sum(axis=1), negative)


def dominated(d: Dominance, rules: Rules) -> tuple[BoolArray, BoolArray]:
    """(fails N-K, fails the p% rule) per row."""
    _, k = rules.nk
    nk_fails = d.top_n > k * d.total
    rest = d.total - d.top2
    p_fails = (d.top1 > 0) & ~(rest > rules.p_ratio * d.top1)
    return nk_fails, p_fails


def may_be_dominated(size: FloatArray, largest: FloatArray, rules: Rules) -> BoolArray:
    """Per row, from the sum of its absolute contributions and the largest alone: whether N-K or the
    p% rule could fail, were its other largest contributions as large as the largest. A row that
    passes so passes whatever they are, and so does every union of such rows (a margin): the union's
    largest is one row's, and its total at least that row's. The plumbing reads the largest few
    contributions only for tables with a row this leaves open (`store.study_groups.grouped`)."""
    n, k = rules.nk
    nk_open = n * largest > k * size
    p_open = (largest > 0) & ~(size - 2 * largest > rules.p_ratio * largest)
    return np.asarray(nk_open | p_open, dtype=bool)


def judge(table: Table, rules: Rules) -> Judgement:
    counts = table.counts()
    zero = counts == 0
    small = (counts < rules.min_count) & (~zero | rules.suppress_zeros)
    primary: dict[str, BoolArray] = {}
    details: dict[str, list[list[str]]] = {}
    under = f"count under the minimum of {rules.min_count}"
    for name in table.measure_names():
        kind = table.rows[0].measures[name].kind if table.rows else "count"
        detail: list[list[str]] = [[] for _ in table.rows]
        failed = small.copy()
        for i in np.flatnonzero(small):
            detail[i].append(under if kind == "count" else f"its row's {under}")
        if kind != "count":
            d = order_statistics([r.measures[name].contributions for r in table.rows], rules.nk[0])
            nk_fails, p_fails = dominated(d, rules)
            n, k = rules.nk
            for i in np.flatnonzero(~small & nk_fails):
                detail[i].append(f"dominance ({n}, {k:g}): the {n} largest contributions exceed "
                                 f"{k:.0%} of the total")
            for i in np.flatnonzero(~small & p_fails):
                detail[i].append(f"p% rule ({rules.p_ratio:g}): the rest is within "
                                 f"{rules.p_ratio:.0%} of the largest contribution")
            failed |= nk_fails | p_fails
            if rules.flag_negatives:
                for i in np.flatnonzero(d.negative):
                    detail[i].append("negative contributions")
        if not rules.suppress_zeros:
            failed &= ~zero
            if rules.flag_zeros:
                for i in np.flatnonzero(zero):
                    detail[i].append("zero" if kind == "count" else "no records")
        primary[name] = failed
        details[name] = detail
    return Judgement(counts, primary, details)
