"""Cryptanalysis of a record-level Bloom filter (CLK) by an attacker who holds a clear list of the
same people: the hub's operator with the school's student list (ADR 0014, A2), against the school's
own encoded roster.

A CLK holds the bigrams of several fields in one filter (Schnell, Bachteler & Reiher 2011): here the
first name, surname and street as one text, `clk_text`. Unsalted, a bigram sets the same k keyed
positions in every record that holds it. The attacker knows the scheme (bits, k, the text) but not
the key, and has every encoded filter and the clear list, without the pseudonyms that join them.

1. Mining (`clk_mining.exact_patterns`), after Christen, Ranbaduge, Vatsalan & Schnell (2018/2019)
   and Kroll & Steinmetzer (2015): every position seeds a refinement, record set by bit set, to the
   positions and records of one bigram.
2. Alignment (`align_exact`): the clear list gives every bigram's exact count and every pair's
   co-occurrence. A pattern takes the bigram (with the bigrams that always come with it) whose count
   and co-occurrences with the bigrams already aligned match its own, when only one does.
3. Re-identification (`reidentify`): which aligned bigrams a filter holds (all of its positions set)
   is a signature; a filter whose signature only one person of the list has is that person.

`clk_noisy` and `clk_bootstrap` make the same attack for filters whose bits no longer follow a bigram
exactly (XOR-folded, diffused): soft patterns, estimated counts, and a bootstrap. Outputs are record
indexes and counts; nothing here prints a value.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from accord.linkage.encode.bloom import bigrams
from tests.attacks.attacks import beyond_chance
from tests.attacks.clk_mining import ALL_SET, BitPattern, exact_patterns


def clk_text(first: str | None, last: str | None, street: str | None) -> str | None:
    """The CLK's text: normalised first name, surname and street, as salting_options.py builds it."""
    return " ".join(part for part in (first, last, street) if part) or None


@dataclass(frozen=True)
class ClearList:
    """The attacker's clear list as bigrams: each person's bigram set, and per item (a bigram with the
    bigrams that come with it in at least ALL_SET of its records) who holds it."""

    texts: tuple[str | None, ...]
    items: tuple[frozenset[str], ...]
    holds: np.ndarray  # (people, items) boolean

    @classmethod
    def of(cls, texts: Sequence[str | None]) -> ClearList:
        held = [bigrams(t) if t else set() for t in texts]
        grams = sorted(set().union(*held))
        column = {g: i for i, g in enumerate(grams)}
        incidence = np.zeros((len(texts), len(grams)), np.float32)
        for r, gs in enumerate(held):
            incidence[r, [column[g] for g in gs]] = 1.0
        together = incidence.T @ incidence
        implied = together >= ALL_SET * np.diag(together)[:, None]
        items = tuple(dict.fromkeys(frozenset(grams[j] for j in np.flatnonzero(row)) for row in implied))
        holds = np.stack([incidence[:, [column[g] for g in item]].all(axis=1) for item in items], axis=1)
        return cls(tuple(texts), items, holds)

    def co_counts(self) -> np.ndarray:
        """People holding both of two items (the diagonal: each item's count)."""
        held = self.holds.astype(np.float32)
        return held.T @ held


def _consistent(encoded: np.ndarray, known: np.ndarray) -> np.ndarray:
    """Encoded counts can only exceed the clear list's (a filter can hold a bigram's positions by
    chance, never lack them): by at most two records and 1%."""
    excess = encoded - known
    return (excess >= -1) & (excess <= 2 + 0.01 * encoded)


def align_exact(patterns: Sequence[BitPattern], clear: ClearList, width: int, hashes: int) -> dict[int, int]:
    """Pattern index -> item index, greedily from the most frequent pattern, when exactly one item
    fits its size, its count and its co-occurrences with the patterns aligned so far."""
    records = np.stack([p.records for p in patterns], axis=1).astype(np.float32)
    co, known = records.T @ records, clear.co_counts()
    counts, known_counts = np.diag(co), np.diag(known)
    expected = width * (1 - np.exp(-hashes * np.array([len(item) for item in clear.items]) / width))
    sizes = np.array([len(p.positions) for p in patterns], dtype=float)
    fits = np.abs(sizes[:, None] - expected[None, :]) <= np.maximum(2, 0.25 * expected)[None, :]
    assigned: dict[int, int] = {}
    free = np.ones(len(clear.items), dtype=bool)
    progress = True
    while progress:  # a pattern ambiguous in one pass may be settled by those aligned after it
        progress = False
        for j in np.argsort(-counts, kind="stable"):
            if j in assigned:
                continue
            ok = free & fits[j] & _consistent(counts[j], known_counts)
            if assigned:
                done, items = np.array(list(assigned)), np.array(list(assigned.values()))
                ok &= _consistent(co[j, done][None, :], known[:, items]).all(axis=1)
            candidates = np.flatnonzero(ok)
            if len(candidates) == 1:
                assigned[int(j)] = int(candidates[0])
                free[candidates[0]] = False
                progress = True
    return assigned


def reidentify(patterns: Sequence[BitPattern], assignment: dict[int, int],
               clear: ClearList) -> dict[int, int]:
    """Record index -> index in the clear list, for records whose signature (which aligned items its
    filter holds) exactly one person of the list has."""
    order = list(assignment)
    encoded = np.stack([patterns[j].records for j in order], axis=1)
    people: defaultdict[bytes, list[int]] = defaultdict(list)
    for person, signature in enumerate(clear.holds[:, [assignment[j] for j in order]]):
        people[np.packbits(signature).tobytes()].append(person)
    labels: dict[int, int] = {}
    for record, signature in enumerate(encoded):
        match = people.get(np.packbits(signature).tobytes(), [])
        if len(match) == 1:
            labels[record] = match[0]
    return labels


def exact_attack(bits: np.ndarray, clear: ClearList, hashes: int) -> dict[int, int]:
    """Mine, align and re-identify: record index -> the person of the clear list it is taken for."""
    patterns = exact_patterns(bits, hashes)
    if not patterns:
        return {}
    return reidentify(patterns, align_exact(patterns, clear, bits.shape[1], hashes), clear)


@dataclass(frozen=True, slots=True)
class Outcome:
    """What an attack got right, against what guessing would."""

    records: int  # filters encoded
    labelled: int  # records the attack took for a person of the list
    right: int  # ... and rightly
    surnames_right: int  # labelled records whose person has the record's surname
    surname_guessing: float  # how many guessing the same surnames would get right
    surname_chance: float  # the chance of doing as well as the attack by guessing

    def __str__(self) -> str:
        return (f"{self.right:,} of {self.records:,} records re-identified ({self.labelled:,} labelled; "
                f"guessing a person gets {self.labelled / max(self.records, 1):.1f}); surname right for "
                f"{self.surnames_right:,} (guessing {self.surname_guessing:.1f}, "
                f"chance {_below(self.surname_chance)})")


def _below(chance: float) -> str:
    """A chance as printed: under 1e-12 the Poisson tail is rounding error."""
    return f"{chance:.0e}" if chance >= 1e-12 else "< 1e-12"


def judge(labels: dict[int, int], person_of: Sequence[int], surnames: Sequence[str | None]) -> Outcome:
    """Score labels (record -> person of the list) against the truth (`person_of[record]`); surnames
    are the list's, by person."""
    shares = defaultdict(float)
    for surname in surnames:
        shares[surname] += 1 / len(surnames)
    truth = [surnames[p] for p in person_of]
    claimed = {record: surnames[person] for record, person in labels.items()}
    right, guessing, chance = beyond_chance(claimed, list(range(len(person_of))), truth, shares)
    return Outcome(len(person_of), len(labels), sum(person_of[r] == p for r, p in labels.items()),
                   right, guessing, chance)
