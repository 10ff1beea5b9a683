"""The one-to-one link probability (linkage/hub/assignment.py) against plain reference computations:
the no-link weight from the prior of whole bipartite matchings (Sadinle 2017, Beta(1, 1) on the
share of links), and the link probability by enumerating every matching of a pair's two records
with their rivals."""

from __future__ import annotations

import itertools
import math
import random

import numpy as np
import pytest

from accord.linkage.hub.assignment import (
    RIVAL_SHARE,
    expected_links,
    floor_weight,
    link_posterior,
    no_link_weight,
    prior_weight,
    settled_links,
)


def _log_matching_prior(links: int, left_rows: int, right_rows: int) -> float:
    """log P(one given matching with `links` links): the number of links is Beta-binomial(right_rows,
    1, 1), then the linked right records and their partners are uniform."""
    beta = math.lgamma(links + 1) + math.lgamma(right_rows - links + 1) - math.lgamma(right_rows + 2)
    return beta + math.lgamma(left_rows - links + 1) - math.lgamma(left_rows + 1)


@pytest.mark.parametrize(("links", "left", "right"), [(0, 5, 3), (2, 5, 3), (17, 40, 25), (528, 1500, 600)])
def test_no_link_weight_is_the_matching_prior_ratio(links: int, left: int, right: int) -> None:
    """Taking one link out of a matching that has `links` others multiplies its prior by O."""
    ratio = math.exp(_log_matching_prior(links, left, right) - _log_matching_prior(links + 1, left, right))
    assert no_link_weight(links, left, right) == pytest.approx(ratio, rel=1e-9)


def _enumerated(bayes_factor: float, rivals_left: list[float], rivals_right: list[float], no_link: float
                ) -> float:
    """P(i <-> j) by listing every matching of i, j, i's other candidates (right records) and j's
    other candidates (left records), each link weighing its Bayes factor against O."""
    edges = [("i", "j", bayes_factor), *((("i", f"k{n}", bf)) for n, bf in enumerate(rivals_left)),
             *((f"l{n}", "j", bf) for n, bf in enumerate(rivals_right))]
    total = with_pair = 0.0
    for size in range(len(edges) + 1):
        for chosen in itertools.combinations(edges, size):
            lefts, rights = [e[0] for e in chosen], [e[1] for e in chosen]
            if len(set(lefts)) < size or len(set(rights)) < size:
                continue  # not one-to-one
            weight = math.prod(bf / no_link for _, _, bf in chosen)
            total += weight
            with_pair += weight if ("i", "j", bayes_factor) in chosen else 0.0
    return with_pair / total


def test_link_posterior_matches_enumeration() -> None:
    draw = random.Random(5)
    for _ in range(200):
        no_link = 2.0 ** draw.uniform(0, 20)
        bayes_factor = 2.0 ** draw.uniform(-5, 30)
        rivals_left = [2.0 ** draw.uniform(-5, 25) for _ in range(draw.randrange(4))]
        rivals_right = [2.0 ** draw.uniform(-5, 25) for _ in range(draw.randrange(4))]
        expected = _enumerated(bayes_factor, rivals_left, rivals_right, no_link)
        assert link_posterior(bayes_factor, sum(rivals_left), sum(rivals_right), no_link) == pytest.approx(
            expected, rel=1e-9, abs=1e-12)


def test_a_rival_on_either_side_lowers_the_link() -> None:
    alone = link_posterior(2.0 ** 20, 0.0, 0.0, 2.0 ** 16)
    assert alone == pytest.approx(16 / 17)
    assert link_posterior(2.0 ** 20, 2.0 ** 19, 0.0, 2.0 ** 16) < alone
    assert link_posterior(2.0 ** 20, 0.0, 2.0 ** 19, 2.0 ** 16) < alone


def test_settled_links_sum_their_own_link_probabilities() -> None:
    draw = random.Random(9)
    factors = [2.0 ** draw.uniform(-2, 30) for _ in range(400)]
    left = [2.0 ** draw.uniform(-3, 12) if draw.random() < 0.2 else 0.0 for _ in factors]
    right = [2.0 ** draw.uniform(-3, 12) if draw.random() < 0.2 else 0.0 for _ in factors]
    rows = (1000, 450)
    for start in (50.0, 440.0):  # from below and from above
        links = settled_links(np.array(factors), np.array(left), np.array(right), rows, start)
        no_link = no_link_weight(links, *rows)
        plain = sum(link_posterior(f, a, b, no_link) for f, a, b in zip(factors, left, right, strict=True))
        assert links == pytest.approx(plain, abs=1.0)


def test_expected_links_and_floor() -> None:
    prior = 528_000 / (1_500_000 * 600_000)
    assert expected_links(prior, 1_500_000, 600_000) == pytest.approx(528_000)
    no_link = no_link_weight(528_000, 1_500_000, 600_000)
    # The floor is the weight of a candidate whose Bayes factor is RIVAL_SHARE of O.
    floor = floor_weight(prior, no_link) - prior_weight(prior)
    assert floor == pytest.approx(math.log2(no_link * RIVAL_SHARE))
    # More links expected than the smaller file holds: one record is still left free on each side.
    assert no_link_weight(700, 1000, 600) == pytest.approx(300 * 1 / 701)
