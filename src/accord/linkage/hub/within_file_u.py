"""u-probabilities from random pairs inside each file, for linking two or more files.

Splink's random sampling for a link job draws pairs across the files, and in a small, dense job
many of them are true matches: in FEBRL4 one random pair in 5,000 is the same person, which makes
an exact identifier look 5,000 times commoner among non-matches than it is. Records within one
agency's roster are different people (bar a few duplicates), so sampling inside each file gives
u-probabilities of non-matches proper. The estimates of all files are averaged; a level that no
sampled pair reached gets one over the sample size.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Collection
from statistics import fmean
from typing import Any

from splink import Linker
from splink.internals.database_api import DatabaseAPISubClass
from splink.internals.splink_dataframe import SplinkDataFrame

from accord.linkage.hub.estimates import fix_probability
from accord.linkage.hub.query import saved_levels, scored_levels


def _trained_u(linker: Linker) -> dict[tuple[str, int], float]:
    """Each level's sampled u, by comparison and position among its scored levels; 0.0 for a level
    the sample never saw (the saved model then has no u for it)."""
    return {(name, i): float(level.get("u_probability", 0.0))
            for name, levels in saved_levels(linker).items() for i, level in enumerate(levels)}


def estimate_u_within_files(linker: Linker, db_api: DatabaseAPISubClass, inputs: list[SplinkDataFrame],
                            model: dict[str, Any], max_pairs: float, seed: int,
                            skip: Collection[str] = ()) -> None:
    """Replace `linker`'s u-probabilities with estimates from pairs inside each input file.

    Comparisons named in `skip` are left out of the sample: their u is estimated elsewhere
    (salted_u.py), and evaluating their Dice SQL on every sampled pair would cost two thirds of
    the sampling time for nothing."""
    sampled = {**model, "link_type": "dedupe_only",
               "comparisons": [c for c in model["comparisons"] if c["output_column_name"] not in skip]}
    estimates: dict[tuple[str, int], list[float]] = defaultdict(list)
    for number, frame in enumerate(inputs):
        solo_input = db_api.register(frame.physical_name, dataset_display_name=f"within_file_{number}")
        # `sampled` is a part of the model the run's own linker has checked already.
        solo = Linker(solo_input, sampled, log_level=logging.getLogger("splink").getEffectiveLevel(),
                      validate_settings=False)
        solo.training.estimate_u_using_random_sampling(max_pairs=max_pairs / len(inputs), seed=seed)
        for key, u in _trained_u(solo).items():
            estimates[key].append(u)
    for comparison in linker._settings_obj.comparisons:
        for i, level in enumerate(scored_levels(comparison)):
            values = estimates.get((comparison.output_column_name, i))
            if values:
                # A level no sampled pair reached is rarer than one in the sample, not impossible.
                u = fmean(values) or 1.0 / max_pairs
                fix_probability(level, "u", u, "random pairs within each file")
