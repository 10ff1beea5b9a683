"""The table a study's query produced, before disclosure control: its rows (one per group of a GROUP
BY), the study records each row holds (by their stable index in the study) and its measures.

Rows of one table are disjoint: a GROUP BY partitions the records its filter kept. The count of a row
is the number of its members; a sum or a mean carries the per-record values it was computed from,
which only the dominance rules read and nothing shows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import combinations
from typing import Literal

import numpy as np
import numpy.typing as npt

from accord.errors import AccordError

MeasureKind = Literal["count", "sum", "mean"]
KINDS: frozenset[str] = frozenset({"count", "sum", "mean"})

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]


class TableInvalid(AccordError, ValueError):
    """A table the engine cannot judge: rows that overlap, keys of the wrong length, unknown kinds."""


def _no_values() -> FloatArray:
    return np.zeros(0, dtype=np.float64)


@dataclass(frozen=True)
class Measure:
    """One figure of a row: a count (contributions empty), or a sum or mean of per-record values."""

    kind: MeasureKind
    value: float
    contributions: FloatArray = field(default_factory=_no_values)


@dataclass(frozen=True)
class Row:
    key: tuple[str, ...]
    members: IntArray
    measures: dict[str, Measure]

    @property
    def count(self) -> int:
        return int(len(self.members))


@dataclass(frozen=True)
class Table:
    dims: tuple[str, ...]
    rows: list[Row]

    def measure_names(self) -> list[str]:
        """The measures of the table, in the order of its first row."""
        return list(self.rows[0].measures) if self.rows else []

    def counts(self) -> IntArray:
        return np.fromiter((len(r.members) for r in self.rows), dtype=np.int64, count=len(self.rows))

    def check(self, n_records: int) -> None:
        """Refuse a table whose rows overlap, whose members fall outside the study, or whose rows do
        not agree on keys and measures (the engine's guarantees assume a partition)."""
        names = self.measure_names()
        for i, row in enumerate(self.rows):
            if len(row.key) != len(self.dims):
                raise TableInvalid(f"row {i} has {len(row.key)} key parts for {len(self.dims)} dimensions")
            if list(row.measures) != names:
                raise TableInvalid(f"row {i} does not carry the measures of row 0")
            for name, m in row.measures.items():
                if m.kind not in KINDS:
                    raise TableInvalid(f"measure {name!r} of row {i} has an unknown kind")
                if m.kind != "count" and len(m.contributions) != len(row.members):
                    raise TableInvalid(f"measure {name!r} of row {i}: one contribution per member needed")
        if not self.rows:
            return
        members = np.concatenate([r.members for r in self.rows]) if self.rows else np.zeros(0, np.int64)
        if len(members) and (members.min() < 0 or members.max() >= n_records):
            raise TableInvalid("a row holds a record outside the study")
        if len(members) and np.bincount(members, minlength=n_records).max() > 1:
            raise TableInvalid("rows overlap: a record falls in two rows of one table")
        if len({r.key for r in self.rows}) != len(self.rows):
            raise TableInvalid("two rows share a key")


def margin_groups(table: Table) -> list[IntArray]:
    """Every margin an analyst can ask for with a coarser query of the same filter: for each proper
    subset of the dimensions (down to the grand total), the rows that share a key on it. Each group is
    an array of row indices; groups of one row are kept (they pin that row)."""
    k = len(table.dims)
    groups: list[IntArray] = []
    for size in range(k):
        for kept in combinations(range(k), size):
            by: dict[tuple[str, ...], list[int]] = {}
            for i, row in enumerate(table.rows):
                by.setdefault(tuple(row.key[d] for d in kept), []).append(i)
            groups.extend(np.asarray(rows, dtype=np.int64) for rows in by.values())
    return groups
