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
    table; a child seen in an earlier build keeps its `rid` and its audit label, a new one gets the
    next rid and label 0 (see accord.disclosure.history). Returns rows."""
    with duckdb.connect(str(path)) as con:
        con.execute("CREATE TABLE IF NOT EXISTS rids (sid VARCHAR PRIMARY KEY, rid INTEGER)")
        con.execute("CREATE TABLE IF NOT EXISTS audit_labels (generation INTEGER)")
        if not con.execute("SELECT count(*) FROM audit_labels").fetchone()[0]:  # type: ignore[index]
            con.execute("INSERT INTO audit_labels VALUES (0)")
        known = dict(con.execute("SELECT sid, rid FROM rids").fetchall()) if keep_rids else {}
        had = {str(c) for (c,) in con.execute("SELECT column_name FROM duckdb_columns() WHERE table_name = ?",
                                               [TABLE]).fetchall()}
        labels = dict(con.execute(f"SELECT sid, label FROM {TABLE}").fetchall()) if "label" in had else {}
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
        con.execute(f"CREATE OR REPLACE TABLE {TABLE} (rid INTEGER, sid VARCHAR, label UBIGINT{tail})")
        con.executemany(f"INSERT INTO {TABLE} VALUES ({', '.join('?' * (3 + len(dims) + len(measures)))})",
                        [[known[r["sid"]], r["sid"], labels.get(r["sid"], 0), *(r[d] for d in dims),
                          *(r[m] for m in measures)] for r in rows])
        index_values(con, dims)
    return len(rows)


def index_values(con: duckdb.DuckDBPyConnection, dims: Sequence[str]) -> None:
    """Each dimension's values, kept beside the table (`values_DIM`) so that a question lists them
    without reading every row."""
    for dim in dims:
        con.execute(f'CREATE OR REPLACE TABLE "values_{dim}" AS SELECT DISTINCT "{dim}" FROM {TABLE}')


def labels_generation(path: Path) -> int:
    """How many releases the table's audit labels have followed."""
    with duckdb.connect(str(path), read_only=True) as con:
        found = con.execute("SELECT generation FROM audit_labels").fetchone()
    return int(found[0]) if found else 0


def relabel(path: Path, generation: int, everyone: Sequence[tuple[int, int]],
            rows: Sequence[tuple[tuple[str, ...], int, int]], group_by: Sequence[str],
            filters: Sequence[Filter]) -> None:
    """Move the records to the atoms release `generation` made, in one transaction: those labelled
    `old` (every record: `everyone`; those the release's filters kept with a row's key: `rows`) are
    labelled `new` (accord.disclosure.history.Relabel)."""
    where, params = where_of(filters)
    keys = "".join(f' AND coalesce(CAST({TABLE}."{d}" AS VARCHAR), \'\') = m.k{j}'
                   for j, d in enumerate(group_by))
    with duckdb.connect(str(path)) as con:
        con.execute("BEGIN TRANSACTION")
        for old, new in everyone:
            con.execute(f"UPDATE {TABLE} SET label = ? WHERE label = ?", [new, old])
        if rows:
            cols = ", ".join(["old UBIGINT", "new UBIGINT", *(f"k{j} VARCHAR" for j in range(len(group_by)))])
            con.execute(f"CREATE TEMP TABLE m ({cols})")
            con.executemany(f"INSERT INTO m VALUES ({', '.join('?' * (2 + len(group_by)))})",
                            [[old, new, *key] for key, old, new in rows])
            extra = where.replace(" WHERE ", " AND ", 1)
            con.execute(f"UPDATE {TABLE} SET label = m.new FROM m WHERE {TABLE}.label = m.old{keys}{extra}",
                        params)
        con.execute("UPDATE audit_labels SET generation = ?", [generation])
        con.execute("COMMIT")


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
class Measured:
    """A measured column over one group: how many values (NULLs dropped), their sum, the sum of their
    absolute values, their range and their `top` largest absolute values, descending."""

    n: int
    total: float
    size: float
    low: float
    high: float
    top: np.ndarray[Any, np.dtype[np.float64]]


@dataclass(frozen=True, slots=True)
class GroupedCell:
    """One group of the query: its key, how many of its rows carry each audit label, and what each
    measured column holds."""

    key: tuple[str, ...]
    labels: np.ndarray[Any, np.dtype[np.uint64]]
    counts: np.ndarray[Any, np.dtype[np.int64]]
    values: dict[str, Measured]


_OPS = {"eq": "= ?", "neq": "<> ?", "between": "BETWEEN ? AND ?"}


def where_of(filters: Sequence[Filter]) -> tuple[str, list[str]]:
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
            where, params = where_of([f for f in filters if f.dim == dim])
            found = con.execute(f'SELECT DISTINCT "{dim}" FROM "values_{dim}"{where}', params).fetchall()
            out.append(sorted("" if v is None else str(v) for (v,) in found))
    return out


def grouped(path: Path, group_by: Sequence[str], measured: Sequence[str], filters: Sequence[Filter],
            listed: Sequence[Sequence[str]], top: int) -> list[GroupedCell]:
    """One cell per combination of the `listed` values of `group_by` (see `domains`), empty or not:
    how many of the rows `filters` keep in it carry each audit label, and what each `measured` column
    holds there (its `top` largest absolute values among them). Rows whose key is not listed are left
    out. One GROUP BY over (key, label); no row leaves DuckDB. (Differential privacy reads neither
    labels nor largest values: `study_sums.summed`.)"""
    where, params = where_of(filters)
    keys = [f'coalesce(CAST("{d}" AS VARCHAR), \'\')' for d in group_by]
    col = {m: f'"{m}"' for m in measured}
    largest = {m: f"max(abs({col[m]}), {top})" if top > 0 else "NULL" for m in measured}
    stats = "".join(f', count({col[m]}), sum({col[m]}), sum(abs({col[m]})), min({col[m]}), max({col[m]}), '
                    f'{largest[m]}' for m in measured)
    sql = f"SELECT {''.join(k + ', ' for k in keys)}label, count(*){stats} FROM {TABLE}{where} GROUP BY ALL"
    with duckdb.connect(str(path), read_only=True) as con:
        fetched = con.execute(sql, params).fetchall()
    combos = list(itertools.product(*listed))
    index = {key: i for i, key in enumerate(combos)}
    width = len(group_by)
    fetched = [g for g in fetched if tuple(g[:width]) in index]
    row_of = np.fromiter((index[tuple(g[:width])] for g in fetched), dtype=np.int64, count=len(fetched))
    order = np.argsort(row_of, kind="stable")
    row_of = row_of[order]
    groups = [fetched[i][width:] for i in order]
    bounds = np.searchsorted(row_of, np.arange(len(combos) + 1))
    labels = np.array([g[0] for g in groups], dtype=np.uint64)
    counts = np.array([g[1] for g in groups], dtype=np.int64)
    values = [_measured([g[2 + 6 * i:8 + 6 * i] for g in groups], row_of, bounds, top)
              for i in range(len(measured))]
    return [GroupedCell(key, labels[bounds[r]:bounds[r + 1]], counts[bounds[r]:bounds[r + 1]],
                        {m: values[i][r] for i, m in enumerate(measured)}) for r, key in enumerate(combos)]


def _measured(stats: list[tuple[Any, ...]], row_of: np.ndarray[Any, np.dtype[np.int64]],
              bounds: np.ndarray[Any, np.dtype[np.int64]], top: int) -> list[Measured]:
    """Per row, a measured column's figures merged over its (key, label) groups."""
    rows = len(bounds) - 1
    n = np.bincount(row_of, weights=[float(s[0]) for s in stats], minlength=rows).astype(np.int64)
    total = np.bincount(row_of, weights=[float(s[1] or 0.0) for s in stats], minlength=rows)
    size = np.bincount(row_of, weights=[float(s[2] or 0.0) for s in stats], minlength=rows)
    low, high = np.full(rows, np.inf), np.full(rows, -np.inf)
    np.minimum.at(low, row_of, [np.inf if s[3] is None else float(s[3]) for s in stats])
    np.maximum.at(high, row_of, [-np.inf if s[4] is None else float(s[4]) for s in stats])
    tops = [s[5] or [] for s in stats]
    flat = np.array([v for t in tops for v in t], dtype=np.float64)
    owner = np.repeat(row_of, [len(t) for t in tops])
    order = np.lexsort((-flat, owner))
    flat, owner = flat[order], owner[order]
    rank = np.arange(len(flat)) - np.searchsorted(owner, owner)
    keep = rank < top
    flat, owner = flat[keep], owner[keep]
    cut = np.searchsorted(owner, np.arange(rows + 1))
    return [Measured(int(n[r]), float(total[r]), float(size[r]), float(low[r]) if n[r] else float("nan"),
                     float(high[r]) if n[r] else float("nan"), flat[cut[r]:cut[r + 1]]) for r in range(rows)]
