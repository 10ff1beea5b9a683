"""The disclosure-control engine's rule check (primary suppression, dominance, rounding) against a
plain reference written from the rules' wording, on random tables and rule sets."""

from __future__ import annotations

import math

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.disclosure import AuditHistory, Measure, Row, Rules, Status, Table, control
from accord.disclosure.primary import judge
from accord.disclosure.rounding import round_counts
from tests.unit.disclosure.tables import parts_of

rules_st = st.builds(
    lambda m, n, k, p, rounding, zeros: Rules(min_count=m, nk=(n, k), p_ratio=p, audit=False,
                                              rounding_base=rounding if rounding and rounding > 1 else None,
                                              midpoint_six=rounding == 1, suppress_zeros=zeros),
    st.integers(1, 15), st.integers(1, 3), st.sampled_from([0.5, 0.6, 0.75, 0.9, 1.0]),
    st.sampled_from([0.0, 0.05, 0.1, 0.2, 0.5]), st.sampled_from([None, 1, 3, 5, 10]), st.booleans())

# a row: its contributions (whole numbers, so every sum is exact), some negative, some dominant
row_st = st.lists(st.one_of(st.integers(0, 50), st.integers(-20, -1), st.integers(500, 5000)),
                  min_size=0, max_size=25)


def reference_primary(values: list[int], rules: Rules, kind: str) -> bool:
    count = len(values)
    if count == 0:
        return rules.suppress_zeros
    if count < rules.min_count:
        return True
    if kind == "count":
        return False
    sizes = sorted((abs(v) for v in values), reverse=True)
    total = sum(sizes)
    n, k = rules.nk
    if sum(sizes[:n]) > k * total:
        return True
    top1 = sizes[0]
    top2 = sum(sizes[:2])
    return top1 > 0 and not (total - top2 > rules.p_ratio * top1)


def reference_round(count: int, rules: Rules) -> float:
    if rules.midpoint_six:
        return 0.0 if count == 0 else math.ceil(count / 6) * 6 - 3
    if rules.rounding_base:
        return math.floor(count / rules.rounding_base + 0.5) * rules.rounding_base
    return float(count)


def build(rows: list[list[int]]) -> Table:
    out, start = [], 0
    for i, values in enumerate(rows):
        v = np.asarray(values, dtype=np.float64)
        out.append(Row((f"r{i}",), parts_of(len(v)),
                       {"n": Measure("count", float(len(v))), "total": Measure.of("sum", v)}))
        start += len(v)
    return Table(("r",), out)


@settings(max_examples=300, deadline=None)
@given(rows=st.lists(row_st, min_size=1, max_size=12), rules=rules_st)
def test_primary_suppression_and_dominance_match_the_reference(rows: list[list[int]], rules: Rules) -> None:
    got = judge(build(rows), rules)
    for kind, name in (("count", "n"), ("sum", "total")):
        expected = [reference_primary(v, rules, kind) for v in rows]
        assert got.primary[name].tolist() == expected, (kind, rules)


@settings(max_examples=300, deadline=None)
@given(counts=st.lists(st.integers(0, 200), min_size=1, max_size=50), rules=rules_st)
def test_rounding_matches_the_reference(counts: list[int], rules: Rules) -> None:
    assert round_counts(np.array(counts), rules).tolist() == [reference_round(c, rules) for c in counts]


@settings(max_examples=60, deadline=None)
@given(rows=st.lists(row_st, min_size=1, max_size=8), rules=rules_st)
def test_the_release_shows_exactly_the_cells_the_reference_passes_rounded(rows: list[list[int]],
                                                                          rules: Rules) -> None:
    table = build(rows)
    n = sum(len(v) for v in rows)
    out = control(table, rules, AuditHistory.empty(n), n)
    for cell in out.cells:
        values = rows[cell.row]
        kind = "count" if cell.measure == "n" else "sum"
        primary = reference_primary(values, rules, kind) or reference_primary(values, rules, "count")
        assert (cell.status is Status.SUPPRESSED_PRIMARY) == primary, (cell, rules)
        shown = out.rows[cell.row].values[cell.measure]
        if cell.status.suppressed:
            assert shown is None
        elif kind == "count":
            assert shown == reference_round(len(values), rules)
        else:
            assert shown == float(sum(values))
