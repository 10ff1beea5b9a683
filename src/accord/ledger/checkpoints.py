"""Signed checkpoints: (size, root, time, key), signed with the ledger key.

Partner agencies keep copies (witness files); a later log must be consistent with every
checkpoint a witness holds, so rewriting history needs the key *and* every witness's copy.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from accord.errors import AccordError
from accord.ledger.entries import canonical_json, utc_stamp
from accord.ledger.signing import key_id, public_hex, sign, signature_holds

CHECKPOINT_FORMAT = "accord-ledger-checkpoint/1"


@dataclass(frozen=True, slots=True)
class Checkpoint:
    size: int
    root: str
    signed_at: str
    public_key: str
    signature: str

    @property
    def key_id(self) -> str:
        return key_id(self.public_key)

    def message(self) -> str:
        """The exact text that is signed."""
        return signed_text(self.size, self.root, self.signed_at, self.public_key)

    def signature_holds(self) -> bool:
        return signature_holds(self.public_key, self.message(), self.signature)

    def to_dict(self) -> dict[str, object]:
        return {"format": CHECKPOINT_FORMAT, **asdict(self)}

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2)

    @classmethod
    def from_json(cls, text: str) -> Checkpoint:
        data = json.loads(text)
        if data.pop("format", None) != CHECKPOINT_FORMAT:
            raise ValueError("not an Accord ledger checkpoint")
        return cls(int(data["size"]), str(data["root"]), str(data["signed_at"]),
                   str(data["public_key"]), str(data["signature"]))


def signed_text(size: int, root: str, signed_at: str, public_key: str) -> str:
    return canonical_json({"format": CHECKPOINT_FORMAT, "size": size, "root": root,
                           "signed_at": signed_at, "public_key": public_key})


def make_checkpoint(key: Ed25519PrivateKey, size: int, root: str, at: datetime) -> Checkpoint:
    public = public_hex(key.public_key())
    stamp = utc_stamp(at)
    return Checkpoint(size, root, stamp, public, sign(key, signed_text(size, root, stamp, public)))


def export_to_witnesses(checkpoint: Checkpoint, folder: Path, agency_ids: list[str]) -> list[Path]:
    """Hand a copy of the checkpoint to each partner agency: one file per agency."""
    written = []
    for agency in agency_ids:
        path = folder / agency / f"checkpoint-{checkpoint.size:010d}.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(checkpoint.to_json(), encoding="utf-8")
        written.append(path)
    return written


class WitnessFileError(AccordError, ValueError):
    """A partner's checkpoint file cannot be read; the message names the file."""


def read_witness_file(path: Path) -> Checkpoint:
    """One checkpoint file; WitnessFileError naming it when it is not one."""
    try:
        return Checkpoint.from_json(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise WitnessFileError(f"--witness: file not found: {path}") from None
    except UnicodeDecodeError:
        raise WitnessFileError(f"--witness: {path}: not UTF-8 text") from None
    except json.JSONDecodeError as err:
        raise WitnessFileError(f"--witness: {path}: not valid JSON (line {err.lineno}, column {err.colno})"
                               ) from None
    except (ValueError, KeyError, TypeError, AttributeError):
        raise WitnessFileError(f"--witness: {path}: not an Accord ledger checkpoint") from None
    except OSError as err:
        raise WitnessFileError(f"--witness: {path}: cannot read ({err.strerror})") from None


def read_witness_files(paths: list[Path]) -> list[tuple[Path, Checkpoint]]:
    """Checkpoint files, from files or folders of them."""
    found: list[tuple[Path, Checkpoint]] = []
    for p in paths:
        files = sorted(p.rglob("checkpoint-*.json")) if p.is_dir() else [p]
        found.extend((f, read_witness_file(f)) for f in files)
    return found
