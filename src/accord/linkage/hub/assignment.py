"""How sure a one-to-one link is, on a scale that does not fall as the rosters grow (ADR 0023).

Splink's match probability weighs a pair's evidence (its Bayes factor, BF: the product of each
field's m/u, term frequencies included) against the chance that two records drawn at random are one
person, which falls as the rosters grow: the same evidence scores lower at 1.5M than at 500k.
Linked one-to-one, the prior is that of a bipartite matching instead (Sadinle, "Bayesian estimation
of bipartite matchings for record linkage", JASA 2017): given the rest of the matching, a record
either links to one of the records still free on the other side, each with weight BF, or stays
unlinked, with weight

    O = (N_left - M) * (N_right - M) / (M + 1)

(his full conditional under a flat Beta(1, 1) prior on the number of links M; here M is the run's own
expected number of links: the sum of the link probabilities it gives, `settled_links`). A pair (i, j) is
then weighed against everything else i and j could be: i linked to one of its other candidates (their
BFs sum to A), j linked to one of its other candidates (B), both, or neither. Summed over those
configurations of the two records,

    P(i <-> j) = BF / (BF + (O + A) * (O + B) / O).

Rivals that another record has already claimed are counted as free, so the figure errs low. A
candidate whose BF is under `RIVAL_SHARE` of O changes no pair's figure by more than that share,
which is why prediction keeps every pair from there (`floor_weight`).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

RIVAL_SHARE = 1e-3  # rivals weaker than this share of the no-link weight are not kept
MAX_ROUNDS = 200  # of the fixed point of the expected links (it settles in a few dozen)


def expected_links(pair_prior: float, left_rows: int, right_rows: int) -> float:
    """The number of matching pairs the trained model expects: its prior times all the pairs."""
    return pair_prior * left_rows * right_rows


def no_link_weight(links: float, left_rows: int, right_rows: int) -> float:
    """O: the weight of a record staying unlinked, against a link of Bayes factor 1 (at least one
    record is left free on each side, as in the full conditional)."""
    free_left, free_right = max(left_rows - links, 1.0), max(right_rows - links, 1.0)
    return free_left * free_right / (links + 1.0)


def prior_weight(pair_prior: float) -> float:
    """Splink's prior term of a pair's match weight (log2 of the prior odds)."""
    return math.log2(pair_prior / (1.0 - pair_prior))


def floor_weight(pair_prior: float, no_link: float) -> float:
    """The lowest Splink match weight (prior included) a candidate needs to be kept."""
    return prior_weight(pair_prior) + math.log2(no_link * RIVAL_SHARE)


def link_posterior(bayes_factor: Any, rivals_left: Any, rivals_right: Any, no_link: float) -> Any:
    """P(i <-> j): the pair's BF against the weight of every other configuration of i and j (floats,
    or numpy arrays of pairs)."""
    others = (no_link + rivals_left) * (no_link + rivals_right) / no_link
    return bayes_factor / (bayes_factor + others)


def settled_links(bayes_factors: Any, rivals_left: Any, rivals_right: Any, rows: tuple[int, int],
                  start: float) -> float:
    """The number of links M at which the one-to-one pairs' link probabilities sum to M: the expected
    number of links under the run's own figures. The trained prior (`start`) is estimated from a
    deterministic rule whose recall is assumed, and O turns on the few records left free, so the
    prior's M alone can halve O; the sum rises with M, so the iteration settles on the fixed point."""
    links = start
    for _ in range(MAX_ROUNDS):
        settled = float(np.sum(link_posterior(bayes_factors, rivals_left, rivals_right,
                                              no_link_weight(links, *rows))))
        if abs(settled - links) < 0.5:
            return settled
        links = settled
    return links
