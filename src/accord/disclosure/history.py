"""What a study has released so far, kept compactly for query auditing (`accord.disclosure.audit`).

No record is held here. The plumbing labels each study record with a 64-bit label (a column of the
study's table, or `labels.RecordLabels` in memory); records that no released cell separates share a
label: they form an *atom*. The history keeps each atom's label and size, and for each released cell
its count and the labels of the atoms it covers. A release splits atoms: the records of atom s that
fall in its cell j are relabelled mix(s ^ tag_j), and every earlier cell covering s now covers the
parts. How the labels change is a `Relabel`, which the history keeps as `pending` until the plumbing
has applied it (the history is the truth; the labels catch up before the next question).

The study's size is known to the analyst, so it is a released cell too. Records that join the study
later come labelled 0; the first release after they join relabels atom 0 (at the study's first
release, everyone), so that they stay apart from those who join later still.

Size: per atom a label and a count; per released cell its count and one label per atom it covers.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property

import numpy as np
import numpy.typing as npt

from accord.disclosure.outcome import Released
from accord.disclosure.table import U64, IntArray, Parts
from accord.errors import AccordError

_MASK = np.uint64(0xFFFFFFFFFFFFFFFF)
VERSION = 2


class HistoryUnreadable(AccordError, ValueError):
    """A stored audit history that is not one this engine wrote, or labels that do not match it."""

    code = "history_unreadable"


def mix(x: U64) -> U64:
    """SplitMix64's finaliser, elementwise (wrapping arithmetic)."""
    with np.errstate(over="ignore"):
        z = (x + np.uint64(0x9E3779B97F4A7C15)) & _MASK
        z = ((z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)) & _MASK
        z = ((z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)) & _MASK
        return z ^ (z >> np.uint64(31))


def _tags(first: int, count: int) -> U64:
    """The tags of released cells first .. first + count - 1."""
    return mix(np.arange(first + 1, first + count + 1, dtype=np.uint64))


def _no_labels() -> U64:
    return np.zeros(0, np.uint64)


def _no_ints() -> IntArray:
    return np.zeros(0, np.int64)


@dataclass(frozen=True)
class Relabel:
    """Records labelled `old` that fall in cell `cell` of a release (-1: every record so labelled,
    the study's size) are labelled `new`; entries apply in order."""

    old: U64 = field(default_factory=_no_labels)
    cell: IntArray = field(default_factory=_no_ints)
    new: U64 = field(default_factory=_no_labels)

    def __add__(self, other: Relabel) -> Relabel:
        return Relabel(np.concatenate([self.old, other.old]), np.concatenate([self.cell, other.cell]),
                       np.concatenate([self.new, other.new]))

    @cached_property
    def _everyone(self) -> IntArray:
        """The entries for every record (found once: a release applies them to each of its rows)."""
        return np.flatnonzero(self.cell == -1)

    def applied(self, parts: Sequence[Parts]) -> list[Parts]:
        """Each of `parts` under the labels after the entries for every record (the study's size
        cell): one pass over all their labels, however many rows."""
        at = self._everyone
        if not len(at) or not parts:
            return list(parts)
        ends = np.cumsum([len(p.labels) for p in parts]).tolist()
        labels = np.concatenate([p.labels for p in parts])
        for i in at:
            labels = np.where(labels == self.old[i], self.new[i], labels)
        labels = labels.astype(np.uint64)
        return [Parts(labels[start:end], p.counts, p.total)
                for start, end, p in zip([0, *ends[:-1]], ends, parts, strict=True)]


@dataclass(frozen=True)
class AuditHistory:
    n_records: int
    labels: U64  # the atoms, sorted
    sizes: IntArray  # records per atom
    values: npt.NDArray[np.float64]  # per released cell: its count
    indptr: IntArray  # cell i covers the atoms cell_labels[indptr[i]:indptr[i+1]]
    cell_labels: U64
    universe: int = 0  # the study size last held as a released cell
    generation: int = 0  # releases so far
    pending: Relabel = field(default_factory=Relabel)  # how the last release changed the labels

    @classmethod
    def empty(cls, n_records: int = 0) -> AuditHistory:
        held = 1 if n_records else 0
        return cls(n_records, np.zeros(held, np.uint64), np.full(held, n_records, np.int64), np.zeros(0),
                   np.zeros(1, np.int64), np.zeros(0, np.uint64))

    @property
    def n_cells(self) -> int:
        return len(self.values)

    def atoms(self) -> tuple[U64, IntArray]:
        """The atoms (sorted labels) and how many study records each holds."""
        return self.labels, self.sizes

    def incidence(self) -> tuple[U64, IntArray, list[IntArray]]:
        """(atoms, their sizes, per released cell the indices of its atoms)."""
        cols = np.searchsorted(self.labels, self.cell_labels).astype(np.int64)
        return self.labels, self.sizes, [cols[self.indptr[i]:self.indptr[i + 1]] for i in range(self.n_cells)]

    def grown(self, n_records: int) -> tuple[AuditHistory, Relabel]:
        """The history with the study's size `n_records` as a released cell (unchanged when that size
        is already one): newcomers join atom 0, which takes a fresh label."""
        if n_records == self.universe:
            return self, Relabel()
        if n_records < self.n_records:
            raise HistoryUnreadable("the study holds fewer records than its audit history counts")
        labels, sizes = self.labels.copy(), self.sizes.copy()
        if n_records > self.n_records:
            if len(labels) and labels[0] == 0:
                sizes[0] += n_records - self.n_records
            else:
                labels = np.concatenate([np.zeros(1, np.uint64), labels])
                sizes = np.concatenate([[n_records - self.n_records], sizes])
        relabel, cell_labels = Relabel(), self.cell_labels
        if len(labels) and labels[0] == 0:
            fresh = mix(_tags(self.n_cells, 1))
            labels = np.concatenate([labels[1:], fresh])
            sizes = np.concatenate([sizes[1:], sizes[:1]])
            relabel = Relabel(np.zeros(1, np.uint64), np.full(1, -1, np.int64), fresh)
            cell_labels = np.where(cell_labels == 0, fresh[0], cell_labels)
        order = np.argsort(labels)
        labels, sizes = labels[order], sizes[order]
        h = replace(self, n_records=n_records, labels=labels, sizes=sizes,
                    values=np.concatenate([self.values, [float(n_records)]]),
                    indptr=np.concatenate([self.indptr, [self.indptr[-1] + len(labels)]]),
                    cell_labels=np.concatenate([cell_labels, labels]), universe=n_records)
        return h, relabel

    def with_cells(self, parts: list[Parts], values: list[float]) -> tuple[AuditHistory, Relabel]:
        """The history once cells with these `parts` (in this history's labels; disjoint, as one
        table's rows are) and counts are released; the Relabel names cells by their index in `parts`.
        An empty cell is no one and is not kept."""
        kept = [j for j, p in enumerate(parts) if p.total]
        widths = np.array([len(parts[j].labels) for j in kept], dtype=np.int64)
        old = np.concatenate([parts[j].labels for j in kept]) if kept else np.zeros(0, np.uint64)
        new = mix(old ^ np.repeat(_tags(self.n_cells, len(kept)), widths))
        taken_counts = np.concatenate([parts[j].counts for j in kept]) if kept else np.zeros(0, np.int64)
        cell = np.repeat(np.asarray(kept, np.int64), widths).astype(np.int64)
        news = np.split(new, np.cumsum(widths)[:-1]) if kept else []
        at = np.searchsorted(self.labels, old)
        if len(old) and (at.max() >= len(self.labels) or (self.labels[at] != old).any()):
            raise HistoryUnreadable("a row names an atom the audit history does not hold: the study's "
                                    "labels and its history disagree")
        taken = np.bincount(at, weights=taken_counts, minlength=len(self.labels)).astype(np.int64)
        remain = self.sizes - taken
        if (remain < 0).any():
            raise HistoryUnreadable("rows hold more records of an atom than the audit history counts")
        stays = remain > 0
        # each old atom's parts: what it keeps of itself, and its records in each new cell
        parents = np.concatenate([old, self.labels[stays]])
        children = np.concatenate([new, self.labels[stays]])
        order = np.argsort(parents, kind="stable")
        parents, children = parents[order], children[order]
        start = np.searchsorted(parents, self.cell_labels, side="left")
        stop = np.searchsorted(parents, self.cell_labels, side="right")
        count = stop - start
        ends = np.concatenate([[0], np.cumsum(count)]).astype(np.int64)
        take = np.arange(ends[-1]) - np.repeat(ends[:-1], count) + np.repeat(start, count)
        lens = np.concatenate([ends[self.indptr[1:]] - ends[self.indptr[:-1]], [len(n) for n in news]])
        labels = np.concatenate([self.labels[stays], new])
        sizes = np.concatenate([remain[stays], taken_counts])
        by_label = np.argsort(labels)
        h = replace(self, labels=labels[by_label], sizes=sizes[by_label],
                    values=np.concatenate([self.values, np.asarray([values[j] for j in kept], np.float64)]),
                    indptr=np.concatenate([[0], np.cumsum(lens)]).astype(np.int64),
                    cell_labels=np.concatenate([children[take], *news]).astype(np.uint64))
        return h, Relabel(old, cell, new)

    def after(self, released: Released) -> AuditHistory:
        """The history once `released` is out: the study's size and its shown rows become cells; its
        `pending` says how the labels change (cells named by the release's row), its generation
        counts the releases."""
        grown, first = self.grown(released.n_records)
        rows = released.released_rows()
        h, second = grown.with_cells(first.applied([released.parts[i] for i in rows]),
                                     [float(released.parts[i].total) for i in rows])
        second = replace(second, cell=np.asarray(rows, np.int64)[second.cell])
        return replace(h, generation=self.generation + 1, pending=first + second)

    def to_bytes(self) -> bytes:
        out = io.BytesIO()
        np.savez_compressed(out, n_records=np.int64(self.n_records), labels=self.labels, sizes=self.sizes,
                            values=self.values, indptr=self.indptr, cell_labels=self.cell_labels,
                            universe=np.int64(self.universe), generation=np.int64(self.generation),
                            pending_old=self.pending.old, pending_cell=self.pending.cell,
                            pending_new=self.pending.new, version=np.int64(VERSION))
        return out.getvalue()

    @classmethod
    def from_bytes(cls, data: bytes) -> AuditHistory:
        try:
            with np.load(io.BytesIO(data), allow_pickle=False) as z:
                if int(z["version"]) != VERSION:
                    raise HistoryUnreadable("an audit history of another version")
                h = cls(int(z["n_records"]), z["labels"].astype(np.uint64), z["sizes"].astype(np.int64),
                        z["values"].astype(np.float64), z["indptr"].astype(np.int64),
                        z["cell_labels"].astype(np.uint64), int(z["universe"]), int(z["generation"]),
                        Relabel(z["pending_old"].astype(np.uint64), z["pending_cell"].astype(np.int64),
                                z["pending_new"].astype(np.uint64)))
        except HistoryUnreadable:
            raise
        except Exception as e:  # a truncated or foreign file: np.load's own errors vary
            raise HistoryUnreadable("the stored audit history cannot be read") from e
        if (len(h.labels) != len(h.sizes) or len(h.indptr) != h.n_cells + 1
                or h.indptr[-1] != len(h.cell_labels) or int(h.sizes.sum()) != h.n_records):
            raise HistoryUnreadable("the stored audit history is inconsistent")
        return h
