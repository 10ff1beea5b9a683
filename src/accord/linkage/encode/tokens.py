"""Keyed blocking tokens, only over combinations with many distinct values.

A token is the first 8 bytes of the keyed PRF's output (`prf`: AES-256 under the token sub-key)
on a block that encodes the combination, as a signed 64-bit integer. The block is two
little-endian 64-bit words, `kind | year << 8 | month << 24 | day << 32 | place << 40` and
`code_a | code_b << 32` (or one 64-bit `value` in the second word), with 0 in every part the token
kind does not use; the kind number keeps equal parts in two combinations apart. Codes are Soundex
codes as the integer of their four ASCII bytes; `place` is a five-digit ZIP as an integer; a free
text (a street address) enters as its 64-bit `text_value`.

Tokens of a low-cardinality field alone (sex, state) are never made: equal tokens would show that
field's frequencies to the hub even under a key.
"""

from __future__ import annotations

import hashlib

import numpy as np
from numpy.typing import NDArray

from accord.linkage.encode.prf import BlockPRF

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


def code_value(code: str) -> int:
    """A Soundex code as a 32-bit integer ('r163' -> its four ASCII bytes, little-endian); 0 for ''."""
    return int.from_bytes(code.encode("ascii"), "little")


def text_value(text: str) -> int:
    """A text as a 64-bit integer, to fit a token block; the key is applied by the PRF after."""
    return int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "little")


def digits_value(digits: str) -> int:
    """An identifier's digits as an integer ('0123' and '123' are one value, as spreadsheets make
    them); identifiers longer than 19 digits go through `text_value`."""
    return int(digits) if len(digits) <= 19 else text_value(digits)


Part = NDArray[np.uint64] | int


def token_blocks(kind: int, year: Part = 0, month: Part = 0, day: Part = 0, code_a: Part = 0,
                 code_b: Part = 0, place: Part = 0, value: Part = 0) -> NDArray[np.uint64]:
    """The (n, 2) PRF input blocks of one token kind over arrays of parts (0: part not used).

    `value` fills the whole second word, so a kind uses either it or the two codes."""
    if not 0 < kind < 256:
        raise ValueError("a token kind is one byte, not 0")
    parts = [np.asarray(p, np.uint64) for p in (year, month, day, code_a, code_b, place, value)]
    year_, month_, day_, code_a_, code_b_, place_, value_ = np.broadcast_arrays(*parts)
    blocks = np.empty((year_.size, 2), np.uint64)
    blocks[:, 0] = (np.uint64(kind) | year_ << np.uint64(8) | month_ << np.uint64(24) | day_ << np.uint64(32)
                    | place_ << np.uint64(40))
    blocks[:, 1] = code_a_ | code_b_ << np.uint64(32) | value_
    return blocks


class TokenEncoder:
    """Tokens from input blocks under one key."""

    def __init__(self, key: bytes) -> None:
        self._prf = BlockPRF(key)

    def tokens(self, blocks: NDArray[np.uint64]) -> NDArray[np.int64]:
        """One signed 64-bit token per (n, 2) block: the first 8 bytes of its PRF output."""
        out = self._prf(blocks)
        return np.ascontiguousarray(out[:, :8]).view(np.dtype("<i8")).reshape(-1)
