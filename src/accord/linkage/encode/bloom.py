"""Per-field Bloom filters of padded bigrams, with keyed, independent bit positions.

Each occurrence of a bigram gets its k positions from the keyed PRF (`prf`, AES-256 under a key
derived per hash label) applied to blocks that encode (salt, bigram, block counter), cut into 16-bit
slices taken modulo the filter length (a power of two, so every position is equally likely). Every
(label, salt, bigram) thus has its own pseudorandom positions: independent hashing, as Kroll &
Steinmetzer (2015) showed that double hashing's arithmetic progressions let an attacker recover the
bigrams. Different labels or salts give unrelated positions; the same (label, salt, text) always
gives the same filter, and two texts under one label and salt share exactly the bits of their
shared bigrams, so their Dice similarity follows their spelling.

Input block, two little-endian 64-bit words: the salt (an opaque 64-bit value chosen by the
caller), then `c1 << 21 | c2 | counter << 56` for the bigram's two code points c1, c2 (< 2**21).

Filters are built a chunk of records at a time with numpy: the chunk's texts are joined into one
string whose adjacent characters are the bigrams, every bigram occurrence goes through the PRF in
one call, and the positions are set in a boolean matrix packed into 64-bit words. Nothing is
cached: a PRF block costs a few nanoseconds, less than a cache lookup, and salts split by year and
surname code make most (salt, bigram) pairs rare anyway.
"""

from __future__ import annotations

import operator
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from accord.linkage.encode.keys import derive
from accord.linkage.encode.prf import BlockPRF

PAD = "_"
SLICE_BITS = 16  # one position per 16-bit slice of PRF output
SLICES_PER_BLOCK = 128 // SLICE_BITS
MAX_K = 32
CHUNK_RECORDS = 512  # records per numpy pass: its arrays (~1 MB) stay in the CPU caches
_CODE_BITS = 21  # Unicode code points are below 2**21
_COUNTER_SHIFT = 56


@dataclass(frozen=True, slots=True)
class BloomParams:
    """Filter length in bits (a power of two, a multiple of 64) and hash count per bigram."""

    bits: int = 1024
    k: int = 20

    @property
    def words(self) -> int:
        return self.bits // 64

    @property
    def blocks(self) -> int:
        """PRF blocks per bigram: one per 8 positions."""
        return -(-self.k // SLICES_PER_BLOCK)


def bigrams(text: str) -> set[str]:
    """Padded bigrams: 'ana' -> {'_a', 'an', 'na', 'a_'}; padding weights the first and last letters."""
    padded = f"{PAD}{text}{PAD}"
    return set(map(operator.add, padded[:-1], padded[1:]))


def _code_points(text: str) -> NDArray[np.uint64]:
    if text.isascii():  # normalised identity values always are
        return np.frombuffer(text.encode("ascii"), np.uint8).astype(np.uint64)
    return np.frombuffer(text.encode("utf-32-le"), np.dtype("<u4")).astype(np.uint64)


class BloomEncoder:
    """Encodes texts into Bloom filters under one key and one (bits, k). It reuses scratch arrays
    from call to call, so one encoder serves one thread."""

    def __init__(self, key: bytes, params: BloomParams) -> None:
        if params.bits % 64 or params.bits & (params.bits - 1) or params.bits > 1 << SLICE_BITS:
            raise ValueError("Bloom filter length must be a power of two, a multiple of 64, "
                             f"and at most {1 << SLICE_BITS}")
        if not 0 < params.k <= MAX_K:
            raise ValueError(f"too many hash functions: k must be between 1 and {MAX_K}")
        self._key = key
        self._params = params
        self._prfs: dict[str, BlockPRF] = {}
        self._buffers: dict[str, NDArray[Any]] = {}

    @property
    def params(self) -> BloomParams:
        return self._params

    def _prf(self, label: str) -> BlockPRF:
        # One PRF key per hash label: the label is never part of a block, so labels cannot collide.
        prf = self._prfs.get(label)
        if prf is None:
            prf = self._prfs[label] = BlockPRF(derive(self._key, f"bloom label {label}"))
        return prf

    def encode_many(self, label: str, salts: NDArray[np.uint64], texts: Sequence[str | None]
                    ) -> tuple[NDArray[np.int64], NDArray[np.bool_]]:
        """Filters of `texts` under `label`, `salts[i]` salting `texts[i]`, and the (n,) mask of
        texts present (None or empty: missing). Filters are a (words, n) array of signed 64-bit
        words, one row per word column, zero for a missing text."""
        n = len(texts)
        salts = np.asarray(salts, np.uint64)
        if salts.shape != (n,):
            raise ValueError("one salt per text")
        present = np.fromiter(map(bool, texts), np.bool_, count=n)
        rows = np.flatnonzero(present)
        values: list[str] = list(filter(None, texts))  # None and "" dropped
        lengths = np.fromiter(map(len, values), np.intp, count=len(values))
        out = np.zeros((self._params.words, n), np.int64)
        prf = self._prf(label)
        for start in range(0, len(values), CHUNK_RECORDS):
            stop = start + CHUNK_RECORDS
            chunk_rows = rows[start:stop]
            filters = self._chunk(prf, salts[chunk_rows], values[start:stop], lengths[start:stop])
            out[:, chunk_rows] = filters.T
        return out, present

    def _chunk(self, prf: BlockPRF, salts: NDArray[np.uint64], texts: list[str], lengths: NDArray[np.intp]
               ) -> NDArray[np.int64]:
        m, bits, k, nblocks = len(texts), self._params.bits, self._params.k, self._params.blocks
        # '_a__b_': text i padded, then its neighbour; the pair '__' between two texts is not a bigram
        # of either and belongs to a spare row m of the bit matrix, which is dropped.
        chars = _code_points(f"{PAD}{f'{PAD}{PAD}'.join(texts)}{PAD}")
        grams = (chars[:-1] << np.uint64(_CODE_BITS)) | chars[1:]
        count = grams.size
        padded = lengths + 2
        owner = np.repeat(np.arange(m, dtype=np.intp), padded)[:-1]
        owner[np.cumsum(padded)[:-1] - 1] = m
        # Scratch arrays are reused from chunk to chunk: fresh ones this size would be fresh pages.
        blocks = self._scratch("blocks", nblocks * count * 2, np.uint64).reshape(nblocks, count, 2)
        blocks[:, :, 0] = np.append(salts, np.uint64(0))[owner]
        for counter, block in enumerate(blocks):
            block[:, 1] = grams | (np.uint64(counter) << np.uint64(_COUNTER_SHIFT))
        out = prf(blocks.reshape(-1, 2), self._scratch("prf", blocks.nbytes + 15, np.uint8))
        # Positions as (slice, occurrence), so the row offsets add along the long axis; the first k
        # slices are those of blocks 0, 1, ... in order.
        slices = out.view(np.dtype("<u2")).reshape(nblocks, count, SLICES_PER_BLOCK).transpose(0, 2, 1)
        positions = self._scratch("positions", slices.size, np.intp).reshape(slices.shape)
        np.bitwise_and(slices, np.uint16(bits - 1), out=positions, casting="unsafe")
        positions += owner * bits
        matrix = self._scratch("matrix", (m + 1) * bits, np.bool_)
        matrix.fill(False)
        matrix[positions.reshape(-1, count)[:k]] = True
        packed = np.packbits(matrix[:m * bits].reshape(m, bits), axis=1, bitorder="little")
        return packed.view(np.dtype("<i8"))

    def _scratch(self, name: str, size: int, dtype: type[np.generic]) -> NDArray[Any]:
        """The first `size` elements of a reusable buffer, grown when too small."""
        buffer = self._buffers.get(name)
        if buffer is None or buffer.size < size:
            grown = max(size, 2 * buffer.size) if buffer is not None else size
            buffer = self._buffers[name] = np.empty(grown, dtype)
        return buffer[:size]

    def encode(self, label: str, salt: int, text: str) -> bytes:
        """One filter, as little-endian bytes (bit i of the filter is bit i of the integer)."""
        words, _ = self.encode_many(label, np.array([salt], np.uint64), [text])
        return words[:, 0].astype("<i8").tobytes()


def dice(a: bytes, b: bytes) -> float:
    """Dice coefficient 2|A∩B| / (|A|+|B|) of two filters; 0.0 when both are empty."""
    x, y = int.from_bytes(a, "little"), int.from_bytes(b, "little")
    total = x.bit_count() + y.bit_count()
    return 2 * (x & y).bit_count() / total if total else 0.0
