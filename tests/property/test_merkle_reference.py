"""The ledger's Merkle tree (pymerkle) against a plain RFC 9162 reference implementation."""

from __future__ import annotations

import hashlib

from hypothesis import given, settings
from hypothesis import strategies as st

from accord.ledger.merkle import LedgerTree, consistency_holds, inclusion_holds


def mth(leaves: list[bytes]) -> bytes:
    """RFC 9162 section 2.1.1: MTH over the leaves, split at the largest power of two < n."""
    if len(leaves) == 1:
        return hashlib.sha256(b"\x00" + leaves[0]).digest()
    k = 1
    while k * 2 < len(leaves):
        k *= 2
    return hashlib.sha256(b"\x01" + mth(leaves[:k]) + mth(leaves[k:])).digest()


hashes = st.lists(st.binary(min_size=32, max_size=32).map(bytes.hex), min_size=1, max_size=70)


@settings(max_examples=150, deadline=None)
@given(entries=hashes, data=st.data())
def test_roots_and_proofs_match_rfc_9162(entries: list[str], data: st.DataObject) -> None:
    tree = LedgerTree(entries)
    n = len(entries)
    prior = data.draw(st.integers(1, n))
    leaves = [bytes.fromhex(h) for h in entries]
    assert tree.root() == mth(leaves).hex()
    assert tree.root(prior) == mth(leaves[:prior]).hex()
    seq = data.draw(st.integers(1, n))
    assert tree.leaf(seq) == hashlib.sha256(b"\x00" + leaves[seq - 1]).hexdigest()
    assert inclusion_holds(tree.leaf(seq), tree.root(), tree.prove_inclusion(seq))
    if prior < n:
        proof = tree.prove_consistency(prior)
        assert consistency_holds(tree.root(prior), tree.root(), proof)
        if leaves[0] != b"\xff" * 32:  # a prior log that differs in its first entry
            other = mth([b"\xff" * 32] + leaves[1:prior]).hex()
            assert not consistency_holds(other, tree.root(), proof)
