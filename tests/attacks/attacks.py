"""Cryptanalysis of the Bloom-filter encodings and keyed tokens, run the way an attacker at the hub would.

The hub receives each agency's Parquet file: record ids, Bloom filters and keyed tokens, never the
key. The attacker here is strong: it knows the encoding scheme (Kerckhoffs: bigrams, filter length,
hash count, what every salt and token is made of), the population's name, street and ZIP frequencies
and its birth-date range, and has the whole file. It lacks only the key.

Attacks, each from the literature:

- Frequency alignment, after Kuzu, Kantarcioglu, Durham and Malin (2011), "A constraint satisfaction
  cryptanalysis of Bloom filters in private record linkage", PETS 2011: identical filters are
  counted, ranked by count and aligned with the values ranked by their known frequency.
- Salt-aware frequency attack: the same idea, scheme-aware. The attacker models every (value, salt
  class) pair as a Poisson count with mean N * P(value) * P(salt class) and labels a filter seen c
  times with the value of highest posterior probability, when that posterior is at least one half
  (a guess more likely right than wrong). With one salt class it is the Bayesian form of Kuzu's
  alignment; with the real scheme's classes (one per birth date) it knows that each name is split
  over many salt classes.
- Pattern mining, after Christen, Schnell, Vatsalan and Ranbaduge (2017), "Efficient cryptanalysis
  of Bloom filters for privacy-preserving record linkage", PAKDD 2017 (and its refinement by
  Vidanage, Ranbaduge, Christen and Schnell (2019), "Efficient pattern mining based cryptanalysis
  for privacy-preserving record linkage", ICDE 2019): the bit positions of one q-gram are set together
  in every filter holding that q-gram, so the most frequent co-occurring bit sets are the most
  frequent q-grams. Each mined pattern is aligned with a known bigram by its frequency and by its
  co-occurrence with the patterns already aligned; a filter is then re-identified when all its bits
  are explained by identified bigrams and exactly one known value has exactly those bigrams.
- Salt-class recovery: a token links the records that share it, and so share every part it is
  made of. Records sharing `tok_dob_pair` share the full birth date, exactly the salt of the name
  and street filters; chaining records through every token that holds the year of birth yields
  the year classes (`salt_classes`). Within an exact class the frequency attack knows the class
  size instead of guessing the class (`grouped_frequency_attack`); the pattern mining runs class
  by class.
- Attribute inference on a composite text (`component_attack`): the same pattern mining, aligned
  with an attacker's model of street addresses simulated from public street-name, street-type and
  house-number frequencies, labels each filter with the street name whose bigrams it holds.
- Token frequency attacks: a token is a keyed function of a combination of parts (date parts, name
  codes, ZIP), each with a distribution the attacker can compute from public tables. Kuzu's rank
  alignment maps the i-th most frequent token to the i-th most probable combination
  (`token_alignment_attack`); the Bayesian form (`token_frequency_attack`) labels a token with a
  combination, or with the name-code part of one, when its posterior given the token's count is at
  least one half. `record_code_attack` weighs all of a record's tokens sharing one name part (the
  surname code, with different parts of the birth date) together.

A re-identification is a filter (or token) the attack labels with its true value (or combination).
`score` counts distinct filters, distinct values and the records they cover. The attacks only use
what the hub holds (the filters and tokens of an `EncodedBatch`, what the Parquet file carries) and
the attacker's knowledge.
"""

from __future__ import annotations

import heapq
import math
import operator
from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from accord.linkage.encode.bloom import bigrams

# Tokens by the parts they are made of (record.py). Records sharing one of SALT_TOKENS share the full
# date of birth, the salt of the name and street filters; records sharing any of YEAR_TOKENS share
# the year of birth; records sharing HOUSEHOLD_TOKENS share street and ZIP, the salt of first_name_home.
SALT_TOKENS = ("tok_dob_pair",)
YEAR_TOKENS = ("tok_dob", "tok_dob_pair", "tok_dob_swapped", "tok_swapped_names", "tok_dob_first",
               "tok_dob_postcode", "tok_home_ym", "tok_home_yd")
HOUSEHOLD_TOKENS = ("tok_street_postcode",)

Tokens = Mapping[str, Sequence[int | None]]  # token column -> each record's value (None: absent)


@dataclass(frozen=True, slots=True)
class Score:
    """How much an attack re-identified."""

    labelled: int  # distinct filters (or tokens) the attack labelled, right or wrong
    filters: int  # distinct filters labelled with their true value
    values: int  # distinct true values among those
    records: int  # records whose filter was labelled with its true value
    fraction: float  # records / records that have a filter

    @property
    def any(self) -> bool:
        return self.filters > 0


def score(labels: Mapping[Hashable, Hashable], filters: Sequence[Hashable | None],
          truth: Sequence[Hashable | None]) -> Score:
    """Score `labels` (filter or token -> claimed value) against the true value behind each record's."""
    true_value: dict[Hashable, Hashable] = {}
    per_filter: Counter[Hashable] = Counter()
    for f, value in zip(filters, truth, strict=True):
        if f is not None and value is not None:
            true_value[f] = value
            per_filter[f] += 1
    correct = [f for f, claimed in labels.items() if true_value.get(f) == claimed]
    records = sum(per_filter[f] for f in correct)
    total = sum(per_filter.values())
    return Score(len(labels), len(correct), len({true_value[f] for f in correct}), records,
                 records / total if total else 0.0)


def beyond_chance(labels: Mapping[Hashable, Hashable], keys: Sequence[Hashable | None],
                  truth: Sequence[Hashable | None], prior: Mapping[Hashable, float]
                  ) -> tuple[int, float, float]:
    """(labels that are right, how many guessing alone would get right, the chance of doing at least
    as well by guessing). Guessing value v for a filter is right with the value's share of the
    population, prior[v]; the count right by guessing is then about Poisson with mean the sum of those
    shares, and the last figure is its upper tail at the observed count."""
    true_value = {k: v for k, v in zip(keys, truth, strict=True) if k is not None and v is not None}
    right = sum(true_value.get(k) == claimed for k, claimed in labels.items())
    expected = sum(prior.get(claimed, 0.0) for claimed in labels.values())
    term = below = math.exp(-expected)  # P(X = 0), then each next term of the Poisson series
    for i in range(1, right):
        term *= expected / i
        below += term
    return right, expected, max(0.0, 1.0 - below) if right else 1.0


# ---- attacker knowledge ----------------------------------------------------------------------------


def normalised_frequencies(weighted: Iterable[tuple[Hashable, float]]) -> dict[Hashable, float]:
    """Probabilities of values from (value, weight) pairs; equal values' weights add up."""
    totals: defaultdict[Hashable, float] = defaultdict(float)
    for value, weight in weighted:
        totals[value] += weight
    whole = sum(totals.values())
    return {value: weight / whole for value, weight in totals.items()}


_SOUNDEX = {**dict.fromkeys("bfpv", "1"), **dict.fromkeys("cgjkqsxz", "2"), **dict.fromkeys("dt", "3"),
            "l": "4", **dict.fromkeys("mn", "5"), "r": "6"}


def soundex(word: str) -> str:
    """American Soundex, the public algorithm behind the tokens' name codes ('robert' -> 'r163')."""
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


def bit_matrix(filters: Sequence[bytes]) -> np.ndarray:
    """Filters as a boolean matrix, one row per filter, one column per bit position."""
    raw = np.frombuffer(b"".join(filters), dtype=np.uint8).reshape(len(filters), -1)
    return np.unpackbits(raw, axis=1, bitorder="little").astype(bool)


# ---- frequency attacks -----------------------------------------------------------------------------


def frequency_alignment_attack(filters: Iterable[Hashable | None], known: Mapping[Hashable, float],
                               min_count: int = 2) -> dict[Hashable, Hashable]:
    """Kuzu et al. (2011): the i-th most frequent filter (or token) is the i-th most frequent value.

    Only filters seen at least `min_count` times carry frequency information, and only a filter
    whose count no other filter shares has a rank; tied filters are left unlabelled.
    """
    counts = Counter(f for f in filters if f is not None)
    ranked = sorted(counts.items(), key=lambda fc: -fc[1])
    values = sorted(known, key=lambda v: -known[v])
    ties = Counter(counts.values())
    labels: dict[Hashable, Hashable] = {}
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
    shares, classes = np.unique(s / s.sum(), return_counts=True)  # equally likely classes weigh alike
    lam = total * np.outer(p / p.sum(), shares)
    log_lam = np.log(lam)
    by_count: defaultdict[int, list[bytes]] = defaultdict(list)
    for f, c in counts.items():
        by_count[c].append(f)
    labels: dict[bytes, str] = {}
    for c, group in by_count.items():
        if c < min_count:
            continue
        log_like = c * log_lam - lam  # the log c! term is the same for every pair
        per_value = np.exp(log_like - log_like.max()) @ classes
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
        if present and max(Counter(present).values()) >= min_count:
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
    weighted = bits * w[:, None]  # row r: the positions of distinct filter r, times its count
    floor = max(min_records, min_support * total)
    active = np.ones(width, dtype=bool)
    patterns: list[Pattern] = []
    failures = 0
    totals = weighted.sum(axis=0)
    while len(patterns) < max_patterns and failures < max_failures and active.any():
        free = active.copy()
        chosen: list[int] = []
        counts = totals
        for _ in range(depth):
            column = int(np.where(free, counts, -1.0).argmax())
            if counts[column] < floor or not free[column]:
                break
            chosen.append(column)
            free[column] = False
            # The records holding every chosen position, narrowed step by step, and their counts.
            if len(chosen) == 1:
                held = np.flatnonzero(bits[:, column])
                sub = weighted[held]
            else:
                keep = sub[:, column] > 0
                if keep.all():  # the same records: the same counts
                    continue
                held, sub = held[keep], sub[keep]
            counts = sub.sum(axis=0)  # (a sum, not a BLAS product: faster on a busy machine)
        if not chosen:
            break
        positions = np.zeros(width, dtype=bool)
        if len(chosen) == depth:
            rows = np.zeros(len(bits), dtype=bool)
            rows[held] = True
            for _ in range(6):
                positions = counts >= grow * float(w[held].sum())
                new_rows = bits[:, positions].all(axis=1)
                if np.array_equal(new_rows, rows):
                    break
                rows = new_rows
                held = np.flatnonzero(rows)
                counts = weighted[held].sum(axis=0)
        else:
            rows = np.zeros(len(bits), dtype=bool)
        records = float(w @ rows)
        if positions.sum() < min_size or records < floor:
            active[chosen[0]] = False
            failures += 1
            continue
        failures = 0
        patterns.append(Pattern(np.flatnonzero(positions), rows, records / total))
        active &= ~positions
    return patterns


WILDCARD = "#"


@dataclass(frozen=True, slots=True)
class Knowledge:
    """What the attacker expects to mine: each bigram with the bigrams that (nearly) always accompany it.

    A mined pattern is a q-gram plus every q-gram present in at least `grow` of its records, so the
    attacker's items are, for each known bigram g, the set of bigrams h with P(h | g) >= grow;
    `frequency` is the share of records holding the whole set, `joint` the pairwise shares. A
    `WILDCARD` in a known value stands for a part the attacker does not model (a house number): the
    bigrams touching it are left out.
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
        held = [{g for g in bigrams(v) if WILDCARD not in g} for v in values]
        grams = sorted(set().union(*held))
        column = {g: i for i, g in enumerate(grams)}
        incidence = np.zeros((len(values), len(grams)))
        for r, v in enumerate(held):
            incidence[r, [column[g] for g in v]] = 1.0
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


def by_bigrams(values: Iterable[str]) -> dict[frozenset[str], list[str]]:
    """Known values by their bigram sets."""
    found: defaultdict[frozenset[str], list[str]] = defaultdict(list)
    for value in values:
        found[frozenset(bigrams(value))].append(value)
    return dict(found)


def decode(bits: np.ndarray, patterns: Sequence[Pattern], assignment: Mapping[int, frozenset[str]],
           values: Mapping[frozenset[str], Sequence[str]]) -> dict[int, str]:
    """Row index -> value, for rows whose every bit is explained by identified bigrams (Christen et al.).

    A row's bigrams are those of the identified patterns it holds; it is labelled with the known
    value having exactly that bigram set (`values`: known values by bigram set, `by_bigrams`), when
    there is one and only one.
    """
    if not assignment:
        return {}
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
        candidates = values.get(grams, [])
        if len(candidates) == 1:
            labels[int(r)] = candidates[0]
    return labels


Mined = tuple[list[bytes], np.ndarray, list[Pattern], dict[int, frozenset[str]]]


def _mine_groups(filters: Sequence[bytes | None], knowledge: Knowledge,
                 groups: Iterable[Sequence[int]] | None, min_group: int, hashes: int,
                 mining: Mapping[str, float]) -> Iterator[Mined]:
    for group in groups if groups is not None else [range(len(filters))]:
        if len(group) < min_group:
            continue
        counts = Counter(filters[i] for i in group if filters[i] is not None)
        if sum(counts.values()) < min_group:
            continue
        unique = list(counts)
        bits = bit_matrix(unique)
        weights = np.array([counts[f] for f in unique], dtype=float)
        # One bigram sets about `hashes` positions: a pattern much smaller is a chance co-occurrence.
        patterns = mine_patterns(bits, weights, **{"min_size": math.ceil(0.75 * hashes), **mining})
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
    values = by_bigrams(knowledge.values)
    for unique, bits, patterns, assignment in mined:
        for r, value in decode(bits, patterns, assignment, values).items():
            labels[unique[r]] = value
    return labels


def component_attack(filters: Sequence[bytes | None], known: Mapping[str, float],
                     components: Mapping[str, str], groups: Iterable[Sequence[int]] | None = None,
                     min_group: int = 200, hashes: int = 20,
                     **mining: float) -> dict[bytes, str]:
    """Attribute inference on a composite text (a street address): which component does a filter hold?

    Mining and alignment as in `pattern_mining_attack`, with `known` the attacker's model of the
    whole texts (street addresses from the public street-name and street-type frequencies, the house
    number a `WILDCARD`). `components` maps each value to the text it puts in the filter (' main '
    for a street name, between the house number and the street type); a filter is labelled with a
    value when that value's bigrams are all among the identified bigrams it holds, and no other
    value's are.
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


def salt_classes(tokens: Tokens, columns: Sequence[str]) -> list[list[int]]:
    """Record indexes grouped by the union of shared token values, largest group first.

    Records sharing a token share every part the token is made of; chaining them through several
    tokens built on the same part (say the year, with the month in one and the day in another)
    gathers whole classes of records that share that part, hence a salt.
    """
    n = len(tokens[columns[0]])
    parent = list(range(n))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for column in columns:
        first_seen: dict[int, int] = {}
        for i, value in enumerate(tokens[column]):
            if value is None:
                continue
            j = first_seen.setdefault(value, i)
            if j != i:
                ri, rj = find(i), find(j)
                if ri != rj:
                    parent[ri] = rj
    groups: defaultdict[int, list[int]] = defaultdict(list)
    for i in range(n):
        groups[find(i)].append(i)
    return sorted(groups.values(), key=len, reverse=True)


# ---- token frequency attacks -------------------------------------------------------------------------

Combination = tuple[Hashable, ...]


@dataclass(frozen=True, slots=True)
class Part:
    """One part of what a token is made of, as the attacker models it: its values and their
    probabilities. Parts of one token are independent (a date and a ZIP, a name code and a year)."""

    values: tuple[Hashable, ...]
    probs: np.ndarray

    @classmethod
    def of(cls, weighted: Mapping[Hashable, float]) -> Part:
        values = tuple(weighted)
        probs = np.array([weighted[v] for v in values], dtype=float)
        return cls(values, probs / probs.sum())


def top_combinations(parts: Sequence[Part], k: int) -> dict[Combination, float]:
    """The `k` most probable combinations of independent parts, most probable first (best-first search)."""
    order = [np.argsort(-part.probs, kind="stable") for part in parts]
    probs = [part.probs[o] for part, o in zip(parts, order, strict=True)]

    def prob(index: tuple[int, ...]) -> float:
        return math.prod(float(p[i]) for p, i in zip(probs, index, strict=True))

    start = (0,) * len(parts)
    heap, seen = [(-prob(start), start)], {start}
    out: dict[Combination, float] = {}
    while heap and len(out) < k:
        p, index = heapq.heappop(heap)
        out[tuple(part.values[o[i]] for part, o, i in zip(parts, order, index, strict=True))] = -p
        for j, i in enumerate(index):
            following = (*index[:j], i + 1, *index[j + 1:])
            if i + 1 < len(parts[j].values) and following not in seen:
                seen.add(following)
                heapq.heappush(heap, (-prob(following), following))
    return out


def token_alignment_attack(tokens: Sequence[int | None], parts: Sequence[Part],
                           min_count: int = 2) -> dict[Hashable, Hashable]:
    """Kuzu's rank alignment on one token column: the i-th most frequent token is the i-th most
    probable combination of its parts (ties of equally probable combinations in a fixed order)."""
    counts = Counter(t for t in tokens if t is not None)
    ranked = sum(1 for c in counts.values() if c >= min_count)
    return frequency_alignment_attack(tokens, top_combinations(parts, ranked), min_count)


@dataclass(frozen=True, slots=True)
class Levels:
    """The combinations of some independent parts, grouped by probability: `counts[i]` combinations
    of probability `probs[i]` each; `single[i]` is the combination when there is only one."""

    probs: np.ndarray
    counts: np.ndarray
    single: tuple[Combination | None, ...]

    @classmethod
    def of(cls, parts: Sequence[Part]) -> Levels:
        levels = cls(np.ones(1), np.ones(1), ((),))
        for part in parts:
            probs = np.outer(levels.probs, part.probs).ravel()
            counts = np.repeat(levels.counts, len(part.values))
            single = [None if c is None else (*c, v) for c in levels.single for v in part.values]
            keys, first, inverse = np.unique(np.round(np.log(probs), 9), return_index=True,
                                             return_inverse=True)
            merged = np.bincount(inverse, weights=counts, minlength=len(keys))
            levels = cls(np.exp(keys), merged,
                         tuple(single[first[i]] if merged[i] == 1 else None for i in range(len(keys))))
        return levels


def token_frequency_attack(tokens: Sequence[int | None], name: Part | None, others: Sequence[Part],
                           threshold: float = 0.5, min_count: int = 1
                           ) -> tuple[dict[int, Combination], dict[int, Hashable]]:
    """The Bayesian frequency attack on one token column.

    A token is a keyed function of (name part, *other parts); every combination is a possible token
    whose count is Poisson with mean N * P(combination). Given a token's count c, the posterior of a
    combination is proportional to its Poisson likelihood. Returns the tokens labelled with a whole
    combination, and those labelled with a name part (the other parts marginalised out), each when
    its posterior is at least `threshold`.
    """
    counts = Counter(t for t in tokens if t is not None)
    total = sum(counts.values())
    levels = Levels.of(others)
    names = name.probs if name is not None else np.ones(1)
    lam = total * np.outer(names, levels.probs)  # (name values, probability levels of the rest)
    log_lam = np.log(lam)
    by_count: defaultdict[int, list[int]] = defaultdict(list)
    for t, c in counts.items():
        by_count[c].append(t)
    whole: dict[int, Combination] = {}
    named: dict[int, Hashable] = {}
    for c, group in by_count.items():
        if c < min_count:
            continue
        log_like = c * log_lam - lam
        like = np.exp(log_like - log_like.max())  # one combination of each (name, level)
        evidence = float((like @ levels.counts).sum())
        i, j = np.unravel_index(int(like.argmax()), like.shape)
        rest = levels.single[j]
        if like[i, j] / evidence >= threshold and rest is not None:
            whole.update(dict.fromkeys(group, (name.values[i], *rest) if name is not None else rest))
        if name is not None:
            per_name = like @ levels.counts / evidence
            best = int(per_name.argmax())
            if per_name[best] >= threshold:
                named.update(dict.fromkeys(group, name.values[best]))
    return whole, named


def record_code_attack(columns: Sequence[tuple[Sequence[int | None], Sequence[Part]]], name: Part,
                       threshold: float = 0.5) -> dict[int, tuple[Hashable, float]]:
    """The Bayesian frequency attack on a record's name part, from every token column that holds it.

    `columns` pairs each token column with its other parts (a year and month, a swapped date...),
    all sharing the name part (a surname code). Given the record's name part n, the other records
    holding its token are Poisson(N * P(n) * P(rest)) for the unknown rest of its combination, so the
    record's posterior of n is proportional to P(n) times, for each of its tokens seen c times, the
    average over the rest of the Poisson probability of c - 1. Returns record index -> (the most
    probable name part, its posterior) for records where that posterior is at least `threshold`.
    """
    log_posterior_by: list[dict[int, np.ndarray]] = []
    seen: list[list[int]] = []
    prior = np.log(name.probs)
    for tokens, others in columns:
        counts = Counter(t for t in tokens if t is not None)
        total = sum(counts.values())
        levels = Levels.of(others)
        lam = total * np.outer(name.probs, levels.probs)
        mass = levels.probs * levels.counts  # probability of each level of the rest
        per_record = [counts[t] if t is not None else 0 for t in tokens]
        log_like: dict[int, np.ndarray] = {}
        for c in set(per_record) - {0}:
            terms = (c - 1) * np.log(lam) - lam + np.log(mass)  # the log (c - 1)! term is common
            top = terms.max(axis=1, keepdims=True)
            log_like[c] = (top + np.log(np.exp(terms - top).sum(axis=1, keepdims=True))).ravel()
        log_posterior_by.append(log_like)
        seen.append(per_record)
    labels: dict[int, tuple[Hashable, float]] = {}
    by_counts: defaultdict[tuple[int, ...], list[int]] = defaultdict(list)
    for i, key in enumerate(zip(*seen, strict=True)):
        by_counts[key].append(i)
    for key, records in by_counts.items():
        log_post = prior + sum((log_like[c] for log_like, c in zip(log_posterior_by, key, strict=True) if c),
                               start=np.zeros_like(prior))
        posterior = np.exp(log_post - log_post.max())
        posterior /= posterior.sum()
        best = int(posterior.argmax())
        if posterior[best] >= threshold:
            labels.update(dict.fromkeys(records, (name.values[best], float(posterior[best]))))
    return labels
