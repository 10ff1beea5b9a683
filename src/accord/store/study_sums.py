"""What a question under differential privacy reads of a study's table (issue 19, ADR 0025): per
combination of the grouped dimensions' public values, how many children, and per measured column
how many values (NULLs dropped) and their sum, each value first clamped to the catalog's bounds.

One GROUP BY in DuckDB, joined there to the listed combinations so that each figure comes out as one
vector in the combinations' order, an empty combination as zeros and a child whose value is not
listed in no row. Nothing else leaves DuckDB: no audit labels, no largest values, no object per row
(the rule-based path's `study_tables.grouped` reads those; noise needs none of them).
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from accord.store.study_files import opened
from accord.store.study_tables import TABLE, Filter, where_of

IntArray = np.ndarray[Any, np.dtype[np.int64]]
FloatArray = np.ndarray[Any, np.dtype[np.float64]]


@dataclass(frozen=True, slots=True)
class Sums:
    """One entry per combination of the listed values (`keys`, in `itertools.product` order)."""

    keys: list[tuple[str, ...]]
    counts: IntArray  # children
    n: dict[str, IntArray]  # per measured column: how many values
    totals: dict[str, FloatArray]  # per measured column: the sum of its values, clamped


def summed(path: Path, group_by: Sequence[str], measured: Sequence[str], filters: Sequence[Filter],
           listed: Sequence[Sequence[str]], clamp: Mapping[str, tuple[float, float]]) -> Sums:
    """The figures of every combination of the `listed` values of `group_by` among the rows `filters`
    keep, each `measured` value clamped to `clamp`'s bounds (every measured column must have them)."""
    where, conditions = where_of(filters)
    width = len(group_by)
    # Each dimension's listed values with their positions: the combinations are their cross product,
    # ordered as itertools.product orders them.
    lists = "".join(f" CROSS JOIN (SELECT unnest(?::VARCHAR[]) AS k{j}, unnest(range(?)) AS p{j}) AS l{j}"
                    for j in range(width))
    on = " AND ".join(f"l{j}.k{j} = g.k{j}" for j in range(width)) or "TRUE"
    order = f" ORDER BY {', '.join(f'p{j}' for j in range(width))}" if width else ""
    out = "".join(f", coalesce(g.n{i}, 0) AS n{i}, coalesce(g.s{i}, 0.0) AS s{i}"
                  for i in range(len(measured)))
    sql = (f"WITH g AS ({_groups(group_by, measured, clamp, where)}) SELECT coalesce(g.c, 0) AS c{out} "
           f"FROM (SELECT 1) AS one{lists} LEFT JOIN g ON {on}{order}")
    params: list[Any] = [*conditions]
    for values in listed:
        params += [list(values), len(values)]
    with opened(path) as con:
        got = con.execute(sql, params).fetchnumpy()
    return Sums(list(itertools.product(*listed)), np.asarray(got["c"], dtype=np.int64),
                {m: np.asarray(got[f"n{i}"], dtype=np.int64) for i, m in enumerate(measured)},
                {m: np.asarray(got[f"s{i}"], dtype=np.float64) for i, m in enumerate(measured)})


def _groups(group_by: Sequence[str], measured: Sequence[str], clamp: Mapping[str, tuple[float, float]],
            where: str) -> str:
    """The GROUP BY: per key (as text, NULL as ''), its rows, and per measured column its values'
    number (NULLs dropped) and clamped sum."""
    keys = "".join(f'coalesce(CAST("{d}" AS VARCHAR), \'\') AS k{j}, ' for j, d in enumerate(group_by))
    figures = ""
    for i, m in enumerate(measured):
        low, high = (float(b) for b in clamp[m])
        # DuckDB's least and greatest skip NULLs: a missing value would come out as a bound
        value = f'CASE WHEN "{m}" IS NOT NULL THEN least(greatest("{m}", {low!r}), {high!r}) END'
        figures += f", count({value}) AS n{i}, sum({value}) AS s{i}"
    return f"SELECT {keys}count(*) AS c{figures} FROM {TABLE}{where} GROUP BY ALL"
