"""Mining a record-level Bloom filter (CLK) for the bit positions of its bigrams, when a bigram sets
its positions in every filter that holds it (no fold, no diffusion): see `clk_attack`.

After Christen, Ranbaduge, Vatsalan & Schnell (2018/2019), "Precise and fast cryptanalysis for Bloom
filter based privacy-preserving record linkage", refined record set by bit set as Kroll & Steinmetzer
(2015) and Niedermeyer, Steinmetzer, Kroll & Schnell (2014) do: from each position, the records that
set it; the k positions set most often among them; the records that set all of those; the positions
set in (nearly) all of these... to a fixed point: the positions of the one bigram that dominated.
Positions whose removal widens the records are then pruned (another bigram's, met by chance). The
records a pattern explains are taken out of its positions' seeds, so that a position's rarer bigrams
are found in later rounds (the partitioning of Christen et al.).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

ALL_SET = 0.99  # a bigram's positions are set in all its records; 1% slack for stray records


def as_bits(filters: np.ndarray) -> np.ndarray:
    """(words, n) signed 64-bit filters, as the encoder gives them, as an (n, bits) boolean matrix."""
    raw = np.ascontiguousarray(filters.T.astype("<i8")).view(np.uint8)
    return np.unpackbits(raw, axis=1, bitorder="little").astype(bool)


class Columns:
    """Each bit position as the packed set of records that set it."""

    def __init__(self, bits: np.ndarray) -> None:
        self.records, self.width = bits.shape
        packed = np.packbits(bits.T, axis=1, bitorder="little")
        packed = np.pad(packed, ((0, 0), (0, -packed.shape[1] % 8)))
        self.sets = np.ascontiguousarray(packed).view(np.uint64)

    def holding(self, positions: Sequence[int] | np.ndarray) -> np.ndarray:
        """The records that set every one of `positions`."""
        return np.bitwise_and.reduce(self.sets[np.asarray(positions)], axis=0)

    def set_within(self, records: np.ndarray) -> np.ndarray:
        """Per position, how many of `records` set it."""
        return np.bitwise_count(self.sets & records).sum(axis=1)

    def unpack(self, records: np.ndarray) -> np.ndarray:
        return np.unpackbits(records.view(np.uint8), bitorder="little")[:self.records].astype(bool)


def size(records: np.ndarray) -> int:
    return int(np.bitwise_count(records).sum())


@dataclass(frozen=True, slots=True)
class BitPattern:
    positions: tuple[int, ...]
    records: np.ndarray  # boolean, one entry per record: the records holding every position


def _refine(columns: Columns, seed: np.ndarray, hashes: int) -> tuple[np.ndarray, np.ndarray]:
    """Positions and records of the bigram dominating `seed` (packed records), to a fixed point."""
    positions, records = np.zeros(0, np.intp), seed
    for step in range(10):
        count = size(records)
        if not count:
            break
        share = columns.set_within(records) / count
        chosen = np.argsort(-share, kind="stable")[:hashes] if step == 0 else np.flatnonzero(share >= ALL_SET)
        if step and np.array_equal(chosen, positions):
            break
        positions, records = chosen, columns.holding(chosen)
    while len(positions) > 1:  # a position of another bigram narrows the records: drop it
        widened = [size(columns.holding(np.delete(positions, i))) for i in range(len(positions))]
        i = int(np.argmax(widened))
        if widened[i] <= (2 - ALL_SET) * size(records):
            break
        positions = np.delete(positions, i)
        records = columns.holding(positions)
    return positions, records


def exact_patterns(bits: np.ndarray, hashes: int, min_records: int = 30, rounds: int = 4) -> list[BitPattern]:
    """Bigram patterns of (n, m) boolean filters: every position seeds a refinement, in rounds that
    leave out the records already explained at the seed."""
    columns = Columns(bits)
    found: dict[tuple[int, ...], np.ndarray] = {}
    explained = np.zeros_like(columns.sets)
    for _ in range(rounds):
        for b in range(columns.width):
            seed = columns.sets[b] & ~explained[b]
            if size(seed) < min_records:
                continue
            positions, records = _refine(columns, seed, hashes)
            key = tuple(positions.tolist())
            if size(records) < min_records or len(key) < 0.7 * hashes:
                explained[b] |= seed  # nothing minable left at this seed
            elif key in found:
                explained[b] |= records
            else:
                found[key] = records
                explained[positions] |= records
    return [BitPattern(key, columns.unpack(records)) for key, records in found.items()]
