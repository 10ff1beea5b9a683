"""Persisting the demo county through the store, and reading its facts back.

Reading back from the store, rather than reusing the objects in memory, is the point: the
demo's decisions then rest on what the database actually holds.
"""

from __future__ import annotations

from accord.policy.fact_index import FactIndex
from accord.synth import County


def persist_and_reload(engine: object, county: County) -> tuple[FactIndex, str | None]:
    """Store the county and return (facts read back, where it was stored).

    The store's repositories (src/accord/store/repositories) are not written yet, so for now
    this returns the in-memory county's facts and reports that nothing was stored; the CLI
    says so plainly in its summary.
    """
    del engine  # TODO(store): save through the repositories, then load the facts back
    return index_of(county), None


def index_of(county: County) -> FactIndex:
    """A FactIndex straight from the county's domain objects (no store involved)."""
    return FactIndex.build(agencies=county.agencies, users=county.users,
                           students=county.students, agreements=county.agreements,
                           consents=county.consents, completions=county.completions,
                           state=county.state_law)
