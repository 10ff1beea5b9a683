"""The right edge of the ledger's Merkle tree (RFC 9162, as `merkle.LedgerTree` hashes it): the roots
of the perfect subtrees the first n leaves fall into, largest first. From them and k new leaves the
root of n + k leaves follows, so a verification kept at n entries need not hash the n again. At most
one root per bit of n: 30 for a billion entries."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence


def _leaf(entry_hash: str) -> bytes:
    return hashlib.sha256(b"\x00" + bytes.fromhex(entry_hash)).digest()


def _node(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


class Frontier:
    """The tree's right edge after `size` leaves; `append` adds one entry's hash."""

    def __init__(self, size: int = 0, peaks: Sequence[str] = ()) -> None:
        if size < 0 or len(peaks) != bin(size).count("1"):
            raise ValueError(f"a tree of {size} leaves has {bin(max(size, 0)).count('1')} subtree roots, "
                             f"not {len(peaks)}")
        self.size = size
        self._peaks = [bytes.fromhex(p) for p in peaks]

    def append(self, entry_hash: str) -> None:
        """One more leaf: merge it with every subtree of its own width (one per trailing 1 bit)."""
        node, width = _leaf(entry_hash), self.size
        while width & 1:
            node = _node(self._peaks.pop(), node)
            width >>= 1
        self._peaks.append(node)
        self.size += 1

    def root(self) -> str:
        """The root over every leaf so far, hex (RFC 9162: the subtrees folded from the right)."""
        if not self._peaks:
            return hashlib.sha256(b"").hexdigest()
        node = self._peaks[-1]
        for peak in reversed(self._peaks[:-1]):
            node = _node(peak, node)
        return node.hex()

    @property
    def peaks(self) -> tuple[str, ...]:
        return tuple(p.hex() for p in self._peaks)
