"""Putting the hub's own estimates of m and u into Splink's model: the one place that writes Splink's
private training lists (pinned by the `splink>=5,<6` range; the FEBRL4 test fails if it breaks).

Splink re-derives a level's m and u from its list of training estimates after every training step,
so an estimate made outside Splink replaces that list as well as the value, and stays in force."""

from __future__ import annotations

from collections import Counter
from typing import Literal

from splink.internals.comparison import Comparison
from splink.internals.comparison_level import ComparisonLevel

from accord.linkage.hub.query import scored_levels

Kind = Literal["m", "u"]


def fix_probability(level: ComparisonLevel, kind: Kind, probability: float, description: str) -> None:
    """Set the level's m or u to `probability`, recorded as estimated by `description`."""
    estimate = [{"probability": probability, "m_or_u": kind, "description": description}]
    if kind == "m":
        level._trained_m_probabilities = estimate
        level.m_probability = probability
    else:
        level._trained_u_probabilities = estimate
        level.u_probability = probability


def fix_from_counts(comparison: Comparison, counts: Counter[int], kind: Kind, description: str) -> None:
    """Set m or u of every non-null level from pair counts per comparison vector value, with add-one
    smoothing: a level never seen among these pairs is rare, not impossible."""
    levels = scored_levels(comparison)
    total = sum(counts[int(cl.comparison_vector_value)] for cl in levels) + len(levels)
    for cl in levels:
        fix_probability(cl, kind, (counts[int(cl.comparison_vector_value)] + 1) / total, description)
