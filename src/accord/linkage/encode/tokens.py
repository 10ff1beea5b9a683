"""Keyed blocking tokens, only over combinations with many distinct values.

A token is the first 8 bytes of a keyed BLAKE2b digest, as a signed 64-bit integer. Tokens of a
low-cardinality field alone (sex, state) are never made: equal tokens would show that field's
frequencies to the hub even under a key.
"""

from __future__ import annotations

import hashlib

_SOUNDEX_CODES = {**dict.fromkeys("bfpv", "1"), **dict.fromkeys("cgjkqsxz", "2"), **dict.fromkeys("dt", "3"),
                  "l": "4", **dict.fromkeys("mn", "5"), "r": "6"}


def soundex(word: str) -> str:
    """American Soundex of a folded word ('robert' -> 'r163'); a coarse phonetic code for blocking."""
    letters = [c for c in word if "a" <= c <= "z"]
    if not letters:
        return ""
    code, last = letters[0], _SOUNDEX_CODES.get(letters[0], "")
    for c in letters[1:]:
        digit = _SOUNDEX_CODES.get(c, "")
        if digit and digit != last:
            code += digit
        if c not in "hw":  # h and w do not separate two equal codes; vowels do
            last = digit
    return (code + "000")[:4]


def token(key: bytes, name: str, *parts: str) -> int:
    """The keyed token of one combination, named so equal parts in two combinations differ."""
    message = "\x1f".join((name, *parts)).encode()
    digest = hashlib.blake2b(message, key=key, digest_size=8).digest()
    return int.from_bytes(digest, "little", signed=True)
