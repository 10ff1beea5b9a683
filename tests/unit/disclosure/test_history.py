"""The audit history: atoms as the released cells separate records, kept incrementally and stored, with
the records' labels (held by the plumbing) following each release's relabelling."""

from __future__ import annotations

import numpy as np
import pytest

from accord.disclosure import AuditHistory, RecordLabels
from accord.disclosure.history import HistoryUnreadable


def brute_atoms(n: int, cells: list[np.ndarray]) -> dict[frozenset[int], frozenset[int]]:
    """Records grouped by the set of cells holding them -> for each atom, the cells covering it."""
    holding: dict[int, set[int]] = {i: set() for i in range(n)}
    for c, members in enumerate(cells):
        for i in members:
            holding[int(i)].add(c)
    atoms: dict[frozenset[int], set[int]] = {}
    for i, cs in holding.items():
        atoms.setdefault(frozenset(cs), set()).add(i)
    return {frozenset(records): key for key, records in atoms.items()}


def as_sets(h: AuditHistory, labels: RecordLabels) -> dict[frozenset[int], frozenset[int]]:
    """The history's atoms as record sets (read through the labels) -> the cells covering each."""
    atoms, sizes, cols = h.incidence()
    by_atom: dict[int, set[int]] = {a: set() for a in range(len(atoms))}
    for c, covered in enumerate(cols):
        for a in covered:
            by_atom[int(a)].add(c)
    out = {}
    for a, cs in by_atom.items():
        records = frozenset(np.flatnonzero(labels.labels == atoms[a]).tolist())
        assert len(records) == sizes[a], "an atom's size is the number of records labelled with it"
        out[records] = frozenset(cs)
    return out


def release(h: AuditHistory, labels: RecordLabels, table: list[np.ndarray], n: int) -> AuditHistory:
    """What a study does with a released table: the history grows by its cells, the labels follow."""
    grown, everyone = h.grown(n)
    labels.grow(n)
    parts = everyone.applied([labels.parts(t) for t in table])
    out, relabel = grown.with_cells(parts, [float(len(t)) for t in table])
    labels.apply(everyone + relabel, table)
    return out


def test_atoms_and_cells_kept_incrementally_match_a_recount_from_scratch() -> None:
    rng = np.random.default_rng(2)
    n = 120
    h, labels = AuditHistory.empty(n), RecordLabels(n)
    cells: list[np.ndarray] = [np.arange(n)]  # the study's size is a released cell
    for _ in range(6):  # six tables, each a partition of a random subset
        keep = np.flatnonzero(rng.random(n) < 0.7)
        groups = rng.integers(0, 3, len(keep))
        table = [keep[groups == k] for k in range(3) if (groups == k).any()]
        h = release(h, labels, table, n)
        cells += table
    assert as_sets(h, labels) == brute_atoms(n, cells)
    assert h.values.tolist() == [float(len(c)) for c in cells]


def test_the_study_growing_adds_newcomers_apart_and_holds_each_size_once() -> None:
    labels = RecordLabels(10)
    h = release(AuditHistory.empty(10), labels, [np.arange(5)], 10)
    h = release(h, labels, [np.arange(3)], 10)  # same size: no second universe cell
    assert h.n_cells == 3
    grown = release(h, labels, [], 12)
    assert grown.n_records == 12 and grown.n_cells == 4 and grown.values[-1] == 12.0
    assert sorted(grown.sizes.tolist()) == [2, 2, 3, 5]  # {10,11} new, {0..2}, {3,4}, {5..9}
    cells = [np.arange(10), np.arange(5), np.arange(3), np.arange(12)]
    assert as_sets(grown, labels) == brute_atoms(12, cells)


def test_rows_naming_atoms_the_history_does_not_hold_are_refused() -> None:
    labels = RecordLabels(10)
    h = release(AuditHistory.empty(10), labels, [np.arange(5)], 10)
    stale = RecordLabels(10)  # labels that missed the release
    with pytest.raises(HistoryUnreadable):
        h.with_cells([stale.parts(np.arange(4))], [4.0])


def test_bytes_round_trip_and_refuse_what_is_not_a_history() -> None:
    labels = RecordLabels(50)
    h = release(AuditHistory.empty(50), labels, [np.arange(20), np.arange(20, 45)], 50)
    back = AuditHistory.from_bytes(h.to_bytes())
    assert back.n_records == 50 and back.values.tolist() == h.values.tolist()
    assert back.labels.tolist() == h.labels.tolist() and back.cell_labels.tolist() == h.cell_labels.tolist()
    with pytest.raises(HistoryUnreadable):
        AuditHistory.from_bytes(b"not a history")
    with pytest.raises(HistoryUnreadable):
        AuditHistory.from_bytes(h.to_bytes()[:40])
