"""Rounding of the counts shown and top/bottom coding of proportions."""

from __future__ import annotations

import numpy as np
import pytest

from accord.disclosure import AuditHistory, Contributions, Measure, Row, Rules, Status, Table, control
from accord.disclosure.rounding import round_counts
from tests.unit.disclosure.tables import parts_of


def test_rounding_to_a_base_takes_the_nearest_multiple_halves_up() -> None:
    got = round_counts(np.array([0, 2, 3, 12, 13, 22, 23]), Rules(rounding_base=5))
    assert got.tolist() == [0, 0, 5, 10, 15, 20, 25]


def test_midpoint_six_is_opensafelys_roundmid_any() -> None:
    got = round_counts(np.arange(0, 20), Rules(midpoint_six=True))
    assert got.tolist() == [0] + [3] * 6 + [9] * 6 + [15] * 6 + [21]


def test_only_released_counts_are_rounded_and_say_so() -> None:
    rows = [Row((str(i),), parts_of(n), {"n": Measure("count", float(n))})
            for i, n in enumerate([12, 23, 37])]
    out = control(Table(("k",), rows), Rules(rounding_base=5, audit=False), AuditHistory.empty(200), 200)
    assert [r.values["n"] for r in out.rows] == [10.0, 25.0, 35.0]
    assert all(c.status is Status.ROUNDED and "multiple of 5" in c.detail for c in out.cells)


@pytest.mark.parametrize(("values", "shown", "flag"), [
    ([0.0] * 10 + [1.0] * 0, 0.05, "bottom-coded: < 5%"),
    ([1.0] * 20, 0.95, "top-coded: > 95%"),
    ([1.0] * 10 + [0.0] * 10, 0.5, ""),
])
def test_proportions_are_top_and_bottom_coded(values: list[float], shown: float, flag: str) -> None:
    v = np.asarray(values)
    other = np.full(20, 0.5)
    rows = [Row(("a",), parts_of(len(v)),
                {"n": Measure("count", float(len(v))), "share": Measure.of("mean", v)}),
            Row(("b",), parts_of(20),
                {"n": Measure("count", 20.0), "share": Measure("mean", 0.5, Contributions.of(other))})]
    rules = Rules(percent_top_bottom=0.05, audit=False)
    out = control(Table(("k",), rows), rules, AuditHistory.empty(200), 200)
    assert out.rows[0].values["share"] == pytest.approx(shown)
    assert out.outcome(0, "share").detail == flag
