"""The ledger's workflows: record, checkpoint, verify, prove, export.

Writers call `record` inside their own transaction, so an entry exists exactly when the
change or release it describes was committed.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy.orm import Session

from accord.ledger.checkpoints import Checkpoint, export_to_witnesses, make_checkpoint
from accord.ledger.entries import Draft, Entry, canonical_json
from accord.ledger.merkle import LedgerTree, inclusion_holds
from accord.ledger.signing import create_key_file, load_key_file, public_hex
from accord.ledger.verify import Report, verify_rows
from accord.store.repositories import ledger as store
from accord.store.repositories.agencies import list_agencies


def record(session: Session, draft: Draft, at: datetime | None = None) -> Entry:
    """Append one entry in the caller's transaction."""
    return store.append(session, draft, at)


def record_many(session: Session, drafts: Sequence[Draft], at: datetime | None = None) -> list[Entry]:
    """Append many entries, in order, in the caller's transaction (one lock, one batch)."""
    return store.append_many(session, drafts, at)


def signing_key(path: Path, create: bool = False) -> Ed25519PrivateKey:
    """The ledger key from its key file (Settings.ledger_key_file); with `create`, make one if
    there is none yet."""
    if create and not path.exists():
        return create_key_file(path)
    return load_key_file(path)


def trusted_public_key(path: Path) -> str | None:
    """The public half of the signing key in `path`, when this machine holds it."""
    return public_hex(load_key_file(path).public_key()) if path.exists() else None


def _tree(session: Session) -> LedgerTree:
    """The Merkle tree over every stored entry, in ledger order."""
    return LedgerTree(row.entry_hash for row in store.stored_rows(session))


def sign_current_root(session: Session, key: Ed25519PrivateKey,
                      at: datetime | None = None) -> Checkpoint:
    """Sign the root of the log as the session sees it (reads only: a read-only session will
    do, so writers are not held off while a long ledger is hashed)."""
    tree = _tree(session)
    if tree.size == 0:
        raise ValueError("the ledger is empty: nothing to checkpoint")
    return make_checkpoint(key, tree.size, tree.root(), at or datetime.now(UTC))


def keep_checkpoint(session: Session, cp: Checkpoint, witnesses: Path) -> list[Path]:
    """Store the checkpoint and hand a copy to every registered agency (one folder per agency
    under `witnesses`)."""
    store.save_checkpoint(session, cp)
    return export_to_witnesses(cp, witnesses, [a.id for a in list_agencies(session)])


def checkpoint(session: Session, key: Ed25519PrivateKey, witnesses: Path,
               at: datetime | None = None) -> tuple[Checkpoint, list[Path]]:
    """Sign the current root, keep it, and hand copies to the agencies, in one session."""
    cp = sign_current_root(session, key, at)
    return cp, keep_checkpoint(session, cp, witnesses)


def verify(session: Session, witnesses: Sequence[tuple[str, Checkpoint]] = (),
           trusted_key: str | None = None) -> Report:
    """Re-walk the chain and the tree against the stored checkpoints and any witness copies."""
    held = [("ledger", cp) for cp in store.checkpoints(session)] + list(witnesses)
    return verify_rows(store.stored_rows(session), held, trusted_key)


def prove(session: Session, seq: int) -> dict[str, Any]:
    """An inclusion proof for entry `seq` against the latest signed checkpoint covering it
    (or the current root when none does yet)."""
    entry = store.entry_at(session, seq)
    if entry is None:
        raise LookupError(f"there is no entry #{seq}")
    tree = _tree(session)
    signed = [cp for cp in store.checkpoints(session) if cp.size >= seq]
    cp = signed[-1] if signed else None
    size = cp.size if cp else tree.size
    proof = tree.prove_inclusion(seq, size)
    root = tree.root(size)
    return {"seq": seq, "entry_hash": entry.entry_hash, "leaf": tree.leaf(seq),
            "tree_size": size, "root": root, "proof": proof,
            "checkpoint": None if cp is None else {"size": cp.size, "root": cp.root,
                                                   "signed_at": cp.signed_at,
                                                   "key_id": cp.key_id},
            "verified": inclusion_holds(tree.leaf(seq), root, proof)}


def export(session: Session) -> Iterator[str]:
    """JSON Lines for auditors: one line per entry, exactly the text that was hashed, with its
    hash, followed by the checkpoints."""
    for row in store.stored_rows(session):
        yield f'{{"seq":{row.seq},"entry_hash":"{row.entry_hash}","entry":{row.entry_json}}}'
    for cp in store.checkpoints(session):
        yield canonical_json({"checkpoint": cp.to_dict()})
