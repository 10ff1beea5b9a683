"""u of the Dice levels of salted filters, from the agency nodes' chance-agreement histograms.

Each node counts, on a random sample of its own roster encoded under one common salt, the pairs
per hundredth of Dice (linkage/encode/chance.py). Random pairs of a roster are different people,
and how alike two names are does not depend on the salt, so the share of the sample's pairs at or
above a level's threshold (and below the next stronger level's) is that level's u. This is what
deduplication needs: the hub's own within-salt pairs are there mostly the duplicates sought
(ties.py). The levels that are not Dice levels (names swapped, another street in the same ZIP) keep
the u estimated before; the "different" level takes the rest.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from splink import Linker

from accord.linkage.hub.estimates import fix_probability
from accord.linkage.hub.model import dice_threshold
from accord.linkage.hub.query import scored_levels

# Comparison -> the field whose histogram prices it: the household's first-name filters hold the
# first name under another salt. Not the street: twins share it and a birth date, so among pairs of
# one date streets agree far more often than among random pairs (deduplicating 1,500 synthetic
# students with the street priced this way linked 8 pairs of twins). The surname is shared by twins
# too, but it is compared only within one date and one first-name code, which twins rarely share.
PRICED_BY = {"first_name": "first_name", "middle_name": "middle_name", "last_name": "last_name",
             "first_name_home": "first_name"}


def pooled(histograms: Sequence[Mapping[str, list[int]]]) -> dict[str, list[int]]:
    """The files' histograms summed field by field, for fields every file measured."""
    if not histograms:
        return {}
    fields = set.intersection(*(set(h) for h in histograms))
    return {f: [sum(column) for column in zip(*(h[f] for h in histograms), strict=True)] for f in fields}


def _share_from(histogram: list[int], threshold: float) -> float:
    """Share of the pairs with Dice >= threshold (buckets are floor(100 Dice))."""
    return sum(histogram[round(threshold * 100):]) / sum(histogram)


def price_dice_levels(linker: Linker, histograms: Mapping[str, list[int]]) -> list[str]:
    """Set u of the Dice levels of every comparison with a histogram; returns the comparisons priced."""
    priced: list[str] = []
    for comparison in linker._settings_obj.comparisons:
        histogram = histograms.get(PRICED_BY.get(comparison.output_column_name, ""))
        if not histogram or sum(histogram) < 1:
            continue
        floor = 0.5 / sum(histogram)  # a level no sampled pair reached is rare, not impossible
        levels = scored_levels(comparison)
        above = 0.0  # share of pairs already priced by stronger Dice levels
        for level in levels[:-1]:
            threshold = dice_threshold(level.label_for_charts)
            if threshold is None:
                continue
            share = _share_from(histogram, threshold)
            fix_probability(level, "u", max(share - above, floor), "chance agreement measured by the nodes")
            above = share
        rest = 1.0 - sum(float(level.u_probability or 0.0) for level in levels[:-1])
        fix_probability(levels[-1], "u", max(rest, floor), "chance agreement measured by the nodes")
        priced.append(comparison.output_column_name)
    return priced
