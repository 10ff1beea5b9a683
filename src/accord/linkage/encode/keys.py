"""The shared secret key file: made once, given to every agency, never to the hub.

Format: two lines of ASCII text, `accord-linkage-key v1` then 64 hex digits (32 random bytes).
Text keeps it easy to move through the channels agencies already use for secrets; the header line
lets a wrong file be refused clearly. The file is created with permissions 0600 and never
overwritten.
"""

from __future__ import annotations

import hashlib
import secrets
from pathlib import Path

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from accord.errors import AccordError
from accord.secret_files import create_secret, read_secret

HEADER = "accord-linkage-key v1"
KEY_BYTES = 32
AGREEMENT_LABEL = b"accord linkage agreement v1"  # a new derivation gets a new label


class KeyFileError(AccordError, ValueError):
    """The key file is missing, malformed or exists already; the message names the file only."""


def generate_key() -> bytes:
    """32 bytes from the operating system's CSPRNG."""
    return secrets.token_bytes(KEY_BYTES)


def write_key_file(path: Path, key: bytes) -> None:
    """Create `path` with mode 0600 holding `key`; refuse if anything is already there."""
    create_secret(path, f"{HEADER}\n{key.hex()}\n".encode("ascii"), KeyFileError, "linkage key file")


def read_key_file(path: Path) -> bytes:
    """The key in `path`; a clear error naming the file when it is not an Accord key file, or
    when others can read it."""
    try:
        lines = read_secret(path, KeyFileError, "linkage key file").decode("ascii").split()
    except UnicodeDecodeError:
        raise KeyFileError(f"{path}: not an Accord linkage key file") from None
    if len(lines) != 3 or " ".join(lines[:2]) != HEADER:
        raise KeyFileError(f"{path}: not an Accord linkage key file")
    try:
        key = bytes.fromhex(lines[2])
    except ValueError:
        raise KeyFileError(f"{path}: the key is not hexadecimal") from None
    if len(key) < KEY_BYTES:
        raise KeyFileError(f"{path}: the key is shorter than {KEY_BYTES} bytes")
    return key


def key_id(key: bytes) -> str:
    """A public fingerprint, so the hub can check two files were encoded under the same key."""
    return hashlib.blake2b(b"accord key id", key=key[:64], digest_size=8).hexdigest()


def derive(key: bytes, purpose: str) -> bytes:
    """A sub-key per purpose, so Bloom positions and blocking tokens never share a hash input space."""
    return hashlib.blake2b(purpose.encode(), key=key[:64], digest_size=32).digest()


def agreement_key(key: bytes, agreement_id: str) -> bytes:
    """The key a roster is encoded under for one agreement (HKDF-SHA256 of the agencies' secret,
    labelled with the agreement id): encodings made for two agreements never compare, so the hub
    cannot link a roster sent for one purpose with a roster sent for another (ADR 0015)."""
    if not agreement_id:
        raise KeyFileError("an agreement id is needed to derive its key")
    return HKDF(algorithm=hashes.SHA256(), length=KEY_BYTES, salt=None,
                info=AGREEMENT_LABEL + b"\x00" + agreement_id.encode()).derive(key)
