"""A check of the ledger that starts from a kept full verification (`verified_mark`) and re-hashes only
the entries written since: each one's hash, place and link, from the last entry the mark vouches for;
the tree carried on from the mark's right edge; and every checkpoint signed over the new entries held
against the root it now gives. Pure, like `verify`: the caller streams the rows in.

What it cannot see, and never claims: a change to the entries before the mark made after the mark was
signed, but for the last of them (its hash is re-checked, so the chain cannot be cut there). A full
walk (`accord ledger verify`) sees everything and signs a new mark."""

from __future__ import annotations

from collections.abc import Iterable

from accord.ledger.checkpoints import Checkpoint
from accord.ledger.entries import sha256_hex
from accord.ledger.verified_mark import VerifiedMark
from accord.ledger.verify import Problem, Report, StoredRow, walk_chain, where


def verify_since(mark: VerifiedMark, mark_row: StoredRow | None, rows_after: Iterable[StoredRow],
                 checkpoints: Iterable[Checkpoint], trusted_key: str) -> Report:
    """Walk `rows_after` (the entries after #mark.size, in order) on from `mark_row` (entry #mark.size
    as stored now). `report.entries` is the whole log's length; the mark's own entries are not walked."""
    report = Report(entries=mark.size, frontier=mark.frontier())
    _mark_entry_holds(mark, mark_row, report)
    signed = list(checkpoints)
    wanted = {cp.size for cp in signed if cp.size > mark.size}
    roots: dict[int, str] = {mark.size: report.frontier.root()}

    def append(entry_hash: str) -> None:
        report.frontier.append(entry_hash)
        if report.frontier.size in wanted:
            roots[report.frontier.size] = report.frontier.root()

    walk_chain(rows_after, report, append, mark.last_hash)
    report.root = report.frontier.root()
    for cp in signed:
        _check_checkpoint(cp, mark, roots, report, trusted_key)
    report.problems.sort(key=lambda p: p.seq)
    return report


def _mark_entry_holds(mark: VerifiedMark, row: StoredRow | None, report: Report) -> None:
    """Entry #mark.size is still the one the mark vouched for (content and hash): one hash, and the chain
    after it cannot be re-linked to another."""
    if row is None:
        report.problems.append(Problem(mark.size, "truncated", f"entry #{mark.size}, the last one the "
                                       f"verification of {mark.verified_at} covered, is gone: entries were "
                                       "removed"))
    elif row.entry_hash != mark.last_hash or sha256_hex(row.entry_json) != mark.last_hash:
        report.problems.append(Problem(mark.size, "edited", f"entry #{mark.size} changed after the "
                                       f"verification of {mark.verified_at}"))


def _check_checkpoint(cp: Checkpoint, mark: VerifiedMark, roots: dict[int, str], report: Report,
                      trusted_key: str) -> None:
    """A checkpoint over the new entries must match the root they give; one the mark covers was held
    when the mark was made (its signature is checked again, it costs one operation)."""
    add = report.problems.append
    if not cp.signature_holds() or cp.public_key != trusted_key:
        add(Problem(cp.size, "checkpoint", f"{where('ledger', cp)} is not signed by the ledger's key"))
    elif cp.size > report.entries:
        add(Problem(report.entries + 1, "truncated", f"the log ends at #{report.entries} but "
                    f"{where('ledger', cp)} covers #{cp.size}: entries were removed"))
    elif cp.size >= mark.size:
        report.checkpoints_checked += 1
        if roots.get(cp.size) != cp.root:
            add(Problem(mark.size + 1 if cp.size > mark.size else mark.size, "rewritten",
                        f"the log no longer matches {where('ledger', cp)}"))
