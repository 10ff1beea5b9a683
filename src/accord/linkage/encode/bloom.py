"""Per-field Bloom filters of padded bigrams, with keyed, independent bit positions.

Each bigram's k positions come from one keyed BLAKE2b digest of (field, salt, bigram), cut into
10-bit slices: independent hashing, as Kroll & Steinmetzer (2015) showed that double hashing's
arithmetic progressions let an attacker recover the bigrams. Positions are cached per
(field, salt, bigram) as a ready-made integer mask, because bigrams repeat across records far more
than they vary; a filter is then a handful of integer ORs.
"""

from __future__ import annotations

import functools
import hashlib
import operator
import struct
from dataclasses import dataclass

from accord.linkage.encode.cache import Memo

PAD = "_"


@dataclass(frozen=True, slots=True)
class BloomParams:
    """Filter length in bits (a power of two, a multiple of 64) and hash count per bigram."""

    bits: int = 1024
    k: int = 20

    @property
    def words(self) -> int:
        return self.bits // 64

    @property
    def slice_bits(self) -> int:
        return self.bits.bit_length() - 1


def bigrams(text: str) -> set[str]:
    """Padded bigrams: 'ana' -> {'_a', 'an', 'na', 'a_'}; padding weights the first and last letters."""
    padded = f"{PAD}{text}{PAD}"
    return set(map(operator.add, padded[:-1], padded[1:]))


class BloomEncoder:
    """Encodes text into a Bloom filter under one key; holds the position cache."""

    def __init__(self, key: bytes, params: BloomParams) -> None:
        if params.bits % 64 or params.bits & (params.bits - 1):
            raise ValueError("Bloom filter length must be a power of two and a multiple of 64")
        if params.k * params.slice_bits > 512:
            raise ValueError("too many hash functions for one 512-bit digest")
        self._key = key
        self._params = params
        self._digest_size = min(64, (params.k * params.slice_bits + 7) // 8)
        # One mask table per (field, salt): a lookup is then a plain dict hit on the bigram.
        self._masks: dict[tuple[str, str], Memo[str, int]] = {}
        self._segment_masks: dict[tuple[str, str], Memo[str, int]] = {}
        self._unpack = struct.Struct(f"<{params.words}q").unpack

    def _mask(self, field: str, salt: str, gram: str) -> int:
        # The field name and salt are hashed with the bigram: 'an' in a first name, and 'an'
        # in a record born another year, set unrelated bits.
        message = f"{field}\x1f{salt}\x1f{gram}".encode()
        digest = hashlib.blake2b(message, key=self._key, digest_size=self._digest_size).digest()
        stream = int.from_bytes(digest, "little")
        width, top, mask = self._params.slice_bits, self._params.bits - 1, 0
        for i in range(self._params.k):
            mask |= 1 << ((stream >> (i * width)) & top)
        return mask

    def masks(self, field: str, salt: str) -> Memo[str, int]:
        """The cached bigram -> bit-mask table of one field and salt."""
        table = self._masks.get((field, salt))
        if table is None:
            table = self._masks[(field, salt)] = Memo(functools.partial(self._mask, field, salt))
        return table

    def _segments(self, field: str, salt: str) -> Memo[str, int]:
        # A word with its neighbouring separators (' main ') owns exactly the bigrams of the
        # padded text that touch it, so a text's filter is the OR of its words' masks; words
        # repeat across unique addresses far more than whole addresses do.
        table = self._segment_masks.get((field, salt))
        if table is None:
            grams = self.masks(field, salt).__getitem__

            def segment_mask(segment: str) -> int:
                pairs = set(map(operator.add, segment[:-1], segment[1:]))
                return functools.reduce(operator.or_, map(grams, pairs))

            table = self._segment_masks[(field, salt)] = Memo(segment_mask)
        return table

    def encode(self, field: str, salt: str, text: str) -> bytes:
        """The filter of the padded bigrams of `text` (single-spaced), as little-endian bytes."""
        words = text.split(" ")
        if len(words) == 1:
            segments = [f"{PAD}{text}{PAD}"]
        else:
            segments = [f"{PAD}{words[0]} ", *(f" {w} " for w in words[1:-1]), f" {words[-1]}{PAD}"]
        value: int = functools.reduce(operator.or_, map(self._segments(field, salt).__getitem__, segments))
        return value.to_bytes(self._params.bits // 8, "little")

    def words(self, filter_bytes: bytes) -> tuple[int, ...]:
        """The filter as signed 64-bit words, the BIGINT columns that SQL engines can bit_count."""
        return self._unpack(filter_bytes)


def dice(a: bytes, b: bytes) -> float:
    """Dice coefficient 2|A∩B| / (|A|+|B|) of two filters; 0.0 when both are empty."""
    x, y = int.from_bytes(a, "little"), int.from_bytes(b, "little")
    total = x.bit_count() + y.bit_count()
    return 2 * (x & y).bit_count() / total if total else 0.0
