"""Each primary rule, shown to fail a cell it should and to pass one it should not."""

from __future__ import annotations

import numpy as np

from accord.disclosure import AuditHistory, Measure, Row, Rules, Status, Table, control
from tests.unit.disclosure.tables import parts_of


def row(key: str, start: int, values: list[float], kind: str = "sum") -> Row:
    v = np.asarray(values, dtype=np.float64)
    return Row((key,), parts_of(len(v)), {"n": Measure("count", float(len(v))), "x": Measure.of(kind, v)})  # type: ignore[arg-type]


def run(rows: list[Row], rules: Rules | None = None) -> dict[tuple[str, str], tuple[Status, str]]:
    n = sum(r.count for r in rows) + 5
    out = control(Table(("k",), rows), rules or Rules(audit=False), AuditHistory.empty(n), n)
    return {(out.rows[c.row].key[0], c.measure): (c.status, c.detail) for c in out.cells}


def spread(n: int, start: int = 0) -> tuple[int, list[float]]:
    return start, [10.0 + i for i in range(n)]


def test_min_count_suppresses_nine_passes_ten_and_hides_every_measure_of_a_small_row() -> None:
    out = run([row("a", 0, [5.0] * 9), row("b", 9, [5.0 + i for i in range(10)]),
               row("c", 19, [5.0 + i for i in range(30)])])
    assert out[("a", "n")][0] is Status.SUPPRESSED_PRIMARY
    assert out[("a", "x")][0] is Status.SUPPRESSED_PRIMARY
    assert "minimum of 10" in out[("a", "x")][1]
    assert out[("b", "n")][0] is not Status.SUPPRESSED_PRIMARY
    assert out[("c", "n")] == (Status.RELEASED, "")


def test_nk_dominance_two_largest_over_ninety_percent() -> None:
    dominated = [1000.0, 900.0] + [10.0] * 10  # 1900 / 2000 = 95% > 90%
    fine = [100.0, 90.0] + [50.0] * 10  # 190 / 690
    out = run([row("d", 0, dominated), row("f", 12, fine), row("g", 24, [60.0] * 20)],
              Rules(audit=False, p_ratio=0.0))
    assert out[("d", "x")][0] is Status.SUPPRESSED_PRIMARY and "dominance (2, 0.9)" in out[("d", "x")][1]
    assert out[("d", "n")][0] is not Status.SUPPRESSED_PRIMARY  # the count is not dominated
    assert out[("f", "x")][0] is not Status.SUPPRESSED_PRIMARY


def test_p_ratio_the_rest_must_exceed_p_times_the_largest() -> None:
    # total 1000 + 500 + 10 x 9 = 1590: rest = 90 <= 0.1 x 1000 -> fails; N-K: 1500/1590 = 94% (switch off)
    fails = [1000.0, 500.0] + [9.0] * 10
    passes = [1000.0, 500.0] + [11.0] * 10  # rest 110 > 100
    out = run([row("p", 0, fails), row("q", 12, passes), row("r", 24, [60.0] * 30)],
              Rules(audit=False, nk=(2, 1.0)))
    assert out[("p", "x")][0] is Status.SUPPRESSED_PRIMARY and "p% rule" in out[("p", "x")][1]
    assert out[("q", "x")][0] is not Status.SUPPRESSED_PRIMARY


def test_dominance_reads_absolute_values_and_negatives_are_flagged() -> None:
    negative = [-1000.0, 5.0] + [1.0] * 10
    out = run([row("m", 0, negative), row("o", 12, [60.0] * 30), row("z", 42, [61.0] * 30)])
    assert out[("m", "x")][0] is Status.SUPPRESSED_PRIMARY
    assert "negative contributions" in out[("m", "x")][1]
    quiet = run([row("m", 0, negative)], Rules(audit=False, flag_negatives=False))
    assert "negative" not in quiet[("m", "x")][1]


def test_all_zero_contributions_are_not_dominated() -> None:
    out = run([row("z", 0, [0.0] * 12), row("y", 12, [3.0] * 12)])
    assert out[("z", "x")][0] is Status.RELEASED


def test_a_zero_count_is_suppressed_with_the_small_counts_note() -> None:
    empty = Row(("e",), parts_of(0), {"n": Measure("count", 0.0)})
    small = Row(("s",), parts_of(3), {"n": Measure("count", 3.0)})
    full = Row(("f",), parts_of(20), {"n": Measure("count", 20.0)})
    out = control(Table(("k",), [empty, small, full]), Rules(audit=False), AuditHistory.empty(23), 23)
    assert out.rows[0].values["n"] is None and out.cells[0].status is Status.SUPPRESSED_PRIMARY
    assert out.cells[0].detail == out.cells[1].detail, "the note must not tell an empty cell from a small one"


def test_a_zero_count_is_shown_and_flagged_when_the_rules_show_zeros() -> None:
    empty = Row(("e",), parts_of(0), {"n": Measure("count", 0.0)})
    full = Row(("f",), parts_of(20), {"n": Measure("count", 20.0)})
    shown = Rules(audit=False, suppress_zeros=False)
    out = control(Table(("k",), [empty, full]), shown, AuditHistory.empty(20), 20)
    assert out.rows[0].values["n"] == 0.0
    assert out.cells[0].status is Status.RELEASED and out.cells[0].detail == "zero"
    quiet = control(Table(("k",), [empty, full]), Rules(audit=False, suppress_zeros=False, flag_zeros=False),
                    AuditHistory.empty(20), 20)
    assert quiet.cells[0].detail == ""


def test_a_mean_of_a_dominated_row_is_suppressed_like_a_sum() -> None:
    out = run([row("d", 0, [1000.0, 900.0] + [1.0] * 10, kind="mean"), row("g", 12, [60.0] * 20, kind="mean"),
               row("h", 32, [61.0] * 20, kind="mean")])
    assert out[("d", "x")][0] is Status.SUPPRESSED_PRIMARY
