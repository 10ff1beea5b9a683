"""The school's pseudonyms: the ids under which its students reach the hub (ADR 0022).

The hub's operator works in the education agency and holds its student list: record ids beside
names and birth dates. Any file the hub keeps under those ids (a roster of birth-date tokens, the
content, the consents) hands the operator known plaintext: a dictionary from each token to the
date it encodes (issue 15's battery). So the school's node sends nothing under its own ids. Each
record id becomes a keyed pseudonym, HMAC-SHA256 of the id under a key only the school's node
holds (`pseudonym.key` in its directory, never shared, never at a hub), cut to 130 bits and
written `p-` and 26 base32 letters. The same id gives the same pseudonym in every file the node
sends (students, encodings, content), so the hub joins them as before; without the key no one can
compute it from an id, nor go back.

Only the node can translate: `accord node pseudonym ID` tells the records officer (recording a
consent, answering a parent) the id a child has at the hub.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from collections.abc import Callable
from pathlib import Path

from accord.domain.students import PSEUDONYM_LETTERS, PSEUDONYM_PREFIX
from accord.errors import AccordError
from accord.secret_files import create_secret, read_secret

HEADER = "accord-pseudonym-key v1"
KEY_BYTES = 32
_LABEL = b"accord school pseudonym v1\x00"  # a new derivation gets a new label
# PSEUDONYM_LETTERS of base32: 130 bits; collisions among a state's millions of students, odds ~2**-88

Pseudonymiser = Callable[[str], str]


class PseudonymKeyError(AccordError, ValueError):
    """The pseudonym key file is missing, malformed or exists already; the message names the file."""


def write_pseudonym_key(path: Path, key: bytes) -> None:
    """`key` to `path`, mode 0600, never over a file."""
    create_secret(path, f"{HEADER}\n{key.hex()}\n".encode("ascii"), PseudonymKeyError, "pseudonym key file")


def read_pseudonym_key(path: Path) -> bytes:
    """The key in `path`; refused when others may read it or it is not a pseudonym key file."""
    hint = " (the school's node makes one with `accord node pseudonym-key`)"
    text = read_secret(path, PseudonymKeyError, "pseudonym key file", hint).decode("ascii", "replace")
    lines = text.split()
    try:
        key = bytes.fromhex(lines[-1]) if " ".join(lines[:-1]) == HEADER else b""
    except ValueError:
        key = b""
    if len(key) != KEY_BYTES:
        raise PseudonymKeyError(f"{path}: not a pseudonym key file")
    return key


def make_pseudonym_key(path: Path) -> bytes:
    """A new random key in `path` (mode 0600, never over a file); returns it."""
    key = secrets.token_bytes(KEY_BYTES)
    write_pseudonym_key(path, key)
    return key


def pseudonymiser(key: bytes) -> Pseudonymiser:
    """The function from a record id to its pseudonym under `key` (surrounding spaces ignored; an
    empty id left empty, for the readers to reject), remembering the ids it has seen (a content
    file repeats each student's id on every day of attendance)."""
    seen: dict[str, str] = {}

    def pseudonym(record_id: str) -> str:
        found = seen.get(record_id)
        if found is None:
            plain = record_id.strip()  # as every reader reads an id; an empty one stays empty
            if not plain:
                return record_id
            digest = hmac.new(key, _LABEL + plain.encode("utf-8"), hashlib.sha256).digest()
            letters = base64.b32encode(digest).decode("ascii").lower()[:PSEUDONYM_LETTERS]
            found = seen[record_id] = PSEUDONYM_PREFIX + letters
        return found

    return pseudonym
