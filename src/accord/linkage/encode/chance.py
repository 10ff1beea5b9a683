"""How often two different people of one roster have alike names by chance: the agency node
measures it on its own clear text and sends the hub a histogram, never a value.

The hub prices a Dice level of a salted filter by how often *different* people reach it
(the level's u). It sees filters compared only within one salt (one birth date), and within a file
being deduplicated the pairs sharing a birth date are mostly the duplicates sought, so it cannot
tell (ADR 0012). The node can: it takes a uniform sample of its roster's values of each field
(`SAMPLE` rows, drawn with random priorities across all batches), encodes the sample under one
common salt, and counts the sample's pairs by their Dice similarity in hundredths. Random pairs of
a roster are different people bar a handful, and how similar two names are does not depend on the
salt, so the histogram is the u of every Dice level of that field.

What leaves the node is, per name field (record.CHANCE_FIELDS), 101 pair counts: how concentrated
the roster's names are (the chance that two share one), like the figures a census table publishes,
and nothing about any one person. The sample's texts and filters stay in memory and are dropped.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

SAMPLE = 2000  # rows per field: about two million pairs, enough for a level of one in a hundred thousand
BUCKETS = 101  # Dice in hundredths, 0 to 100
_SALT = np.uint64(0)


class ChanceSample:
    """A uniform random sample of one field's values across every batch of a roster."""

    def __init__(self, seed: int) -> None:
        self._rng = np.random.default_rng(seed)
        self._priorities = np.empty(0)
        self._texts: list[str] = []

    def add(self, texts: Sequence[str | None]) -> None:
        """Offer a batch's values (None: missing); keep the SAMPLE with the smallest priorities."""
        values = [t for t in texts if t]
        if not values:
            return
        priorities = np.concatenate([self._priorities, self._rng.random(len(values))])
        pool = self._texts + values
        keep = np.argsort(priorities, kind="stable")[:SAMPLE]
        self._priorities, self._texts = priorities[keep], [pool[i] for i in keep]

    @property
    def texts(self) -> list[str]:
        return self._texts


def dice_histogram(filters: NDArray[np.int64]) -> list[int]:
    """Pairs of distinct columns of `filters` ((words, n) signed 64-bit words, a filter a column)
    per floor(100 * Dice): the hub's level "Dice >= t" holds the buckets from 100 t up."""
    rows = filters.T.view(np.uint64)
    pop = np.bitwise_count(rows).sum(axis=1, dtype=np.int64)
    counts = np.zeros(BUCKETS, np.int64)
    for i in range(len(rows) - 1):
        common = np.bitwise_count(rows[i] & rows[i + 1:]).sum(axis=1, dtype=np.int64)
        total = pop[i] + pop[i + 1:]
        buckets = np.where(total > 0, (200 * common) // np.maximum(total, 1), 0)
        counts += np.bincount(buckets, minlength=BUCKETS)[:BUCKETS]
    return [int(c) for c in counts]


def salt_free(count: int) -> NDArray[np.uint64]:
    """One common salt for a sample: its filters compare with each other as salted ones do within a salt."""
    return np.full(count, _SALT, np.uint64)
