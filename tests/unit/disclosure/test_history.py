"""The audit history: atoms as the released cells separate records, kept incrementally and stored."""

from __future__ import annotations

import numpy as np
import pytest

from accord.disclosure import AuditHistory
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


def as_sets(h: AuditHistory) -> dict[frozenset[int], frozenset[int]]:
    sigs, _, cols = h.incidence()
    by_atom: dict[int, set[int]] = {a: set() for a in range(len(sigs))}
    for c, atoms in enumerate(cols):
        for a in atoms:
            by_atom[int(a)].add(c)
    return {frozenset(np.flatnonzero(h.signatures == sigs[a]).tolist()): frozenset(cs)
            for a, cs in by_atom.items()}


def test_atoms_and_cells_kept_incrementally_match_a_recount_from_scratch() -> None:
    rng = np.random.default_rng(2)
    n = 120
    h = AuditHistory.empty(n)
    cells: list[np.ndarray] = [np.arange(n)]  # the study's size is a released cell
    for _ in range(6):  # six tables, each a partition of a random subset
        keep = np.flatnonzero(rng.random(n) < 0.7)
        labels = rng.integers(0, 3, len(keep))
        table = [keep[labels == k] for k in range(3) if (labels == k).any()]
        h = h.with_cells(table, [float(len(t)) for t in table], n)
        cells += table
    assert as_sets(h) == brute_atoms(n, cells)
    assert h.values.tolist() == [float(len(c)) for c in cells]


def test_the_study_growing_pads_new_records_and_holds_each_size_once() -> None:
    h = AuditHistory.empty(10).with_cells([np.arange(5)], [5.0], 10)
    h = h.with_cells([np.arange(3)], [3.0], 10)  # same size: no second universe cell
    assert h.n_cells == 3
    grown = h.with_cells([], [], 12)
    assert grown.n_records == 12 and grown.n_cells == 4 and grown.values[-1] == 12.0
    sigs, sizes = grown.atoms()
    assert sorted(sizes.tolist()) == [2, 2, 3, 5]  # {10,11} new, {0..2}, {3,4}, {5..9}


def test_bytes_round_trip_and_refuse_what_is_not_a_history() -> None:
    h = AuditHistory.empty(50).with_cells([np.arange(20), np.arange(20, 45)], [20.0, 25.0], 50)
    back = AuditHistory.from_bytes(h.to_bytes())
    assert back.n_records == 50 and back.universe == 50
    assert np.array_equal(back.signatures, h.signatures) and np.array_equal(back.atom_sigs, h.atom_sigs)
    assert np.array_equal(back.values, h.values) and np.array_equal(back.indptr, h.indptr)
    with pytest.raises(HistoryUnreadable):
        AuditHistory.from_bytes(b"not a history")
    with pytest.raises(HistoryUnreadable):
        AuditHistory.from_bytes(h.to_bytes()[:40])
