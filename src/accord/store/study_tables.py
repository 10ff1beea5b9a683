"""A study's pseudonymous analytic table, in its own DuckDB file under the hub's folder.

One row per child: `rid` (the row's stable number, which the disclosure audit counts by), `sid`
(the study's pseudonym: keyed by the study's own key, so it matches nothing else Accord holds),
then the study's dimensions (text) and measures (numbers). Queries are built here from a checked
specification, never from an analyst's text: names come from the study's catalog and values are
bound parameters.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import numpy as np

TABLE = "study"


def write_table(path: Path, rows: Sequence[Mapping[str, Any]], dims: Sequence[str], measures: Sequence[str],
                keep_rids: bool = True) -> int:
    """Write the study's rows (each with `sid`, every dim and measure) to `path`, replacing the
    table; a child seen in an earlier build keeps its `rid`, a new one gets the next. Returns rows."""
    with duckdb.connect(str(path)) as con:
        con.execute("CREATE TABLE IF NOT EXISTS rids (sid VARCHAR PRIMARY KEY, rid INTEGER)")
        known = dict(con.execute("SELECT sid, rid FROM rids").fetchall()) if keep_rids else {}
        next_rid = max(known.values(), default=-1) + 1
        new = []
        for row in sorted(rows, key=lambda r: str(r["sid"])):
            if row["sid"] not in known:
                known[row["sid"]] = next_rid
                new.append((row["sid"], next_rid))
                next_rid += 1
        if new:
            con.executemany("INSERT INTO rids VALUES (?, ?)", new)
        columns = ", ".join([f'"{d}" VARCHAR' for d in dims] + [f'"{m}" DOUBLE' for m in measures])
        tail = f", {columns}" if columns else ""
        con.execute(f"CREATE OR REPLACE TABLE {TABLE} (rid INTEGER, sid VARCHAR{tail})")
        con.executemany(f"INSERT INTO {TABLE} VALUES ({', '.join('?' * (2 + len(dims) + len(measures)))})",
                        [[known[r["sid"]], r["sid"], *(r[d] for d in dims), *(r[m] for m in measures)]
                         for r in rows])
    return len(rows)


def record_count(path: Path) -> int:
    """How many children the study has ever held (the audit's record numbers run to this)."""
    with duckdb.connect(str(path), read_only=True) as con:
        found = con.execute("SELECT COALESCE(MAX(rid) + 1, 0) FROM rids").fetchone()
    return int(found[0]) if found else 0


@dataclass(frozen=True, slots=True)
class Filter:
    dim: str
    op: str  # eq, neq, in, not_in, between
    values: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class GroupedCell:
    """One group of the query: its key, the rows in it, and each measured column's values."""

    key: tuple[str, ...]
    rids: np.ndarray[Any, np.dtype[np.int64]]
    values: dict[str, np.ndarray[Any, np.dtype[np.float64]]]


_OPS = {"eq": "= ?", "neq": "<> ?", "between": "BETWEEN ? AND ?"}


def _where(filters: Sequence[Filter]) -> tuple[str, list[str]]:
    clauses, params = [], []
    for f in filters:
        column = f'"{f.dim}"'
        if f.op in ("in", "not_in"):
            marks = ", ".join("?" * len(f.values))
            clauses.append(f"{column} {'NOT ' if f.op == 'not_in' else ''}IN ({marks})")
        else:
            clauses.append(f"{column} {_OPS[f.op]}")
        params += list(f.values)
    return (" WHERE " + " AND ".join(clauses)) if clauses else "", params


def domains(path: Path, group_by: Sequence[str], filters: Sequence[Filter]) -> list[list[str]]:
    """Each dimension's values as the table lists them: every value the study holds (its catalog, not
    the filtered children), narrowed only by the question's own filters on that dimension. The rows
    listed then depend on the catalog and the question alone, never on who is in a group."""
    out = []
    with duckdb.connect(str(path), read_only=True) as con:
        for dim in group_by:
            where, params = _where([f for f in filters if f.dim == dim])
            found = con.execute(f'SELECT DISTINCT "{dim}" FROM {TABLE}{where}', params).fetchall()
            out.append(sorted("" if v is None else str(v) for (v,) in found))
    return out


def grouped(path: Path, group_by: Sequence[str], measured: Sequence[str], filters: Sequence[Filter],
            listed: Sequence[Sequence[str]]) -> list[GroupedCell]:
    """One cell per combination of the `listed` values of `group_by` (see `domains`), empty or not,
    with the rows `filters` keep in it and the values of each `measured` column (NULLs dropped): what
    the disclosure engine needs to judge the cells."""
    where, params = _where(filters)
    keys = ", ".join(f'"{d}"' for d in group_by)
    lists = "".join(f', list("{m}") FILTER (WHERE "{m}" IS NOT NULL)' for m in measured)
    select = f"SELECT {keys + ', ' if keys else ''}list(rid){lists} FROM {TABLE}{where}"
    sql = select + (f" GROUP BY {keys} ORDER BY {keys}" if keys else "")
    with duckdb.connect(str(path), read_only=True) as con:
        fetched = con.execute(sql, params).fetchall()
    found = {}
    for row in fetched:
        key = tuple("" if v is None else str(v) for v in row[:len(group_by)])
        rids = np.asarray(row[len(group_by)] or [], dtype=np.int64)
        values = {m: np.asarray(row[len(group_by) + 1 + i] or [], dtype=np.float64)
                  for i, m in enumerate(measured)}
        found[key] = GroupedCell(key, rids, values)
    empty = {m: np.zeros(0, dtype=np.float64) for m in measured}
    return [found.get(key) or GroupedCell(key, np.zeros(0, dtype=np.int64), empty)
            for key in itertools.product(*listed)]
