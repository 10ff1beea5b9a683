"""A question's groups read from a study's table (issue 18, ADR 0024): one GROUP BY over (key, audit
label) in DuckDB, returned as columns and merged per listed combination in numpy; what the disclosure
engine reads of them, never a row."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import duckdb
import numpy as np

from accord.store.study_files import opened
from accord.store.study_tables import TABLE, Filter, GroupedCell, Measured, where_of

IntArray = np.ndarray[Any, np.dtype[np.int64]]
FloatArray = np.ndarray[Any, np.dtype[np.float64]]


def grouped(path: Path, group_by: Sequence[str], measured: Sequence[str], filters: Sequence[Filter],
            listed: Sequence[Sequence[str]], top: int, may_dominate: MayDominate | None = None
            ) -> list[GroupedCell]:
    """One cell per combination of the `listed` values of `group_by` (see `domains`), empty or not:
    how many of the rows `filters` keep in it carry each audit label, and what each `measured` column
    holds there (its `top` largest absolute values among them). Rows whose key is not listed are left
    out. One GROUP BY over (key, label); no row leaves DuckDB, and the groups come back as columns.
    (Differential privacy reads neither labels nor largest values: `study_sums.summed`.)

    Where no value of a measured column is negative, its sum of absolute values is its sum and its
    largest value its largest absolute one: the GROUP BY reads neither (each is one more aggregate over
    every row), and is asked again with both only when a minimum comes back negative.

    With `may_dominate` (which rows' dominance verdict could turn on more than their largest size: the
    disclosure engine's `may_be_dominated`), the GROUP BY first reads each column's largest size alone
    (the list of the `top` largest was a fifth of its time at 10M rows); when no row of any column may
    be dominated, each row's `top` holds that one value, which settles every rule for the row and for
    any union of such rows (a margin). Otherwise it is asked again for the `top` largest."""
    where, params = where_of(filters)
    lean = top > 0 and may_dominate is not None
    with opened(path) as con:
        fetched = _fetch(con, group_by, measured, where, params, top, lean)
        cells = _cells(fetched, measured, listed, top)
        if lean and may_dominate is not None and any(may_dominate(*_sizes(cells, m)).any() for m in measured):
            cells = _cells(_fetch(con, group_by, measured, where, params, top, False), measured, listed, top)
    return cells


MayDominate = Callable[[FloatArray, FloatArray], "np.ndarray[Any, np.dtype[np.bool_]]"]


def _fetch(con: duckdb.DuckDBPyConnection, group_by: Sequence[str], measured: Sequence[str], where: str,
           params: Sequence[Any], top: int, lean: bool) -> dict[str, Any]:
    """The GROUP BY's columns, asked again with sizes and maxima when a minimum is negative."""
    fetched = con.execute(_grouping(group_by, measured, where, top, False, lean), params).fetchnumpy()
    if any((_floats(fetched[f"low{i}"]) < 0).any() for i in range(len(measured))):
        fetched = con.execute(_grouping(group_by, measured, where, top, True, lean), params).fetchnumpy()
    if lean:  # each group's largest size as a top of one, which `_measured` merges as it merges tops
        for i in range(len(measured)):
            big = _floats(fetched.pop(f"big{i}"))  # NaN: a group with no value
            tops = np.empty(len(big), dtype=object)
            tops[:] = [[] if b != b else [b] for b in big.tolist()]
            fetched[f"top{i}"] = tops
    return fetched


def _sizes(cells: Sequence[GroupedCell], column: str) -> tuple[FloatArray, FloatArray]:
    """Per row, a measured column's sum of sizes and its largest size (0 for no values)."""
    size = np.fromiter((c.values[column].size for c in cells), dtype=np.float64, count=len(cells))
    largest = np.fromiter((c.values[column].top[0] if len(c.values[column].top) else 0.0 for c in cells),
                          dtype=np.float64, count=len(cells))
    return size, largest


def _cells(fetched: Mapping[str, Any], measured: Sequence[str], listed: Sequence[Sequence[str]],
           top: int) -> list[GroupedCell]:
    combos = list(itertools.product(*listed))
    found = _row_of(fetched, listed)
    order = np.flatnonzero(found >= 0)
    order = order[np.argsort(found[order], kind="stable")]
    row_of = found[order]
    bounds = np.searchsorted(row_of, np.arange(len(combos) + 1))
    labels = np.asarray(fetched["label"], dtype=np.uint64)[order]
    counts = np.asarray(fetched["n"], dtype=np.int64)[order]
    values = [_measured({k: fetched[f"{k}{i}"][order] for k in _STATS if f"{k}{i}" in fetched}, row_of,
                        bounds, top) for i in range(len(measured))]
    totals = np.bincount(row_of, weights=counts, minlength=len(combos)).astype(np.int64).tolist()
    return [GroupedCell(key, labels[bounds[r]:bounds[r + 1]], counts[bounds[r]:bounds[r + 1]],
                        {m: values[i][r] for i, m in enumerate(measured)}, totals[r])
            for r, key in enumerate(combos)]


_STATS = ("n", "total", "size", "low", "high", "top")


def _grouping(group_by: Sequence[str], measured: Sequence[str], where: str, top: int, signed: bool,
              lean: bool = False) -> str:
    """The GROUP BY over (key, label), the dimensions being text (`write_table`): per measured column
    its count, sum, minimum and `top` largest absolute values (`lean`: the largest alone), and, when
    `signed` (or no largest values are read), its sum of absolute values and its maximum."""
    stats = []
    for i, m in enumerate(measured):
        col = f'"{m}"'
        stats += [f"count({col}) AS n{i}", f"sum({col}) AS total{i}", f"min({col}) AS low{i}"]
        if top > 0:
            stats += [f"max(abs({col})) AS big{i}" if lean else f"max(abs({col}), {top}) AS top{i}"]
        stats += [f"sum(abs({col})) AS size{i}", f"max({col}) AS high{i}"] if signed or top <= 0 else []
    keys = [f'"{d}" AS k{j}' for j, d in enumerate(group_by)]
    return f"SELECT {', '.join([*keys, 'label', 'count(*) AS n', *stats])} FROM {TABLE}{where} GROUP BY ALL"


def _floats(column: Any, empty: float = np.nan) -> FloatArray:
    """A fetched numeric column as floats, NULL (a group without a value) as `empty`."""
    return np.asarray(np.ma.filled(np.ma.asarray(column, dtype=np.float64), empty), dtype=np.float64)


def _objects(column: Any) -> list[Any]:
    """A fetched column's values, NULL as None (`np.ma.filled(..., None)` fills with the array's own
    fill value instead, '?' for objects: a list of largest values read as text)."""
    if not np.ma.isMaskedArray(column):
        return list(column)
    return [None if masked else value
            for value, masked in zip(column.data.tolist(), np.ma.getmaskarray(column).tolist(), strict=True)]


def _row_of(fetched: Mapping[str, Any], listed: Sequence[Sequence[str]]) -> IntArray:
    """Each fetched group's row among the listed combinations (in itertools.product's order), or -1
    when a value of its key is not listed (NULL never is)."""
    row = np.zeros(len(fetched["n"]), dtype=np.int64)
    for j, values in enumerate(listed):
        position = {v: p for p, v in enumerate(values)}
        column = _objects(fetched[f"k{j}"])
        at = np.fromiter((position.get(v, -1) for v in column), dtype=np.int64, count=len(column))
        row = np.where((row < 0) | (at < 0), -1, row * len(values) + at)
    return row


def _measured(stats: Mapping[str, Any], row_of: IntArray,
              bounds: IntArray, top: int) -> list[Measured]:
    """Per row, a measured column's figures merged over its (key, label) groups (`_grouping`'s
    columns, in the groups' order)."""
    rows = len(bounds) - 1
    n = np.bincount(row_of, weights=_floats(stats["n"], 0.0), minlength=rows).astype(np.int64)
    total = np.bincount(row_of, weights=_floats(stats["total"], 0.0), minlength=rows)
    size = (np.bincount(row_of, weights=_floats(stats["size"], 0.0), minlength=rows) if "size" in stats
            else total)
    low = np.full(rows, np.inf)
    np.minimum.at(low, row_of, _floats(stats["low"], np.inf))
    tops = ([[] if t is None else t for t in _objects(stats["top"])] if "top" in stats
            else [[] for _ in row_of])
    flat = np.array([v for t in tops for v in t], dtype=np.float64)
    owner = np.repeat(row_of, [len(t) for t in tops])
    order = np.lexsort((-flat, owner))
    flat, owner = flat[order], owner[order]
    rank = np.arange(len(flat)) - np.searchsorted(owner, owner)
    keep = rank < top
    flat, owner = flat[keep], owner[keep]
    cut = np.searchsorted(owner, np.arange(rows + 1))
    high = np.full(rows, -np.inf)
    if "high" in stats:
        np.maximum.at(high, row_of, _floats(stats["high"], -np.inf))
    else:  # no value is negative: the largest is the largest absolute one, first of each row's top
        has = cut[:-1] < cut[1:]
        high[has] = flat[cut[:-1][has]]
    return [Measured(int(n[r]), float(total[r]), float(size[r]), float(low[r]) if n[r] else float("nan"),
                     float(high[r]) if n[r] else float("nan"), flat[cut[r]:cut[r + 1]]) for r in range(rows)]
