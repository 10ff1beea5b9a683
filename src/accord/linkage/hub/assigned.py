"""One-to-one links with how sure each is as a link of a bipartite matching (assignment.py), computed
on the hub's backend from every scored candidate of the pair's two records.

The trained model gives the prior (Splink's share of matching pairs) and a first expected number of
links, from which prediction keeps every candidate strong enough to count as a rival (`floor`); the
one-to-one pairs then carry their Bayes factor and the summed Bayes factors of each record's other
candidates, and settle the expected number of links themselves.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from accord.linkage.hub.assignment import (
    expected_links,
    floor_weight,
    link_posterior,
    no_link_weight,
    prior_weight,
    settled_links,
)
from accord.linkage.hub.query import saved_prior

if TYPE_CHECKING:
    from accord.linkage.hub.link import Job

LINK_PROBABILITY = "link_probability"  # the column of the frame the criterion writes


@dataclass(frozen=True, slots=True)
class Assignment:
    """What the criterion rests on, from the trained model: the share of matching pairs, the rows
    of the two files, the links it expects and the weight of a record staying unlinked."""

    pair_prior: float
    rows: tuple[int, int]
    links: float
    no_link: float

    @property
    def floor_probability(self) -> float:
        """The floor as Splink's match probability (what its prediction filters on)."""
        return float(1.0 / (1.0 + 2.0 ** -floor_weight(self.pair_prior, self.no_link)))


def assignment_of(job: Job) -> Assignment:
    """The trained job's assignment figures (left file first)."""
    prior = saved_prior(job.linker)
    left, right = job.carried.rows
    links = expected_links(prior, left, right)
    return Assignment(prior, (left, right), links, no_link_weight(links, left, right))


def rivals_sql(predictions: str, one_to_one: str, pair_prior: float) -> str:
    """The one-to-one pairs (`one_to_one`, a query with left_id, right_id, match_weight) with their
    Bayes factor and the summed Bayes factors of each record's other scored candidates."""
    left_first = "source_dataset_l = 'left'"
    factor = f"pow(2.0, match_weight - ({prior_weight(pair_prior)!r}))"
    return f"""
        WITH one AS ({one_to_one}),
        scored AS (
            SELECT CASE WHEN {left_first} THEN record_id_l ELSE record_id_r END AS left_id,
                   CASE WHEN {left_first} THEN record_id_r ELSE record_id_l END AS right_id,
                   {factor} AS bayes_factor
            FROM {predictions}),
        left_total AS (SELECT left_id, sum(bayes_factor) AS total FROM scored GROUP BY left_id),
        right_total AS (SELECT right_id, sum(bayes_factor) AS total FROM scored GROUP BY right_id)
        SELECT one.*, {factor} AS bayes_factor,
               greatest(lt.total - {factor}, 0.0) AS rivals_left,
               greatest(rt.total - {factor}, 0.0) AS rivals_right
        FROM one JOIN left_total lt USING (left_id) JOIN right_total rt USING (right_id)
        ORDER BY left_id, right_id"""


def with_link_probability(pairs: Any, assignment: Assignment) -> Any:
    """The pairs' frame with each pair's `link_probability`, at the expected number of links the
    pairs themselves settle on (assignment.settled_links); the working columns are dropped."""
    factors, left, right = (pairs[c].to_numpy(dtype=float) for c in ("bayes_factor", "rivals_left",
                                                                      "rivals_right"))
    links = settled_links(factors, left, right, assignment.rows, assignment.links)
    pairs[LINK_PROBABILITY] = link_posterior(factors, left, right,
                                             no_link_weight(links, *assignment.rows))
    return pairs.drop(columns=["bayes_factor", "rivals_left", "rivals_right"])
