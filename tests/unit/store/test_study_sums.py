"""What a question under differential privacy reads of a study's table (`store.study_sums.summed`):
per listed combination, in itertools.product order, the children, and per measured column its values'
number and clamped sum, each equal to the same figures counted in Python over the rows written.
Synthetic rows only."""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from accord.store.study_sums import summed
from accord.store.study_tables import Filter, write_table

DIMS = ("grade", "program")
MEASURES = ("days", "rate")
BOUNDS = {"days": (0.0, 180.0), "rate": (0.0, 1.0)}


def rows_of(seed: int, size: int) -> list[dict[str, Any]]:
    """Children with grades 3-6 and "x" (never listed), programs with a NULL among them, measures
    beyond the bounds on both sides and NULL now and then."""
    rng = np.random.default_rng(seed)
    rows = []
    for i in range(size):
        days = None if rng.random() < 0.1 else float(rng.uniform(-20.0, 200.0))
        rate = None if rng.random() < 0.1 else float(rng.uniform(-0.2, 1.3))
        rows.append({"sid": f"s{i}", "grade": str(rng.choice(["3", "4", "5", "6", "x"])),
                     "program": None if rng.random() < 0.1 else str(rng.choice(["ell", "none"])),
                     "days": days, "rate": rate})
    return rows


def expected(rows: list[dict[str, Any]], group_by: Sequence[str], listed: Sequence[Sequence[str]],
             kept: Any) -> dict[tuple[str, ...], tuple[int, dict[str, int], dict[str, float]]]:
    out = {key: (0, dict.fromkeys(MEASURES, 0), dict.fromkeys(MEASURES, 0.0))
           for key in itertools.product(*listed)}
    for row in rows:
        key = tuple("" if row[d] is None else row[d] for d in group_by)
        if key not in out or not kept(row):
            continue
        count, n, total = out[key]
        for m in MEASURES:
            if row[m] is not None:
                n[m] += 1
                total[m] += min(max(row[m], BOUNDS[m][0]), BOUNDS[m][1])
        out[key] = (count + 1, n, total)
    return out


@pytest.fixture(scope="module")
def study(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[dict[str, Any]]]:
    path = tmp_path_factory.mktemp("sums") / "study.duckdb"
    rows = rows_of(19, 600)
    write_table(path, rows, DIMS, MEASURES)
    return path, rows


CASES = {
    # listed out of sorted order, "7" listed but held by no one, "x" held but not listed, NULL as ""
    "two dimensions": (DIMS, [["5", "3", "7", "4", "6"], ["none", "", "ell"]], (), lambda r: True),
    "a filter on another dimension": (("grade",), [["4", "3"]], (Filter("program", "eq", ("ell",)),),
                                      lambda r: r["program"] == "ell"),
    "no dimension": ((), [], (Filter("grade", "in", ("3", "x")),), lambda r: r["grade"] in ("3", "x")),
}


@pytest.mark.parametrize("case", list(CASES))
def test_each_listed_combination_gets_its_children_and_clamped_sums(
        study: tuple[Path, list[dict[str, Any]]], case: str) -> None:
    path, rows = study
    group_by, listed, filters, kept = CASES[case]
    got = summed(path, group_by, list(MEASURES), filters, listed, BOUNDS)
    want = expected(rows, group_by, listed, kept)
    assert got.keys == list(want), "one entry per combination, in itertools.product order"
    assert got.counts.tolist() == [c for c, _, _ in want.values()]
    for m in MEASURES:
        assert got.n[m].tolist() == [n[m] for _, n, _ in want.values()]
        assert all(math.isclose(a, t[m], rel_tol=1e-12, abs_tol=1e-9)
                   for a, (_, _, t) in zip(got.totals[m].tolist(), want.values(), strict=True))
    assert sum(got.counts) > 0, "the case reads someone"


def test_a_combination_no_child_holds_is_zeros(study: tuple[Path, list[dict[str, Any]]]) -> None:
    path, _ = study
    got = summed(path, ("grade",), ["rate"], (), [["7"]], BOUNDS)
    assert got.keys == [("7",)] and got.counts.tolist() == [0]
    assert got.n["rate"].tolist() == [0] and got.totals["rate"].tolist() == [0.0]
