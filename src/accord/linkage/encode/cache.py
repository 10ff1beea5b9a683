"""A bounded memo table with C-speed hits, for the encoder's many repeated values."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class Memo(dict[K, V], Generic[K, V]):
    """`memo[x]` is `fn(x)`, computed once; a plain dict lookup on a hit.

    `dict.__missing__` runs only on a miss, so hits cost no Python frame. When `limit` entries
    are held the table is emptied: rosters with millions of distinct addresses must not grow it
    without bound, and a cleared cache only costs speed.
    """

    def __init__(self, fn: Callable[[K], V], limit: int = 200_000) -> None:
        super().__init__()
        self._fn = fn
        self._limit = limit

    def __missing__(self, key: K) -> V:
        if len(self) >= self._limit:
            self.clear()
        value = self[key] = self._fn(key)
        return value
