"""Cryptanalysis of the Bloom-filter encodings, run the way an attacker at the hub would run it.

The hub receives each agency's Parquet file: record ids, Bloom filters and keyed tokens, never the
key. The attacker here is strong: it knows the encoding scheme (Kerckhoffs: bigrams, filter length,
hash count, what every salt and token is made of) and the population's name frequencies, and has the
whole file. It lacks only the key.

Attacks, each from the literature:

- Frequency alignment, after Kuzu, Kantarcioglu, Durham and Malin (2011), "A constraint satisfaction
  cryptanalysis of Bloom filters in private record linkage", PETS 2011: identical filters are
  counted, ranked by count and aligned with the names ranked by their known frequency.
- Salt-aware frequency attack: the same idea, scheme-aware. The attacker models every (value, salt
  class) pair as a Poisson count with mean N * P(value) * P(salt class) and labels a filter seen c
  times with the value of highest posterior probability, when that posterior is at least one half
  (a guess more likely right than wrong). With one salt class it is the Bayesian form of Kuzu's
  alignment; with the real scheme's classes (year of birth x the other name's Soundex code) it knows
  that each name is split over many salt classes.
- Pattern mining, after Christen, Schnell, Vatsalan and Ranbaduge (2017), "Efficient cryptanalysis
  of Bloom filters for privacy-preserving record linkage", PAKDD 2017 (and its refinement by
  Vidanage, Ranbaduge, Christen and Schnell (2019), "Efficient pattern mining based cryptanalysis
  for privacy-preserving record linkage", ICDE 2019): the bit positions of one q-gram are set together
  in every filter holding that q-gram, so the most frequent co-occurring bit sets are the most
  frequent q-grams. Each mined pattern is aligned with a known bigram by its frequency and by its
  co-occurrence with the patterns already aligned; a filter is then re-identified when all its bits
  are explained by identified bigrams and exactly one known value has exactly those bigrams.
- Salt-class recovery: a token links the records that share it, and so share every part it is
  made of. Chaining records through all tokens that contain the year of birth yields the
  year-of-birth classes, the address filter's salt classes; through those that contain the year
  and the surname code, the first and middle names' salt classes (`salt_classes`). Within a class
  the salt is constant: the frequency attack then knows the class size instead of guessing the
  class (`grouped_frequency_attack`), and the pattern mining runs class by class.
- Attribute inference on the address (`component_attack`): the same pattern mining, aligned with an
  attacker's model of address texts simulated from public street, city and ZIP frequencies, labels
  each filter with the city whose bigrams it holds.

A re-identification is a filter the attack labels with its true value. `score` counts distinct
filters, distinct values and the records they cover. The attacks only use what the hub holds (the
filters and tokens of `EncodedRecord`, what the Parquet file carries) and the attacker's knowledge.
"""

from __future__ import annotations

import math
import operator
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from accord.linkage.encode.bloom import bigrams

# Tokens by the parts they are made of (record.py). Records sharing any of the first share the year
# of birth, the address salt; the second, year and surname code, the first and middle names' salt;
# the third, year and first-name code, the surname's salt.
YEAR_TOKENS = ("tok_dob", "tok_dob_swapped", "tok_ym_last", "tok_yd_last", "tok_swapped_last",
               "tok_dob_first", "tok_names_yob")
YEAR_SURNAME_CODE_TOKENS = ("tok_ym_last", "tok_yd_last", "tok_swapped_last")
YEAR_FIRST_CODE_TOKENS = ("tok_dob_first",)


@dataclass(frozen=True, slots=True)
class Score:
    """How much an attack re-identified."""

    labelled: int  # distinct filters the attack labelled, right or wrong
    filters: int  # distinct filters labelled with their true value
    values: int  # distinct true values among those
    records: int  # records whose filter was labelled with its true value
    fraction: float  # records / records that have a filter

    @property
    def any(self) -> bool:
        return self.filters > 0


def score(labels: Mapping[bytes, str], filters: Sequence[bytes | None], truth: Sequence[str | None]) -> Score:
    """Score `labels` (filter -> claimed value) against the true value behind each record's filter."""
    true_value: dict[bytes, str] = {}
    per_filter: Counter[bytes] = Counter()
    for f, value in zip(filters, truth, strict=True):
        if f is not None and value is not None:
            true_value[f] = value
            per_filter[f] += 1
    correct = [f for f, claimed in labels.items() if true_value.get(f) == claimed]
    records = sum(per_filter[f] for f in correct)
    total = sum(per_filter.values())
    return Score(len(labels), len(correct), len({true_value[f] for f in correct}), records,
                 records / total if total else 0.0)


# ---- attacker knowledge ----------------------------------------------------------------------------


def normalised_frequencies(weighted: Iterable[tuple[str, float]]) -> dict[str, float]:
    """Probabilities of values from (value, weight) pairs; equal values' weights add up."""
    totals: defaultdict[str, float] = defaultdict(float)
    for value, weight in weighted:
        totals[value] += weight
    whole = sum(totals.values())
    return {value: weight / whole for value, weight in totals.items()}


_SOUNDEX = {**dict.fromkeys("bfpv", "1"), **dict.fromkeys("cgjkqsxz", "2"), **dict.fromkeys("dt", "3"),
            "l": "4", **dict.fromkeys("mn", "5"), "r": "6"}


def soundex(word: str) -> str:
    """American Soundex, the public algorithm behind the salts' name codes ('robert' -> 'r163')."""
    letters = [c for c in word if "a" <= c <= "z"]
    if not letters:
        return ""
    code, last = letters[0], _SOUNDEX.get(letters[0], "")
    for c in letters[1:]:
        digit = _SOUNDEX.get(c, "")
        if digit and digit != last:
            code += digit
        if c not in "hw":
            last = digit
    return (code + "000")[:4]


def name_salt_classes(other_name: Mapping[str, float], years: int) -> list[float]:
    """Probabilities of a name filter's salt classes: year of birth x Soundex code of the other name's
    first word, years equally likely and independent of names."""
    codes = normalised_frequencies((soundex(v.split()[0]), p) for v, p in other_name.items())
    return [p / years for p in codes.values() for _ in range(years)]


def bit_matrix(filters: Sequence[bytes]) -> np.ndarray:
    """Filters as a boolean matrix, one row per filter, one column per bit position."""
    raw = np.frombuffer(b"".join(filters), dtype=np.uint8).reshape(len(filters), -1)
    return np.unpackbits(raw, axis=1, bitorder="little").astype(bool)


# ---- frequency attacks -----------------------------------------------------------------------------


def frequency_alignment_attack(filters: Iterable[bytes | None], known: Mapping[str, float],
                               min_count: int = 2) -> dict[bytes, str]:
    """Kuzu et al. (2011): the i-th most frequent filter is the i-th most frequent value.

    Only filters seen at least `min_count` times carry frequency information, and only a filter
    whose count no other filter shares has a rank; tied filters are left unlabelled.
    """
    counts = Counter(f for f in filters if f is not None)
    ranked = sorted(counts.items(), key=lambda fc: -fc[1])
    values = sorted(known, key=lambda v: -known[v])
    ties = Counter(counts.values())
    labels: dict[bytes, str] = {}
    for (f, c), value in zip(ranked, values, strict=False):
        if c < min_count:
            break
        if ties[c] == 1:
            labels[f] = value
    return labels


def salt_aware_frequency_attack(filters: Iterable[bytes | None], known: Mapping[str, float],
                                salt_classes: Sequence[float], threshold: float = 0.5,
                                min_count: int = 2) -> dict[bytes, str]:
    """Label each filter seen c >= min_count times with its most probable value, if that is >= threshold.

    Every (value, salt class) pair is a possible filter whose count is Poisson with mean
    N * P(value) * P(class); the posterior of value v given count c sums the Poisson likelihood
    over v's classes. `salt_classes` holds the classes' probabilities ([1.0]: an unsalted scheme).
    """
    counts = Counter(f for f in filters if f is not None)
    total = sum(counts.values())
    values = list(known)
    p = np.array([known[v] for v in values], dtype=float)
    s = np.asarray(salt_classes, dtype=float)
    lam = total * np.outer(p / p.sum(), s / s.sum())
    log_lam = np.log(lam)
    by_count: defaultdict[int, list[bytes]] = defaultdict(list)
    for f, c in counts.items():
        by_count[c].append(f)
    labels: dict[bytes, str] = {}
    for c, group in by_count.items():
        if c < min_count:
            continue
        log_like = c * log_lam - lam  # the log c! term is the same for every pair
        per_value = np.exp(log_like - log_like.max()).sum(axis=1)
        posterior = per_value / per_value.sum()
        best = int(posterior.argmax())
        if posterior[best] >= threshold:
            labels.update(dict.fromkeys(group, values[best]))
    return labels


def grouped_frequency_attack(filters: Sequence[bytes | None], known: Mapping[str, float],
                             groups: Iterable[Sequence[int]], threshold: float = 0.5,
                             min_count: int = 2) -> dict[bytes, str]:
    """The salt-aware frequency attack within each group of records known to share a salt.

    Within a group of m records sharing a salt, value v's filter is seen Poisson(m * P(v)) times:
    the group's size takes the place of the unknown salt class's probability.
    """
    labels: dict[bytes, str] = {}
    for group in groups:
        present = [filters[i] for i in group if filters[i] is not None]
        if len(present) >= min_count:
            labels.update(salt_aware_frequency_attack(present, known, [1.0], threshold, min_count))
    return labels


# ---- pattern mining ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Pattern:
    """Bit positions that are set together, the distinct filters holding all of them, and its support."""

    positions: np.ndarray
    rows: np.ndarray  # boolean, one entry per distinct filter of the mined matrix
    support: float  # share of records (not of distinct filters) holding the pattern


def mine_patterns(bits: np.ndarray, weights: np.ndarray, min_support: float = 0.01, min_records: int = 10,
                  min_size: int = 15, depth: int = 8, grow: float = 0.95, max_patterns: int = 300,
                  max_failures: int = 40) -> list[Pattern]:
    """Frequent co-occurring bit sets, most frequent first (Christen et al. 2017).

    `bits` holds distinct filters, `weights` how many records hold each. A candidate itemset starts
    at the most frequent still-unexplained position and greedily adds the position set in most of
    the records holding all positions so far; after `depth` steps its records are those of one
    q-gram, the most frequent one left. The pattern then grows to every position set in at least
    `grow` of those records, and its records shrink to those holding the whole pattern, until both
    are stable: a q-gram together with the q-grams that always accompany it. A pattern rarer than
    `min_support` (and `min_records`), or with fewer than `min_size` positions (one q-gram sets k),
    is a chance co-occurrence: its first position is dropped, and after `max_failures` such failures
    in a row the mining stops.
    """
    width = bits.shape[1]
    w = weights.astype(np.float32)
    total = float(w.sum())
    dense = bits.astype(np.float32)
    floor = max(min_records, min_support * total)
    active = np.ones(width, dtype=bool)
    patterns: list[Pattern] = []
    failures = 0
    totals = w @ dense
    co = dense.T @ (dense * w[:, None])  # records holding both positions
    while len(patterns) < max_patterns and failures < max_failures and active.any():
        rows = np.ones(len(bits), dtype=bool)
        free = active.copy()
        chosen: list[int] = []
        for step in range(depth):
            if step == 0:
                counts = totals
            elif step == 1:
                counts = co[chosen[0]]
            else:
                held = np.flatnonzero(rows)
                counts = w[held] @ dense[held]
            counts = np.where(free, counts, -1.0)
            column = int(counts.argmax())
            if counts[column] < floor:
                break
            chosen.append(column)
            free[column] = False
            rows &= bits[:, column]
        if not chosen:
            break
        positions = np.zeros(width, dtype=bool)
        if len(chosen) == depth:
            for _ in range(6):
                held = np.flatnonzero(rows)
                positions = w[held] @ dense[held] >= grow * float(w[held].sum())
                new_rows = bits[:, positions].all(axis=1)
                if np.array_equal(new_rows, rows):
                    break
                rows = new_rows
        held = float(w @ rows)
        if positions.sum() < min_size or held < floor:
            active[chosen[0]] = False
            failures += 1
            continue
        failures = 0
        patterns.append(Pattern(np.flatnonzero(positions), rows, held / total))
        active &= ~positions
    return patterns


@dataclass(frozen=True, slots=True)
class Knowledge:
    """What the attacker expects to mine: each bigram with the bigrams that (nearly) always accompany it.

    A mined pattern is a q-gram plus every q-gram present in at least `grow` of its records, so the
    attacker's items are, for each known bigram g, the set of bigrams h with P(h | g) >= grow;
    `frequency` is the share of records holding the whole set, `joint` the pairwise shares.
    """

    values: tuple[str, ...]
    items: tuple[frozenset[str], ...]
    frequency: np.ndarray
    joint: np.ndarray

    @classmethod
    def of(cls, known: Mapping[str, float], grow: float = 0.95) -> Knowledge:
        values = tuple(known)
        weight = np.array([known[v] for v in values], dtype=float)
        weight /= weight.sum()
        grams = sorted(set().union(*(bigrams(v) for v in values)))
        column = {g: i for i, g in enumerate(grams)}
        incidence = np.zeros((len(values), len(grams)))
        for r, v in enumerate(values):
            incidence[r, [column[g] for g in bigrams(v)]] = 1.0
        pair = incidence.T @ (incidence * weight[:, None])
        implied = pair >= grow * np.diag(pair)[:, None] - 1e-12
        items = tuple(dict.fromkeys(frozenset(grams[j] for j in np.flatnonzero(row)) for row in implied))
        holds = np.stack([incidence[:, [column[g] for g in item]].all(axis=1) for item in items], axis=1)
        holds_w = holds.astype(float)
        return cls(values, items, weight @ holds_w, holds_w.T @ (holds_w * weight[:, None]))


def align_patterns(patterns: Sequence[Pattern], weights: np.ndarray, knowledge: Knowledge, bits: int = 1024,
                   hashes: int = 20, z_max: float = 3.0) -> dict[int, frozenset[str]]:
    """Pattern index -> the bigram set it encodes, greedily from the most frequent pattern.

    A candidate item must match the pattern's size (b bigrams set about
    bits * (1 - exp(-b * hashes / bits)) positions). Its misfit is the largest z-score, over the
    records mined, between its known frequency and the pattern's support, and between its known
    joint frequency with each item already assigned and the pattern's co-support with that item's
    pattern. The pattern takes the item when it is the only candidate within `z_max`; when several
    fit, the pattern stays unassigned rather than guessed.
    """
    if not patterns:
        return {}
    total = float(weights.sum())
    rows = np.stack([p.rows for p in patterns], axis=1).astype(float)
    co_support = rows.T @ (rows * weights[:, None]) / total
    support = np.array([p.support for p in patterns])
    sizes = np.array([len(item) for item in knowledge.items], dtype=float)

    def z(expected: np.ndarray, observed: np.ndarray | float) -> np.ndarray:
        error = np.sqrt(np.maximum(expected * (1.0 - expected), 1.0 / total) / total)
        return np.asarray(np.abs(expected - observed) / error)

    assigned: dict[int, int] = {}
    free = np.ones(len(knowledge.items), dtype=bool)
    pending = [int(i) for i in np.argsort(-support, kind="stable")]
    progress = True
    while progress:  # a pattern ambiguous in one pass may be settled by the items assigned after it
        progress = False
        for i in pending:
            if i in assigned:
                continue
            estimated = -(bits / hashes) * math.log(1.0 - len(patterns[i].positions) / bits)
            fits = free & (np.abs(sizes - estimated) <= np.maximum(0.75, 0.25 * sizes))
            misfit = z(knowledge.frequency, support[i])
            if assigned:
                done, item_of = np.array(list(assigned)), np.array(list(assigned.values()))
                misfit = np.maximum(misfit, z(knowledge.joint[:, item_of], co_support[i, done]).max(axis=1))
            candidates = np.flatnonzero(fits & (misfit <= z_max))
            if len(candidates) == 1:
                assigned[i] = int(candidates[0])
                free[candidates[0]] = False
                progress = True
    return {i: knowledge.items[item] for i, item in assigned.items()}


def decode(bits: np.ndarray, patterns: Sequence[Pattern], assignment: Mapping[int, frozenset[str]],
           values: Iterable[str]) -> dict[int, str]:
    """Row index -> value, for rows whose every bit is explained by identified bigrams (Christen et al.).

    A row's bigrams are those of the identified patterns it holds; it is labelled with the known
    value having exactly that bigram set, when there is one and only one.
    """
    if not assignment:
        return {}
    identified = set().union(*assignment.values())
    by_grams: defaultdict[frozenset[str], list[str]] = defaultdict(list)
    for value in values:
        grams = frozenset(bigrams(value))
        if grams <= identified:
            by_grams[grams].append(value)
    order = list(assignment)
    present = np.stack([patterns[i].rows for i in order], axis=1)
    masks = np.zeros((len(order), bits.shape[1]), dtype=np.float32)
    for j, i in enumerate(order):
        masks[j, patterns[i].positions] = 1.0
    explained = present.astype(np.float32) @ masks > 0
    complete = ~(bits & ~explained).any(axis=1)
    labels: dict[int, str] = {}
    for r in np.flatnonzero(complete):
        grams = frozenset().union(*(assignment[order[j]] for j in np.flatnonzero(present[r])))
        candidates = by_grams.get(grams, [])
        if len(candidates) == 1:
            labels[int(r)] = candidates[0]
    return labels


Mined = tuple[list[bytes], np.ndarray, list[Pattern], dict[int, frozenset[str]]]


def _mine_groups(filters: Sequence[bytes | None], knowledge: Knowledge,
                 groups: Iterable[Sequence[int]] | None, min_group: int, hashes: int,
                 mining: Mapping[str, float]) -> Iterator[Mined]:
    for group in groups if groups is not None else [range(len(filters))]:
        counts = Counter(filters[i] for i in group if filters[i] is not None)
        if sum(counts.values()) < min_group:
            continue
        unique = list(counts)
        bits = bit_matrix(unique)
        weights = np.array([counts[f] for f in unique], dtype=float)
        patterns = mine_patterns(bits, weights, **mining)
        yield unique, bits, patterns, align_patterns(patterns, weights, knowledge, bits.shape[1], hashes)


def pattern_mining_attack(filters: Sequence[bytes | None], known: Mapping[str, float],
                          groups: Iterable[Sequence[int]] | None = None, min_group: int = 200,
                          hashes: int = 20, **mining: float) -> dict[bytes, str]:
    """Mine, align and decode, over the whole file or separately within each group of record indexes.

    Groups are meant to be records sharing a salt (`salt_classes`); a group with fewer than
    `min_group` filters is too small to mine.
    """
    knowledge = Knowledge.of(known)
    labels: dict[bytes, str] = {}
    mined = _mine_groups(filters, knowledge, groups, min_group, hashes, mining)
    for unique, bits, patterns, assignment in mined:
        for r, value in decode(bits, patterns, assignment, knowledge.values).items():
            labels[unique[r]] = value
    return labels


def component_attack(filters: Sequence[bytes | None], known: Mapping[str, float],
                     components: Mapping[str, str], groups: Iterable[Sequence[int]] | None = None,
                     min_group: int = 200, hashes: int = 20,
                     **mining: float) -> dict[bytes, str]:
    """Attribute inference on a composite text (an address): which component value does a filter hold?

    Mining and alignment as in `pattern_mining_attack`, with `known` the attacker's model of the
    whole texts (say, addresses simulated from public street, city and ZIP frequencies).
    `components` maps each value to the text it puts in the filter (' alder falls ' for a city);
    a filter is labelled with a value when that value's bigrams are all among the identified
    bigrams it holds, and no other value's are.
    """
    knowledge = Knowledge.of(known)
    grams = {value: frozenset(map(operator.add, text[:-1], text[1:])) for value, text in components.items()}
    labels: dict[bytes, str] = {}
    mined = _mine_groups(filters, knowledge, groups, min_group, hashes, mining)
    for unique, _, patterns, assignment in mined:
        if not assignment:
            continue
        order = list(assignment)
        present = np.stack([patterns[i].rows for i in order], axis=1)
        for r in range(len(unique)):
            held = frozenset().union(*(assignment[order[j]] for j in np.flatnonzero(present[r])))
            candidates = [value for value, needed in grams.items() if needed <= held]
            if len(candidates) == 1:
                labels[unique[r]] = candidates[0]
    return labels


# ---- salt classes from the tokens --------------------------------------------------------------------


def salt_classes(tokens: Sequence[Mapping[str, int | None]], columns: Sequence[str]) -> list[list[int]]:
    """Record indexes grouped by the union of shared token values, largest group first.

    Records sharing a token share every part the token is made of; chaining them through several
    tokens built on the same parts (say year and surname code, with the month in one and the day
    in another) gathers whole classes of records that share those parts, hence a salt.
    """
    parent = list(range(len(tokens)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for column in columns:
        first_seen: dict[int, int] = {}
        for i, row in enumerate(tokens):
            value = row.get(column)
            if value is None:
                continue
            j = first_seen.setdefault(value, i)
            if j != i:
                ri, rj = find(i), find(j)
                if ri != rj:
                    parent[ri] = rj
    groups: defaultdict[int, list[int]] = defaultdict(list)
    for i in range(len(tokens)):
        groups[find(i)].append(i)
    return sorted(groups.values(), key=len, reverse=True)
