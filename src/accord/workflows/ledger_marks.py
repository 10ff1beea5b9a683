"""The ledger's verification, kept: a full walk (`accord ledger verify`, the demo's end) signs a mark of
what it found and keeps it beside the ledger's signing key; a quick check (the office's dashboard, on
every load) walks only the entries written after the mark. Without a mark this machine can trust (none
yet, unreadable, or not signed by the key it holds) the quick check is the full walk: it costs time,
never a claim.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy.orm import Session

from accord.ledger.checkpoints import Checkpoint
from accord.ledger.verified_mark import VerifiedMark, make_mark, read_mark, write_mark
from accord.ledger.verify import Report, StoredRow
from accord.ledger.verify_since import verify_since
from accord.store.repositories import ledger as store
from accord.workflows import ledger as ledger_flow

MARK_FILENAME = "ledger-verified.json"


def mark_file(ledger_key_file: Path) -> Path:
    """Where the mark is kept: beside the key that signs it."""
    return ledger_key_file.with_name(MARK_FILENAME)


def keep_mark(report: Report, key: Ed25519PrivateKey, path: Path, at: datetime | None = None) -> VerifiedMark:
    """Sign and keep what the full walk `report` found (intact or not)."""
    mark = make_mark(key, report, at or datetime.now(UTC))
    write_mark(mark, path)
    return mark


def verify_and_mark(session: Session, witnesses: Sequence[tuple[str, Checkpoint]],
                    ledger_key_file: Path) -> Report:
    """The full walk of `ledger.verify`; when this machine holds the signing key, its mark is kept."""
    report = ledger_flow.verify(session, witnesses, ledger_flow.trusted_public_key(ledger_key_file))
    if ledger_key_file.exists():
        keep_mark(report, ledger_flow.signing_key(ledger_key_file), mark_file(ledger_key_file))
    return report


@dataclass(frozen=True, slots=True)
class LedgerCheck:
    """What a quick check can say, and on what: entries #1..verified_through as a full walk found them
    at verified_at (None: this check walked every entry itself), the `walked` after them now."""

    entries: int
    ok: bool
    problems: int
    first_problem: str | None
    verified_through: int | None
    verified_at: str | None
    walked: int


def quick_check(session: Session, ledger_key_file: Path) -> LedgerCheck:
    """The ledger's state from its kept mark and the entries after it; in full without a usable mark."""
    trusted = ledger_flow.trusted_public_key(ledger_key_file)
    mark = read_mark(mark_file(ledger_key_file)) if trusted is not None else None
    if trusted is None or mark is None or not mark.signature_holds(trusted):
        report = ledger_flow.verify(session, (), trusted)
        return _check(report, None, report.entries)
    if not mark.ok:  # the last full walk found the ledger changed; entries cannot be put back
        return LedgerCheck(mark.size, False, mark.problems, None, mark.size, mark.verified_at, 0)
    entry = store.entry_at(session, mark.size)
    row = None if entry is None else StoredRow(entry.seq, entry.entry_json, entry.entry_hash)
    report = verify_since(mark, row, store.stored_rows(session, after=mark.size), store.checkpoints(session),
                          trusted)
    return _check(report, mark, report.entries - mark.size)


def _check(report: Report, mark: VerifiedMark | None, walked: int) -> LedgerCheck:
    first = None if report.first is None else report.first.text
    through, at = (None, None) if mark is None else (mark.size, mark.verified_at)
    return LedgerCheck(report.entries, report.ok, len(report.problems), first, through, at, walked)
