"""The record-level filter attack (`clk_attack`) must re-identify the children of an unhardened CLK.

ADR 0012 measured one linkage option that gains F1 on every development set: an unsalted
record-level filter (CLK) of first name, surname and street. Its privacy is measured by an attack
that succeeds on the plain CLK first: 20,000 synthetic children (the roster of `test_attacks`),
their CLKs under the agency's key (1,024 bits, 10 keyed positions per bigram, no salt, no fold),
against an attacker holding the school's clear list of the same children in another order (ADR
0014, A2) but neither the key nor the pseudonyms. The hardened variants (XOR-folded, diffused) are
measured by `benchmarks/clk_attacks.py`, with the figures in ADR 0029; the folded one here as well,
under the noisy attack (slow), since the diffused variants' zero from that attack means something only
while it breaks the fold. Messages carry counts only.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

import numpy as np
import pytest

from accord.linkage.encode.bloom import BloomEncoder, BloomParams
from accord.linkage.normalise import normalise_given_name, normalise_street_address
from tests.attacks.clk_attack import ClearList, clk_text, exact_attack, judge
from tests.attacks.clk_bootstrap import noisy_attack
from tests.attacks.clk_mining import as_bits
from tests.attacks.test_attacks import SECRET_KEY, SEED, _surname, synthetic_roster

HASHES, BITS = 10, 1024  # salting_options.py's CLK: about 28 bigrams, a quarter of the bits set


@dataclass(frozen=True, repr=False)
class ClkWorld:
    bits: np.ndarray  # (records, BITS) boolean: the plain CLK of each record, as the hub would hold it
    clear: ClearList  # the school's clear list of the same children, in another order
    person_of: list[int]  # the truth: the list's index of each record's child
    surnames: list[str | None]  # by the list's index

    def __repr__(self) -> str:  # never a name in a failing test's output
        return f"ClkWorld({len(self.person_of)} synthetic children)"


def clk_world(seed: int = SEED, children: int = 20_000) -> ClkWorld:
    columns = synthetic_roster(seed, children)
    surnames = [_surname(s) for s in columns["last_name"]]
    texts = [clk_text(normalise_given_name(f), s, normalise_street_address(a))
             for f, s, a in zip(columns["first_name"], surnames, columns["street_address"], strict=True)]
    filters, _ = BloomEncoder(SECRET_KEY, BloomParams(BITS, HASHES)).encode_many(
        "clk", np.zeros(len(texts), np.uint64), texts)
    order = list(range(len(texts)))
    random.Random(seed).shuffle(order)  # the school's list knows nothing of the hub's record order
    person_of = [0] * len(order)
    for person, record in enumerate(order):
        person_of[record] = person
    return ClkWorld(as_bits(filters), ClearList.of([texts[record] for record in order]), person_of,
                    [surnames[record] for record in order])


def test_the_attack_re_identifies_the_children_of_an_unhardened_clk() -> None:
    world = clk_world()
    outcome = judge(exact_attack(world.bits, world.clear, HASHES), world.person_of, world.surnames)
    assert outcome.right >= 0.5 * outcome.records and outcome.surname_chance < 1e-3, str(outcome)


@pytest.mark.slow
def test_the_noisy_attack_re_identifies_the_children_of_a_folded_clk() -> None:
    world = clk_world()
    folded = world.bits[:, :BITS // 2] ^ world.bits[:, BITS // 2:]  # as record.fold folds every filter
    noisy = judge(noisy_attack(folded, world.clear, HASHES), world.person_of, world.surnames)
    assert noisy.right >= 0.5 * noisy.records and noisy.surname_chance < 1e-3, str(noisy)
