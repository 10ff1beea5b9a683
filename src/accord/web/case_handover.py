"""The released facts of a case request, handed from the request (the form's post) to the first view
of its result page (Post/Redirect/Get, ADR 0028), and to nothing else.

The ledger keeps what was released, never the facts, and the hub must not keep them in clear for a
page: so they wait here, in this process's memory only, for the redirected view of the one who asked,
and are gone when it takes them, or after `HOLD` seconds if it never comes (a client that does not
follow redirects). A reload of the result page, another caseworker, or a restart finds nothing and
the page says what the ledger keeps. `accord serve` is one process, so the view that follows the
post finds what it left."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

from starlette.datastructures import State

HOLD = 300.0  # seconds: a redirect is followed at once; this only bounds what is never collected
Facts = list[dict[str, Any]]  # as release_record gives them: element, occurred_on, values


class Handover:
    """Released facts by (asker, ledger entry), each taken at most once."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._waiting: dict[tuple[str, int], tuple[float, Facts]] = {}

    def keep(self, user_id: str, seq: int, facts: Facts) -> None:
        now = self._clock()
        with self._lock:
            self._drop_stale(now)
            self._waiting[(user_id, seq)] = (now + HOLD, facts)

    def take(self, user_id: str, seq: int) -> Facts | None:
        """The facts released to `user_id` in entry `seq`, once; None if taken, stale or never kept."""
        with self._lock:
            self._drop_stale(self._clock())
            held = self._waiting.pop((user_id, seq), None)
        return None if held is None else held[1]

    def _drop_stale(self, now: float) -> None:
        for key in [k for k, (until, _) in self._waiting.items() if until <= now]:
            del self._waiting[key]


_MAKING = threading.Lock()


def handover_of(state: State) -> Handover:
    """The site's one hand-over (one per app: two sites in one process never see each other's)."""
    with _MAKING:
        if not hasattr(state, "case_handover"):
            state.case_handover = Handover()
        made: Handover = state.case_handover
        return made
