"""The table a study's query produced, before disclosure control: its rows (one per combination of the
grouped dimensions' values, empty or not), how each row's records fall into the audit's atoms
(`Parts`) and its measures.

Rows of one table are disjoint: a GROUP BY partitions the records its filter kept. The count of a row
is the number of its records; a sum or a mean carries what the dominance rules read of the per-record
values it was computed from (`Contributions`: their number, total size, largest sizes, range), which
nothing shows. The engine never sees a record: the plumbing (the study's DuckDB table) aggregates to
this form, so that a question over ten million children hands the engine a few thousand numbers.
"""

from __future__ import annotations

from collections.abc import Sequence
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
U64 = npt.NDArray[np.uint64]


class TableInvalid(AccordError, ValueError):
    """A table the engine cannot judge: keys of the wrong length, rows that disagree, unknown kinds."""


def _no_values() -> FloatArray:
    return np.zeros(0, dtype=np.float64)


@dataclass(frozen=True)
class Contributions:
    """What the rules read of a sum's or mean's per-record values: how many, the total of their
    absolute values, the largest absolute values in descending order (at least as many as the rules
    read: Rules.top_needed), and the smallest and largest value (nan when there are none)."""

    n: int = 0
    total: float = 0.0
    top: FloatArray = field(default_factory=_no_values)
    low: float = float("nan")
    high: float = float("nan")

    @classmethod
    def of(cls, values: npt.ArrayLike) -> Contributions:
        v = np.asarray(values, dtype=np.float64)
        if not len(v):
            return cls()
        size = np.abs(v)
        return cls(len(v), float(size.sum()), -np.sort(-size), float(v.min()), float(v.max()))

    @classmethod
    def merge(cls, parts: Sequence[Contributions]) -> Contributions:
        """The contributions of a union of disjoint groups (a margin of the table)."""
        full = [p for p in parts if p.n]
        if not full:
            return cls()
        # A part's top holds all its values or its largest few: the union's largest are known as far
        # as the shortest cut-off top reaches.
        cut = [len(p.top) for p in full if len(p.top) < p.n]
        top = -np.sort(-np.concatenate([p.top for p in full]))
        if cut:
            top = top[:min(cut)]
        return cls(sum(p.n for p in full), float(sum(p.total for p in full)), top,
                   min(p.low for p in full), max(p.high for p in full))

    @property
    def negative(self) -> bool:
        return self.n > 0 and self.low < 0


@dataclass(frozen=True)
class Parts:
    """How a row's records fall into the atoms of the study's audit history (`history`): the atoms'
    labels and how many of the row's records each holds."""

    labels: U64
    counts: IntArray
    total: int = -1  # how many records: the counts' sum, found here when not given

    def __post_init__(self) -> None:
        if self.total < 0:
            object.__setattr__(self, "total", int(self.counts.sum()))

    @classmethod
    def none(cls) -> Parts:
        return cls(np.zeros(0, np.uint64), np.zeros(0, np.int64))


@dataclass(frozen=True)
class Measure:
    """One figure of a row: a count, or a sum or mean with what the rules read of its values."""

    kind: MeasureKind
    value: float
    contributions: Contributions = field(default_factory=Contributions)

    @classmethod
    def of(cls, kind: MeasureKind, values: npt.ArrayLike) -> Measure:
        """The measure of a row's per-record values (a count counts them)."""
        v = np.asarray(values, dtype=np.float64)
        if kind == "count":
            return cls("count", float(len(v)))
        total = float(v.sum()) if len(v) else 0.0
        value = total if kind == "sum" else (total / len(v) if len(v) else float("nan"))
        return cls(kind, value, Contributions.of(v))


@dataclass(frozen=True)
class Row:
    key: tuple[str, ...]
    parts: Parts
    measures: dict[str, Measure]

    @property
    def count(self) -> int:
        return self.parts.total


@dataclass(frozen=True)
class Table:
    dims: tuple[str, ...]
    rows: list[Row]

    def measure_names(self) -> list[str]:
        """The measures of the table, in the order of its first row."""
        return list(self.rows[0].measures) if self.rows else []

    def counts(self) -> IntArray:
        return np.fromiter((r.parts.total for r in self.rows), dtype=np.int64, count=len(self.rows))

    def check(self) -> None:
        """Refuse a table whose rows do not agree on keys and measures, or whose figures cannot be a
        row's (the engine's guarantees assume a partition, which the plumbing's GROUP BY gives)."""
        names = self.measure_names()
        emptied = _rows_with_empty_atoms(self.rows)
        for i, row in enumerate(self.rows):
            if len(row.key) != len(self.dims):
                raise TableInvalid(f"row {i} has {len(row.key)} key parts for {len(self.dims)} dimensions")
            if list(row.measures) != names:
                raise TableInvalid(f"row {i} does not carry the measures of row 0")
            if len(row.parts.labels) != len(row.parts.counts) or i in emptied:
                raise TableInvalid(f"row {i}: each atom it names must hold at least one of its records")
            for name, m in row.measures.items():
                if m.kind not in KINDS:
                    raise TableInvalid(f"measure {name!r} of row {i} has an unknown kind")
                if m.kind != "count" and m.contributions.n > row.count:
                    raise TableInvalid(f"measure {name!r} of row {i}: more contributions than records")
        if len({r.key for r in self.rows}) != len(self.rows):
            raise TableInvalid("two rows share a key")


def _rows_with_empty_atoms(rows: Sequence[Row]) -> set[int]:
    """The rows naming an atom that holds none of their records (one array test over the table)."""
    counts = [r.parts.counts for r in rows]
    if not counts:
        return set()
    owner = np.repeat(np.arange(len(counts)), [len(c) for c in counts])
    return set(owner[np.concatenate(counts) < 1].tolist())


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
