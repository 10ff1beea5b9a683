"""Synthetic multi-agency rosters: a true child population, per-agency noisy copies, and ground truth.

``write_rosters`` is the entry point; ``population`` and ``outsider_pool`` rebuild the true people
behind a seed, so a test or a benchmark can score a linkage against them.
"""

from accord.synth.rosters.errors import ERROR_RATES
from accord.synth.rosters.people import Person, population
from accord.synth.rosters.rosters import (
    TRUTH_FILE,
    TRUTH_HEADER,
    AgencyCounts,
    RosterSummary,
    outsider_pool,
    pair_rosters,
    write_rosters,
)
from accord.synth.rosters.specs import DEFAULT_AGENCIES, HEADER, AgencySpec

__all__ = [
    "DEFAULT_AGENCIES",
    "ERROR_RATES",
    "HEADER",
    "TRUTH_FILE",
    "TRUTH_HEADER",
    "AgencyCounts",
    "AgencySpec",
    "Person",
    "RosterSummary",
    "outsider_pool",
    "pair_rosters",
    "population",
    "write_rosters",
]
