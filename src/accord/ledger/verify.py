"""Re-walk the chain and the tree; find and locate every edit, deletion, insertion,
reordering, truncation or rewrite. Pure: the caller streams the stored rows in."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from accord.ledger.checkpoints import Checkpoint
from accord.ledger.entries import GENESIS, sha256_hex
from accord.ledger.frontier import Frontier
from accord.ledger.merkle import LedgerTree, consistency_holds


@dataclass(frozen=True, slots=True)
class StoredRow:
    seq: int
    entry_json: str
    entry_hash: str


@dataclass(frozen=True, slots=True)
class Problem:
    seq: int  # the first entry affected
    kind: str  # edited, rewritten, deleted, moved, truncated, checkpoint
    text: str


@dataclass(slots=True)
class Report:
    entries: int = 0
    root: str = ""
    checkpoints_checked: int = 0
    problems: list[Problem] = field(default_factory=list)
    tree: LedgerTree = field(default_factory=LedgerTree)
    # The tree's right edge and the last entry's hash: where a later walk can start (verified_mark).
    frontier: Frontier = field(default_factory=Frontier)
    last_hash: str = GENESIS

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def first(self) -> Problem | None:
        return min(self.problems, key=lambda p: p.seq) if self.problems else None


def verify_rows(rows: Iterable[StoredRow], checkpoints: Iterable[tuple[str, Checkpoint]] = (),
                trusted_key: str | None = None) -> Report:
    """Walk `rows` in seq order; then hold the tree against every (source, checkpoint)."""
    report = Report()

    def append(entry_hash: str) -> None:
        report.tree.append(entry_hash)
        report.frontier.append(entry_hash)

    walk_chain(rows, report, append)
    report.root = report.tree.root() if report.entries else ""
    matched: list[int] = []  # sizes of checkpoints the log still matches
    rewritten: list[tuple[str, Checkpoint]] = []
    for source, cp in checkpoints:
        report.checkpoints_checked += 1
        if _check_checkpoint(source, cp, report, trusted_key):
            matched.append(cp.size)
        elif cp.signature_holds() and cp.size <= report.entries and (
                trusted_key is None or cp.public_key == trusted_key):
            rewritten.append((source, cp))
    chain_problems = [p.seq for p in report.problems]
    for source, cp in rewritten:
        # Located between the last checkpoint that still matches and this one; when the chain
        # walk already found a change in that range, it has located it more precisely.
        good = max((m for m in matched if m < cp.size), default=0)
        if any(good < seq <= cp.size for seq in chain_problems):
            continue
        report.problems.append(Problem(
            good + 1, "rewritten", f"entries #{good + 1} to #{cp.size} no longer match "
            f"{where(source, cp)}: the log was rewritten after entry #{good}"
            + (" (the last point a signed checkpoint still vouches for)" if good else "")))
    report.problems.sort(key=lambda p: p.seq)
    return report


def walk_chain(rows: Iterable[StoredRow], report: Report, append: Callable[[str], None],
                prev_hash: str = GENESIS) -> None:
    """Check each row's hash, place and link, from entry #report.entries + 1 whose predecessor's hash is
    `prev_hash`; `append` takes each entry's hash for the tree."""
    expected, after_gap = report.entries + 1, False
    add = report.problems.append
    for row in rows:
        if row.seq > expected:
            add(Problem(expected, "deleted", f"entries #{expected} to #{row.seq - 1} are "
                        "missing: deleted" if row.seq - 1 > expected
                        else f"entry #{expected} is missing: deleted"))
            after_gap = True
        content = _content(row)
        if content is None or sha256_hex(row.entry_json) != row.entry_hash:
            add(Problem(row.seq, "edited", f"entry #{row.seq} was edited: its content no "
                        "longer matches its hash"))
        elif content.get("seq") != row.seq:
            add(Problem(row.seq, "moved", f"the entry stored as #{row.seq} was written as "
                        f"#{content.get('seq')}: entries were reordered, inserted or deleted"))
        elif content.get("prev") != prev_hash and not after_gap:
            add(Problem(row.seq - 1, "rewritten", f"entry #{row.seq - 1} was rewritten "
                        f"(entry #{row.seq} still points to its original hash), or an entry "
                        f"was inserted between #{row.seq - 1} and #{row.seq}"))
        append(row.entry_hash)
        report.entries += 1
        prev_hash, expected, after_gap = row.entry_hash, row.seq + 1, False
    report.last_hash = prev_hash


def _content(row: StoredRow) -> dict[str, object] | None:
    try:
        parsed = json.loads(row.entry_json)
    except ValueError:
        return None
    return parsed if isinstance(parsed, dict) else None


def where(source: str, cp: Checkpoint) -> str:
    return f"the checkpoint of {cp.size} entries signed {cp.signed_at} ({source})"


def _check_checkpoint(source: str, cp: Checkpoint, report: Report,
                      trusted_key: str | None) -> bool:
    """True when the log still matches the checkpoint; other failures are recorded here,
    a rewrite is left to the caller, which can locate it between checkpoints."""
    add = report.problems.append
    if not cp.signature_holds():
        add(Problem(cp.size, "checkpoint", f"{where(source, cp)} has an invalid signature"))
        return False
    if trusted_key is not None and cp.public_key != trusted_key:
        add(Problem(cp.size, "checkpoint",
                    f"{where(source, cp)} is signed by an unknown key {cp.key_id}"))
        return False
    if cp.size > report.entries:
        add(Problem(report.entries + 1, "truncated", f"the log ends at #{report.entries} but "
                    f"{where(source, cp)} covers #{cp.size}: entries #{report.entries + 1} to "
                    f"#{cp.size} were removed"))
        return False
    if cp.size == 0 or report.tree.root(cp.size) != cp.root:
        return False
    if cp.size == report.entries:
        return True
    # The RFC 9162 check a witness makes: the current log extends the one it signed.
    return consistency_holds(cp.root, report.root, report.tree.prove_consistency(cp.size))
