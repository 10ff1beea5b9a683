"""A question's groups as the disclosure engine reads them (`store.study_groups.grouped`): per listed
combination, in itertools.product order, how many of its children carry each audit label, and per
measured column the number of values, their sum, the sum of their sizes, their range and their largest
sizes, each equal to the same figures computed in Python over the rows written; with and without
negative values (a table with none is read without its sizes and maxima). Synthetic rows only."""

from __future__ import annotations

import itertools
import math
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pytest

from accord.store.study_groups import grouped
from accord.store.study_tables import Filter, write_table

DIMS = ("grade", "program")
LISTED = (["3", "4", "5", "9"], ["ell", "none"])  # grade 9: nobody; "x" and NULL: never listed


def rows_of(seed: int, size: int, negative: bool) -> list[dict[str, Any]]:
    rng = np.random.default_rng(seed)
    low = -5.0 if negative else 0.0
    return [{"sid": f"s{i}", "grade": str(rng.choice(["3", "4", "5", "x"])),
             "program": None if rng.random() < 0.1 else str(rng.choice(["ell", "none"])),
             "days": None if rng.random() < 0.1 else float(rng.uniform(low, 180.0)),
             "rate": None if rng.random() < 0.3 else float(rng.uniform(0.0, 1.0))} for i in range(size)]


def labelled(path: Path, seed: int) -> dict[str, int]:
    """Give the children audit labels 0 to 3 (as releases would), returns each one's label."""
    rng = np.random.default_rng(seed)
    with duckdb.connect(str(path)) as con:
        sids = [s for (s,) in con.execute("SELECT sid FROM study").fetchall()]
        labels = {s: int(rng.integers(0, 4)) for s in sids}
        con.executemany("UPDATE study SET label = ? WHERE sid = ?", [[v, s] for s, v in labels.items()])
    return labels


@pytest.mark.parametrize("negative", [False, True])
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_grouped_equals_the_figures_counted_row_by_row(tmp_path: Path, seed: int, negative: bool) -> None:
    rows = rows_of(seed, 300, negative)
    path = tmp_path / "study.duckdb"
    write_table(path, rows, DIMS, ("days", "rate"))
    labels = labelled(path, seed)
    kept = [r for r in rows if r["grade"] != "5"]
    cells = grouped(path, DIMS, ["days", "rate"], [Filter("grade", "neq", ("5",))], LISTED, 3)
    assert [c.key for c in cells] == list(itertools.product(*LISTED))
    for cell in cells:
        mine = [r for r in kept if (r["grade"], r["program"]) == cell.key]
        held = {v: sum(labels[r["sid"]] == v for r in mine) for v in {labels[r["sid"]] for r in mine}}
        assert dict(zip(cell.labels.tolist(), cell.counts.tolist(), strict=True)) == held
        for column in ("days", "rate"):
            values = [float(r[column]) for r in mine if r[column] is not None]
            got = cell.values[column]
            assert got.n == len(values)
            assert got.total == pytest.approx(sum(values))
            assert got.size == pytest.approx(sum(map(abs, values)))
            if values:
                assert (got.low, got.high) == (min(values), max(values))
            else:
                assert math.isnan(got.low) and math.isnan(got.high)
            assert got.top.tolist() == sorted(map(abs, values), reverse=True)[:3]


@pytest.mark.parametrize("top", [0, 2])
def test_a_group_whose_values_are_all_missing_reads_as_no_values(tmp_path: Path, top: int) -> None:
    """A grade where no child has a value of the column (its largest values come back NULL): read as
    none, not as the text DuckDB's masked NULL was filled with (a ValueError before)."""
    rows = [{"sid": f"s{i}", "grade": "3" if i < 5 else "4", "program": "ell",
             "days": None if i < 5 else float(i), "rate": 0.5} for i in range(20)]
    path = tmp_path / "study.duckdb"
    write_table(path, rows, DIMS, ("days", "rate"))
    cells = grouped(path, DIMS, ["days"], [], (["3", "4"], ["ell"]), top)
    empty, full = (c.values["days"] for c in cells)
    assert (empty.n, empty.total, len(empty.top)) == (0, 0.0, 0)
    assert (full.n, full.total, full.high) == (15, float(sum(range(5, 20))), 19.0)
