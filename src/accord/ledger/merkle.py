"""The Merkle tree over the ledger (RFC 9162 hashing), through pymerkle.

Leaves are the entries' SHA-256 hashes; pymerkle hashes each as H(0x00 || leaf) and each node
as H(0x01 || left || right), the RFC 9162 tree, so roots and proofs can be checked by any
RFC 9162 implementation. See ADR 0007.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from pymerkle import InmemoryTree, verify_consistency, verify_inclusion
from pymerkle.proof import InvalidProof, MerkleProof


class LedgerTree:
    """An in-memory tree built from entry hashes in ledger order (1-based positions)."""

    def __init__(self, entry_hashes: Iterable[str] = ()) -> None:
        self._tree = InmemoryTree(algorithm="sha256")
        for h in entry_hashes:
            self.append(h)

    def append(self, entry_hash: str) -> None:
        self._tree.append_entry(bytes.fromhex(entry_hash))

    @property
    def size(self) -> int:
        return int(self._tree.get_size())

    def root(self, size: int | None = None) -> str:
        """The root over the first `size` entries (all of them by default), hex."""
        return bytes(self._tree.get_root(size)).hex()

    def leaf(self, seq: int) -> str:
        """The leaf hash of entry `seq`, hex (what an inclusion proof starts from)."""
        return bytes(self._tree.get_leaf(seq)).hex()

    def prove_inclusion(self, seq: int, size: int | None = None) -> dict[str, Any]:
        return dict(self._tree.prove_inclusion(seq, size).serialize())

    def prove_consistency(self, prior_size: int, later_size: int | None = None) -> dict[str, Any]:
        return dict(self._tree.prove_consistency(prior_size, later_size).serialize())


def inclusion_holds(leaf_hex: str, root_hex: str, proof: dict[str, Any]) -> bool:
    """True when `proof` shows the leaf is in the tree whose root is `root_hex`."""
    try:
        verify_inclusion(bytes.fromhex(leaf_hex), bytes.fromhex(root_hex),
                         MerkleProof.deserialize(proof))
    except (InvalidProof, ValueError, KeyError):
        return False
    return True


def consistency_holds(prior_root: str, later_root: str, proof: dict[str, Any]) -> bool:
    """True when `proof` shows the log of `later_root` extends the log of `prior_root`."""
    try:
        verify_consistency(bytes.fromhex(prior_root), bytes.fromhex(later_root),
                           MerkleProof.deserialize(proof))
    except (InvalidProof, ValueError, KeyError):
        return False
    return True
