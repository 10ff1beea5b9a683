"""Matching every record of a noisy CLK to a person of the clear list, and the bootstrap that learns
each bigram's bits from the matches already made (step 4 of `clk_noisy`); `noisy_attack` runs the
whole noisy attack, `known_pairs_attack` the bootstrap alone from pairs handed to the attacker.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from tests.attacks.clk_attack import ClearList
from tests.attacks.clk_noisy import FIRST_MARGIN, LIFT, MARGIN, align_noisy, clean_presence, noisy_patterns

Scores = Callable[[int, int], np.ndarray]  # records [start, stop) -> their scores against every person


def mutual_matches(score: Scores, records: int, margin: float, chunk: int = 2000) -> dict[int, int]:
    """Record -> person, where the person is the record's best by at least `margin` and the record is
    the person's best."""
    best, gap = np.zeros(records, np.intp), np.zeros(records)
    top_score, top_record = None, np.zeros(0, np.intp)
    for start in range(0, records, chunk):
        scores = score(start, start + chunk)
        rows = slice(start, start + len(scores))
        two = np.argpartition(-scores, 1, axis=1)[:, :2]
        values = np.take_along_axis(scores, two, axis=1)
        best[rows] = two[np.arange(len(two)), values.argmax(axis=1)]
        gap[rows] = np.abs(values[:, 0] - values[:, 1])
        column_max, column_arg = scores.max(axis=0), scores.argmax(axis=0) + start
        if top_score is None:
            top_score, top_record = column_max, column_arg
        else:
            better = column_max > top_score
            top_score = np.where(better, column_max, top_score)
            top_record = np.where(better, column_arg, top_record)
    mutual = top_record[best] == np.arange(records)
    return {int(r): int(best[r]) for r in np.flatnonzero((gap >= margin) & mutual)}


def _pattern_scores(posteriors: np.ndarray, holds: np.ndarray) -> Scores:
    """log P(a record's pattern posteriors | the person's items), for each record and person."""
    p = np.clip(posteriors, 0.02, 0.98)
    logit, rest = np.log(p / (1 - p)), np.log(1 - p).sum(axis=1)
    return lambda start, stop: logit[start:stop] @ holds.T + rest[start:stop, None]


Rates = tuple[np.ndarray, np.ndarray, np.ndarray]


def _rates(x: np.ndarray, holds: np.ndarray, known: dict[int, int]) -> Rates:
    """From known pairs: per (item, bit), the bit's rate among records whose person holds the item
    and among the others (add-one smoothed), and how many known persons hold each item."""
    records, people = np.array(list(known)), np.array(list(known.values()))
    learned_x, learned_h = x[records], holds[people]
    with_item = learned_h.sum(axis=0)
    rate_with = (learned_h.T @ learned_x + 1) / (with_item[:, None] + 2)
    rate_without = ((1 - learned_h).T @ learned_x + 1) / ((len(records) - with_item)[:, None] + 2)
    return rate_with, rate_without, with_item


def _bit_scores(x: np.ndarray, holds: np.ndarray, known: dict[int, int]) -> Scores:
    """log P(a record's bits | the person's items), each item's positions learned from the known
    pairs, each bit's rate by how many of the person's items set it (0, 1, 2, 3 or more)."""
    rate_with, rate_without, with_item = _rates(x, holds, known)
    positions = ((rate_with - rate_without) > LIFT) & (with_item >= 5)[:, None]
    setting = np.minimum(holds @ positions.astype(np.float32), 3).astype(np.intp)
    records, people = np.array(list(known)), np.array(list(known.values()))
    learned_x, learned_setting = x[records], setting[people]
    rate = np.array([learned_x[learned_setting == z].mean() if (learned_setting == z).any() else 0.5
                     for z in range(4)])
    p = np.clip(rate, 0.01, 0.99)[setting].astype(np.float32)
    logit, rest = np.log(p / (1 - p)), np.log(1 - p).sum(axis=1)
    return lambda start, stop: x[start:stop] @ logit.T + rest[None, :]


def noisy_attack(bits: np.ndarray, clear: ClearList, hashes: int, rounds: int = 2,
                 stages: dict[str, int] | None = None) -> dict[int, int]:
    """Record index -> the person of the clear list it is taken for; `stages` gets how many patterns
    each step kept (mined, clean, aligned, first matches)."""
    stages = {} if stages is None else stages
    patterns = noisy_patterns(bits, hashes)
    posteriors = clean_presence(bits, patterns)
    assignment = align_noisy(posteriors, clear)
    stages.update(mined=len(patterns), clean=posteriors.shape[1], aligned=len(assignment))
    if not assignment:
        return {}
    order = list(assignment)
    holds = clear.holds.astype(np.float32)
    known = mutual_matches(_pattern_scores(posteriors[:, order], holds[:, [assignment[j] for j in order]]),
                           len(bits), FIRST_MARGIN)
    stages["first matches"] = len(known)
    x = bits.astype(np.float32)
    for _ in range(rounds):
        if len(known) < 50:  # too few pairs to learn any bigram's positions from
            break
        known = mutual_matches(_bit_scores(x, holds, known), len(bits), MARGIN)
    return known


def known_pairs_attack(bits: np.ndarray, clear: ClearList, known: dict[int, int]) -> dict[int, int]:
    """Given pairs known some other way (a leak of known plaintext), learn each item's effect on
    each bit (naive Bayes, however weak the effect) and match every record."""
    x, holds = bits.astype(np.float32), clear.holds.astype(np.float32)
    rate_with, rate_without, _ = _rates(x, holds, known)
    on = holds @ np.log(rate_with / rate_without)
    off = holds @ np.log((1 - rate_with) / (1 - rate_without))
    return mutual_matches(lambda start, stop: x[start:stop] @ (on - off).T + off.sum(axis=1)[None, :],
                          len(bits), MARGIN)
