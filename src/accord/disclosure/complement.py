"""Complementary suppression of one table, measure by measure: the table and its margins become the
problem `protect` solves.

What the attacker is assumed to know (`protect.Problem`), per measure:
- every shown cell, exactly (rounding is ignored in the attacker's favour);
- every margin of the table (the totals over each subset of its dimensions, down to the grand total:
  an analyst can always ask the coarser query), except a margin that would itself fail primary
  suppression (a count under min_count, an empty one unless zeros are shown, a dominated sum): that
  one is never shown;
- for counts: a hidden cell holds at least 0 records (every combination of the dimensions' values is
  listed, empty or not; when zeros are shown, a hidden cell is known to hold at least 1), and no cell
  exceeds a published margin holding it (or the table's total); for sums and means of non-negative
  values: at least 0, at most a published margin; where any contribution is negative, only that a
  cell lies within the table's total of absolute values of its own value.

What must hold after (the guarantee of `protect`): a count cell suppressed on its own (or withheld by
the audit) has an interval at least min_count - 1 wide: it holds min_count possible counts, so it
either reaches 0 (the analyst cannot show anyone is there) or min_count (nor that the cell is small); a
suppressed sum or mean
(handled as the sum mean x count, which is additive) an interval at least 2 x p_ratio x its largest
contribution wide (the p% rule's own margin, both ways). Count intervals are checked over whole numbers
too for tables of three or more dimensions up to INTEGRAL_CELLS cells (for one and two the LP interval
is already integral; above that size only the LP interval is guaranteed, and a whole-number attacker
may find a narrower one).

A mean is also hidden wherever its row's count is hidden: with a sum of the same values beside it, it
would give the count back.
"""

from __future__ import annotations

import numpy as np

from accord.disclosure.primary import BoolArray, Judgement, dominated, order_statistics
from accord.disclosure.protect import Problem, protect
from accord.disclosure.rules import Rules
from accord.disclosure.table import Contributions, FloatArray, IntArray, Table, margin_groups

# Up to this many cells a three-way (or wider) table's count intervals are also checked over whole
# numbers (two small MILPs per suppressed cell); above it only the LP interval is guaranteed.
INTEGRAL_CELLS = 400


def additive_values(table: Table, name: str) -> FloatArray:
    """The measure as an additive figure: counts, sums, and means times their counts."""
    kind = table.rows[0].measures[name].kind
    if kind == "count":
        return table.counts().astype(np.float64)
    values = np.array([r.measures[name].value for r in table.rows], dtype=np.float64)
    if kind == "mean":
        values = np.nan_to_num(values) * table.counts()
    return np.asarray(values, dtype=np.float64)


def _published(table: Table, name: str, groups: list[IntArray], rules: Rules) -> list[IntArray]:
    """The margins an analyst could be shown: those that pass primary suppression themselves."""
    counts = table.counts()
    sizes = np.array([counts[g].sum() for g in groups])
    ok = (sizes >= rules.min_count) | ((sizes == 0) & (not rules.suppress_zeros))
    if table.rows[0].measures[name].kind != "count":
        contributions = [Contributions.merge([table.rows[i].measures[name].contributions for i in g])
                         for g in groups]
        nk_fails, p_fails = dominated(order_statistics(contributions, rules.nk[0]), rules)
        ok &= ~(nk_fails | p_fails)
    return [g for g, keep in zip(groups, ok, strict=True) if keep]


def problem(table: Table, name: str, protect_rows: BoolArray, rules: Rules,
            groups: list[IntArray]) -> Problem:
    counts = table.counts()
    a = additive_values(table, name)
    kind = table.rows[0].measures[name].kind
    published = _published(table, name, groups, rules)
    cap = np.full(len(a), np.inf)
    for g in published:
        cap[g] = np.minimum(cap[g], a[g].sum())
    if kind == "count":
        # Every combination is listed: a hidden cell may be empty, unless zeros are shown (then a
        # hidden cell is known to hold someone).
        lower = np.zeros(len(a)) if rules.suppress_zeros else np.minimum(a, 1.0)
        upper = np.where(np.isfinite(cap), cap, a.sum())
        need = np.where(protect_rows, float(rules.min_count - 1), 0.0)
    else:
        contributions = [r.measures[name].contributions for r in table.rows]
        d = order_statistics(contributions, rules.nk[0])
        if d.negative.any():
            spread = float(d.total.sum())
            lower, upper = a - spread, a + spread
        else:
            lower = np.zeros(len(a))
            upper = np.where(np.isfinite(cap), cap, a.sum())
        need = np.where(protect_rows, np.maximum(2 * rules.p_ratio * d.top1, 1e-3), 0.0)
    upper = np.maximum(upper, a)
    return Problem(a, lower, upper, published, need, (1.0 + counts).astype(np.float64))


def shown_always(table: Table, rules: Rules) -> BoolArray:
    """The cells no pattern hides: empty ones when the rules show zeros (an analyst told that zeros
    show would read any hidden cell as holding someone, so hiding a zero would mislead the engine's
    model of them, not protect)."""
    zero: BoolArray = table.counts() == 0
    return zero & (not rules.suppress_zeros)


def complementary(table: Table, rules: Rules, judgement: Judgement, withheld: BoolArray,
                  time_limit: float = 120.0) -> dict[str, BoolArray] | None:
    """Per measure, the rows hidden (primary, withheld and complementary), or None when no pattern
    protects some measure's cells from the table's margins."""
    names = table.measure_names()
    hidden: dict[str, BoolArray] = {}
    groups: list[IntArray] | None = None
    integral = len(table.dims) >= 3 and len(table.rows) <= INTEGRAL_CELLS
    for name in names:
        target = judgement.primary[name] | withheld
        if not target.any():
            hidden[name] = target
            continue
        if groups is None:
            groups = margin_groups(table)
        prob = problem(table, name, target, rules, groups)
        kind = table.rows[0].measures[name].kind
        pattern = protect(prob, forced=target, integral=integral and kind == "count", time_limit=time_limit,
                          never=shown_always(table, rules))
        if pattern is None:
            return None
        hidden[name] = pattern
    counted = [n for n in names if table.rows[0].measures[n].kind == "count"]
    if counted:
        count_hidden = np.logical_or.reduce([hidden[n] for n in counted])
        for name in names:
            if table.rows[0].measures[name].kind == "mean":
                hidden[name] = hidden[name] | count_hidden
    return hidden
