"""The tree's right edge gives the same roots as the whole tree (pymerkle's RFC 9162 tree), carried on
from any point, so a check kept at n entries can go on without the n."""

from __future__ import annotations

import hashlib

import pytest

from accord.ledger.frontier import Frontier
from accord.ledger.merkle import LedgerTree


def _hash(n: int) -> str:
    return hashlib.sha256(f"entry {n}".encode()).hexdigest()


def test_every_root_matches_the_whole_tree_and_carries_on_from_its_peaks() -> None:
    tree, edge = LedgerTree(), Frontier()
    for n in range(1, 130):
        tree.append(_hash(n))
        edge.append(_hash(n))
        assert edge.root() == tree.root(), n
        assert len(edge.peaks) == bin(n).count("1")
    resumed = Frontier(64, _peaks_after(64))
    for n in range(65, 130):
        resumed.append(_hash(n))
    assert resumed.root() == tree.root()


def _peaks_after(size: int) -> tuple[str, ...]:
    edge = Frontier()
    for n in range(1, size + 1):
        edge.append(_hash(n))
    return edge.peaks


def test_a_right_edge_of_the_wrong_shape_is_refused() -> None:
    with pytest.raises(ValueError, match="3 subtree roots"):
        Frontier(7, _peaks_after(6))
