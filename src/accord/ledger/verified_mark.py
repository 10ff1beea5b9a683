"""What a full verification of the ledger found, kept and signed, so that a later check walks only the
entries written since (`verify_since`).

A full walk (`accord ledger verify`, the demo's end) re-hashes every entry and holds every signed
checkpoint; its mark records how far it went (`size`), the last entry's hash (where the chain goes on),
the tree's right edge (where the tree goes on), whether it found the ledger intact, and when. The mark
is signed with the ledger key, like a checkpoint but under its own format, so that whoever can write
the mark's file or the database cannot make a later check start from a mark of their own. The mark
vouches for entries #1..size as they were at `verified_at`, and a check from it says exactly that.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, replace
from datetime import datetime
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from accord.ledger.entries import canonical_json, utc_stamp
from accord.ledger.frontier import Frontier
from accord.ledger.signing import public_hex, sign, signature_holds
from accord.ledger.verify import Report

MARK_FORMAT = "accord-ledger-verified/1"


@dataclass(frozen=True, slots=True)
class VerifiedMark:
    size: int  # entries #1..size were walked
    last_hash: str  # entry #size's hash
    peaks: tuple[str, ...]  # the tree's right edge after `size` entries (ledger.frontier)
    ok: bool  # nothing was found wrong
    problems: int
    verified_at: str
    public_key: str
    signature: str

    def message(self) -> str:
        """The exact text that is signed: every field but the signature, under the mark's format."""
        fields = {k: v for k, v in asdict(self).items() if k != "signature"}
        return canonical_json({"format": MARK_FORMAT, **fields, "peaks": list(self.peaks)})

    def signature_holds(self, trusted_key: str) -> bool:
        return self.public_key == trusted_key and signature_holds(self.public_key, self.message(),
                                                                  self.signature)

    def frontier(self) -> Frontier:
        return Frontier(self.size, self.peaks)


def make_mark(key: Ed25519PrivateKey, report: Report, at: datetime) -> VerifiedMark:
    """Sign what the full walk `report` found."""
    unsigned = VerifiedMark(report.entries, report.last_hash, report.frontier.peaks, report.ok,
                            len(report.problems), utc_stamp(at), public_hex(key.public_key()), "")
    return replace(unsigned, signature=sign(key, unsigned.message()))


def write_mark(mark: VerifiedMark, path: Path) -> None:
    """Replace the mark's file in one step (a reader sees the old mark or the new, never half)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    draft = path.with_name(path.name + ".new")
    draft.write_text(json.dumps({"format": MARK_FORMAT, **asdict(mark)}, indent=2), encoding="utf-8")
    os.replace(draft, path)


def read_mark(path: Path) -> VerifiedMark | None:
    """The kept mark, or None when there is none or it cannot be read as one (then nothing is
    taken on trust: the caller verifies in full)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.pop("format", None) != MARK_FORMAT:
            return None
        return VerifiedMark(int(data["size"]), str(data["last_hash"]), tuple(str(p) for p in data["peaks"]),
                            bool(data["ok"]), int(data["problems"]), str(data["verified_at"]),
                            str(data["public_key"]), str(data["signature"]))
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None
