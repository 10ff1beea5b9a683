"""Drawing many values at once, fast: weighted picks, addresses, and a pause of the garbage collector."""

from __future__ import annotations

import gc
import random
from collections.abc import Iterator
from contextlib import contextmanager

from accord.synth.rosters.names import CITY_TABLE, STREET_NAMES, STREET_TYPES, ZIP_CODES, weighted

APARTMENT_RATE = 0.12

_STREETS = weighted(STREET_NAMES)
_STREET_TYPES = weighted(STREET_TYPES)
_CITIES = weighted(CITY_TABLE)


def pick(rng: random.Random, table: tuple[list[str], list[int]], k: int) -> list[str]:
    """``k`` values drawn with replacement from a ``weighted()`` table."""
    return rng.choices(table[0], cum_weights=table[1], k=k)


def random_address(rng: random.Random) -> tuple[str, str, str]:
    """(street address, city, ZIP) drawn from the county's tables."""
    street, city, postcode = addresses(rng, 1)[0]
    return street, city, postcode


def addresses(rng: random.Random, k: int) -> list[tuple[str, str, str]]:
    """``k`` (street address, city, ZIP) triples; a few cities hold most of them."""
    # Log-uniform house numbers: short numbers are far more common than four-digit ones.
    numbers = [int(10 ** (0.5 + 3.5 * rng.random())) for _ in range(k)]
    names, kinds = pick(rng, _STREETS, k), pick(rng, _STREET_TYPES, k)
    streets = [f"{n} {s} {t}" for n, s, t in zip(numbers, names, kinds, strict=True)]
    for i in range(k):
        if rng.random() < APARTMENT_RATE:
            streets[i] += f" Apt {rng.randint(1, 40)}{rng.choice('ABCD')}"
    cities = pick(rng, _CITIES, k)
    return [(street, city, rng.choice(ZIP_CODES[city])) for street, city in zip(streets, cities, strict=True)]


@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while building millions of acyclic tuples and lists.

    Every allocation batch otherwise triggers a collection that rescans everything built so far,
    which nearly doubles the run time; nothing built here forms a cycle, so nothing leaks.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
