"""A study's pseudonymous analytic table, in its own DuckDB file under the hub's folder.

One row per child: `rid` (the row's stable number, which the disclosure audit counts by), `sid`
(the study's pseudonym: keyed by the study's own key, so it matches nothing else Accord holds),
then the study's dimensions (text) and measures (numbers). Queries are built here from a checked
specification, never from an analyst's text: names come from the study's catalog and values are
bound parameters.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import numpy as np

from accord.store.study_files import opened

TABLE = "study"


def write_table(path: Path, rows: Sequence[Mapping[str, Any]], dims: Sequence[str], measures: Sequence[str],
                keep_rids: bool = True) -> int:
    """Write the study's rows (each with `sid`, every dim and measure) to `path`, replacing the
    table; a child seen in an earlier build keeps its `rid` and its audit label, a new one gets the
    next rid and label 0 (see accord.disclosure.history). Returns rows."""
    with opened(path, create=True) as con:
        # No key constraint: `known` gives each pseudonym one row number; DuckDB reloads a key's index
        # at every connection (89 ms a question at a million children, a table reading no rid).
        con.execute("CREATE TABLE IF NOT EXISTS rids (sid VARCHAR, rid INTEGER)")
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
    with opened(path) as con:
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
    with opened(path) as con:
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
    with opened(path) as con:
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
    total: int  # the group's rows: the counts' sum


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
    with opened(path) as con:
        for dim in group_by:
            where, params = where_of([f for f in filters if f.dim == dim])
            found = con.execute(f'SELECT DISTINCT "{dim}" FROM "values_{dim}"{where}', params).fetchall()
            out.append(sorted("" if v is None else str(v) for (v,) in found))
    return out
