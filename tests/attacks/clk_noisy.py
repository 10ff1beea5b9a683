"""The record-level filter attack of `clk_attack`, for filters whose bits follow a bigram only
statistically: XOR-folded (a bigram's position is set unless the other half's bit was set too), or
diffused (each bit the XOR of several). A competent attacker adapts the exact attack:

1. Mining (`noisy_patterns`): the same refinement from every position, with "set in all records"
   made statistical: a pattern's positions are those set clearly more often among its records than
   among the others (by LIFT), and its records those setting at least MAJORITY of its positions.
2. Presence (`presence`): per pattern, a two-component mixture (records holding the bigram set each
   position with one rate, the others with another) fitted by EM gives each record's posterior of
   holding it, and the pattern's estimated count. Patterns whose mixture does not separate cleanly
   are dropped, and of two patterns with the same records one is kept.
3. Alignment (`align_noisy`): counts are now estimates, so several bigrams fit each; hypotheses for
   the three most frequent patterns are each propagated greedily by co-occurrence, and the
   hypothesis aligning the most patterns wins (a RANSAC-style search).
4. Matching and bootstrap (`clk_bootstrap`): each record is scored against each person of the list by
   the likelihood of its pattern posteriors given the person's bigrams; mutual best matches by a
   clear margin are taken as known pairs, from which every bigram's positions are learned and every
   record is scored again on all its bits (Kroll & Steinmetzer's known-plaintext step, here from the
   attack's own guesses). `clk_bootstrap.noisy_attack` runs the four steps.
"""

from __future__ import annotations

import numpy as np

from tests.attacks.clk_attack import ClearList

LIFT, MAJORITY = 0.3, 0.6
CLEAN = 0.95  # mean |2 posterior - 1| a pattern's mixture must reach
COUNT_SLACK, CO_SLACK = 0.12, 0.15
FIRST_MARGIN, MARGIN = 2.0, 5.0  # log-likelihood margins of a match taken as known, before and after


def noisy_patterns(bits: np.ndarray, hashes: int, min_records: int = 30, rounds: int = 3,
                   steps: int = 8) -> list[np.ndarray]:
    """Position sets of soft bigram patterns, every position seeding one refinement per round (all
    seeds in step, as matrix products)."""
    x = bits.astype(np.float32)
    n = len(x)
    total = x.sum(axis=0)
    explained = np.zeros_like(bits)
    found: dict[tuple[int, ...], None] = {}
    for _ in range(rounds):
        seeds = bits & ~explained
        live = np.flatnonzero(seeds.sum(axis=0) >= min_records)
        held = seeds[:, live].astype(np.float32)
        for step in range(steps):
            count = np.clip(held.sum(axis=0), 1, n - 1)[:, None]
            inside = held.T @ x
            lift = inside / count - (total - inside) / (n - count)
            if step == 0:
                chosen = lift >= np.sort(lift, axis=1)[:, -hashes][:, None]
            else:
                chosen = lift >= LIFT
            chosen_f = chosen.astype(np.float32)
            held = ((x @ chosen_f.T) >= MAJORITY * chosen_f.sum(axis=1)).astype(np.float32)
        for i, seed in enumerate(live):
            positions = tuple(np.flatnonzero(chosen[i]).tolist())
            records = held[:, i] > 0
            if not 0.6 * hashes <= len(positions) <= 4 * hashes or records.sum() < min_records:
                explained[:, seed] |= seeds[:, seed]
            elif positions not in found:
                found[positions] = None
                explained[:, list(positions)] |= records[:, None]
            else:
                explained[:, seed] |= records
    return [np.array(p) for p in found]


def presence(bits: np.ndarray, positions: np.ndarray, iterations: int = 15) -> np.ndarray:
    """Each record's posterior of holding the pattern's bigram (two-component mixture, EM)."""
    x = bits[:, positions].astype(np.float32)
    p = np.where(x.sum(axis=1) >= MAJORITY * len(positions), 0.95, 0.05).astype(np.float32)
    for _ in range(iterations):
        prior = float(np.clip(p.mean(), 1e-4, 1 - 1e-4))
        held = np.clip(p @ x / p.sum(), 1e-3, 1 - 1e-3)
        other = np.clip((1 - p) @ x / (1 - p).sum(), 1e-3, 1 - 1e-3)
        odds = (np.log(prior / (1 - prior)) + x @ np.log(held / other)
                + (1 - x) @ np.log((1 - held) / (1 - other)))
        p = (1 / (1 + np.exp(-np.clip(odds, -50, 50)))).astype(np.float32)
    return p


def clean_presence(bits: np.ndarray, patterns: list[np.ndarray]) -> np.ndarray:
    """(records, patterns) posteriors of the patterns that separate cleanly, one per set of records."""
    kept: list[np.ndarray] = []
    for positions in patterns:
        p = presence(bits, positions)
        if np.mean(np.abs(2 * p - 1)) < CLEAN:
            continue
        if all(float(p @ q) < 0.8 * min(p.sum(), q.sum()) for q in kept):
            kept.append(p)
    kept.sort(key=lambda p: -float(p.sum()))
    return np.stack(kept, axis=1) if kept else np.zeros((len(bits), 0), np.float32)


def _gap(a: np.ndarray | float, b: np.ndarray | float) -> np.ndarray:
    """Relative difference of two counts (30 records of slack for small ones)."""
    return np.asarray(np.abs(a - b) / (np.maximum(a, b) + 30))


def _propagate(seed: dict[int, int], co: np.ndarray, known: np.ndarray) -> tuple[dict[int, int], float]:
    """Align every pattern (most frequent first) with the item whose count and co-occurrences with
    those aligned fit best, when the next best fits clearly worse. Returns the alignment and its
    mean misfit."""
    counts, known_counts = np.diag(co), np.diag(known)
    assigned = dict(seed)
    free = np.ones(len(known), dtype=bool)
    free[list(seed.values())] = False
    misfits: list[float] = []
    for _ in range(3):
        for j in range(len(co)):
            if j in assigned:
                continue
            candidates = np.flatnonzero(free & (_gap(counts[j], known_counts) <= COUNT_SLACK))
            if not len(candidates):
                continue
            done, items = np.array(list(assigned)), np.array(list(assigned.values()))
            misfit = np.maximum(_gap(counts[j], known_counts[candidates]) / 2,
                                _gap(co[j, done][None, :], known[np.ix_(candidates, items)]).mean(axis=1))
            order = np.argsort(misfit)
            best = float(misfit[order[0]])
            runner_up = float(misfit[order[1]]) if len(order) > 1 else np.inf
            if best < 0.1 and runner_up > 1.3 * best:
                assigned[j] = int(candidates[order[0]])
                free[candidates[order[0]]] = False
                misfits.append(best)
    return assigned, float(np.mean(misfits)) if misfits else 1.0


def align_noisy(posteriors: np.ndarray, clear: ClearList) -> dict[int, int]:
    """Pattern (column) index -> item index: the best of the hypotheses for the three most frequent
    patterns whose counts and co-occurrences fit the clear list's."""
    if posteriors.shape[1] < 3:
        return {}
    co, known = posteriors.T @ posteriors, clear.co_counts()
    counts, known_counts = np.diag(co), np.diag(known)
    fits = [np.flatnonzero(_gap(counts[j], known_counts) <= COUNT_SLACK) for j in range(3)]
    best: tuple[int, float, dict[int, int]] = (0, 0.0, {})
    for a in fits[0]:
        for b in fits[1]:
            for c in fits[2]:
                seed = {0: int(a), 1: int(b), 2: int(c)}
                pairs = ((0, 1), (0, 2), (1, 2))
                if len(set(seed.values())) < 3 or any(
                        _gap(co[i, j], known[seed[i], seed[j]]) > CO_SLACK for i, j in pairs):
                    continue
                assigned, misfit = _propagate(seed, co, known)
                if (len(assigned), -misfit) > best[:2]:
                    best = (len(assigned), -misfit, assigned)
    return best[2]
