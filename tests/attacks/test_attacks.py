"""Attack tests: frequency and pattern-mining cryptanalysis must re-identify no value.

The issue's bar: "a frequency attack and a pattern-mining attack on the encodings of a synthetic
roster, with the attacker knowing the population's name frequencies, must re-identify no value"
(unhardened Bloom filters lose up to about 20% of values to such attacks in published evaluations).

A synthetic roster of 20,000 children born over 13 years is drawn from the name frequency tables the
attacker knows, and encoded under a secret key with `RecordEncoder`, as the hub would receive it.
Every attack (see `attacks`) first runs against an unhardened encoding of the same roster (keyed
independent hashing, one constant salt): it must re-identify many values there, or a zero against
the real encodings would prove nothing. Against the real encodings it must re-identify none.
Assertion messages carry counts only, never a name.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

import pytest

from accord.linkage.encode.bloom import BloomEncoder, BloomParams
from accord.linkage.encode.record import BLOOM_FIELDS, TOKENS, EncodedRecord, RecordEncoder
from accord.linkage.normalise import (
    normalise_city,
    normalise_given_name,
    normalise_postcode,
    normalise_street_address,
    normalise_surname,
)
from accord.synth.rosters.names import (
    CITIES,
    FIRST_NAMES_FEMALE,
    FIRST_NAMES_MALE,
    STREET_NAMES,
    STREET_TYPES,
    SURNAMES,
    Table,
    weighted,
)
from tests.attacks import attacks as A

CHILDREN = 20_000
BIRTH_YEARS = range(2008, 2021)
MIDDLE_NAME_SHARE = 0.6
SEED = 20_240_611
SECRET_KEY = bytes.fromhex("5f1e" * 16)  # the agency's key: the attacker never has it
BASELINE_KEY = bytes.fromhex("a7c3" * 16)
NAME_FIELDS = ("first_name", "middle_name", "last_name")
# Each field's filter salt is made of these parts; tokens built on the same parts chain records
# into the salt's classes (attacks.salt_classes).
SALT_TOKENS = {"first_name": A.YEAR_SURNAME_CODE_TOKENS, "middle_name": A.YEAR_SURNAME_CODE_TOKENS,
               "last_name": A.YEAR_FIRST_CODE_TOKENS, "address": A.YEAR_TOKENS}
# What "the attacks work" means on the unhardened baseline, summed over the name fields.
BASELINE_VALUES, BASELINE_FRACTION = 10, 0.05


def _draw(rng: random.Random, table: Table, k: int) -> list[str]:
    values, cumulative = weighted(table)
    return rng.choices(values, cum_weights=cumulative, k=k)


def _addresses(rng: random.Random, k: int) -> list[tuple[str, str, str]]:
    """(street address, city, ZIP): random house numbers, streets and cities by their weights."""
    numbers = [str(rng.randint(1, 9999)) for _ in range(k)]
    streets = zip(numbers, _draw(rng, STREET_NAMES, k), _draw(rng, STREET_TYPES, k), strict=True)
    cities = _draw(rng, tuple((name, weight) for name, _, weight in CITIES), k)
    zips = {name: codes for name, codes, _ in CITIES}
    return [(" ".join(street), city, rng.choice(zips[city]))
            for street, city in zip(streets, cities, strict=True)]


def synthetic_roster(seed: int = SEED, children: int = CHILDREN) -> list[dict[str, str]]:
    """Children drawn from the same name frequencies the attacker knows."""
    rng = random.Random(seed)
    female = [rng.random() < 0.5 for _ in range(children)]
    given = {True: FIRST_NAMES_FEMALE, False: FIRST_NAMES_MALE}
    firsts = {sex: iter(_draw(rng, table, children)) for sex, table in given.items()}
    middles = {sex: iter(_draw(rng, table, children)) for sex, table in given.items()}
    surnames = _draw(rng, SURNAMES, children)
    addresses = _addresses(rng, children)
    rows = []
    people = zip(female, surnames, addresses, strict=True)
    for i, (is_female, surname, (street, city, postcode)) in enumerate(people):
        born = date(rng.choice(BIRTH_YEARS), 1, 1) + timedelta(days=rng.randrange(365))
        middle = next(middles[is_female])
        rows.append({
            "record_id": f"child-{i:05d}", "first_name": next(firsts[is_female]),
            "middle_name": middle if rng.random() < MIDDLE_NAME_SHARE else "", "last_name": surname,
            "date_of_birth": born.isoformat(), "sex": "F" if is_female else "M",
            "street_address": street, "city": city, "postcode": postcode,
        })
    return rows


def _surname(value: str) -> str | None:
    surname = normalise_surname(value)
    return surname.full if surname else None


def _address(row: Mapping[str, str]) -> str:
    parts = (normalise_street_address(row["street_address"]), normalise_city(row["city"]),
             normalise_postcode(row["postcode"]))
    return " ".join(part for part in parts if part)


def given_name_knowledge() -> dict[str, float]:
    """The attacker's first-name frequencies: half girls, half boys, as the encoder normalises them."""
    female, male = (sum(w for _, w in table) for table in (FIRST_NAMES_FEMALE, FIRST_NAMES_MALE))
    return A.normalised_frequencies(
        [(normalise_given_name(n) or "", w / female) for n, w in FIRST_NAMES_FEMALE]
        + [(normalise_given_name(n) or "", w / male) for n, w in FIRST_NAMES_MALE])


def address_knowledge(samples: int = 6000) -> dict[str, float]:
    """The attacker's model of address texts, simulated from public street, city and ZIP frequencies."""
    rng = random.Random(7)
    simulated = Counter(_address({"street_address": street, "city": city, "postcode": postcode})
                        for street, city, postcode in _addresses(rng, samples))
    return A.normalised_frequencies(simulated.items())


@dataclass(frozen=True, repr=False)
class Population:
    rows: list[dict[str, str]]
    records: list[EncodedRecord]
    truth: dict[str, list[str | None]]  # field -> each record's normalised value (city for address)
    known: dict[str, dict[str, float]]  # field -> the attacker's value frequencies
    baseline: dict[str, list[bytes | None]]  # field -> unhardened filters of the same values

    def __repr__(self) -> str:  # never the rows: a failing test must not show names
        return f"Population({len(self.rows)} synthetic children)"

    def filters(self, field: str) -> list[bytes | None]:
        return [r.blooms[field] for r in self.records]

    @property
    def tokens(self) -> list[dict[str, int | None]]:
        return [r.tokens for r in self.records]


def _unsalted(texts: Sequence[str | None], field: str) -> list[bytes | None]:
    """The unhardened encoding: the same keyed, independent hashing, but one salt for every record."""
    label, hashes = BLOOM_FIELDS[field]
    encoder = BloomEncoder(BASELINE_KEY, BloomParams(1024, hashes))
    cache = {text: encoder.encode(label, 0, text) for text in set(texts) if text}
    return [cache.get(text) if text else None for text in texts]


@pytest.fixture(scope="module")
def population() -> Population:
    rows = synthetic_roster()
    encoder = RecordEncoder(SECRET_KEY)
    records = [encoder.encode(row) for row in rows]
    given = given_name_knowledge()
    truth: dict[str, list[str | None]] = {
        "first_name": [normalise_given_name(r["first_name"]) for r in rows],
        "middle_name": [normalise_given_name(r["middle_name"]) for r in rows],
        "last_name": [_surname(r["last_name"]) for r in rows],
        "address": [normalise_city(r["city"]) for r in rows],
    }
    known = {"first_name": given, "middle_name": given,
             "last_name": A.normalised_frequencies((_surname(n) or "", w) for n, w in SURNAMES),
             "address": address_knowledge()}
    baseline = {field: _unsalted(truth[field], field) for field in NAME_FIELDS}
    baseline["address"] = _unsalted([_address(r) for r in rows], "address")
    return Population(rows, records, truth, known, baseline)


Attack = Callable[[Population, str, list[bytes | None]], dict[bytes, str]]


def _other_name(population: Population, field: str) -> dict[str, float]:
    return population.known["first_name" if field == "last_name" else "last_name"]


FREQUENCY_ATTACKS: dict[str, Attack] = {
    "Kuzu frequency alignment": lambda p, f, filters: A.frequency_alignment_attack(filters, p.known[f]),
    "Bayesian frequency, unsalted model": lambda p, f, filters: A.salt_aware_frequency_attack(
        filters, p.known[f], [1.0]),
}
SALT_AWARE_FREQUENCY_ATTACKS: dict[str, Attack] = {
    "Bayesian frequency, salt model (13 years x other name's Soundex code)":
        lambda p, f, filters: A.salt_aware_frequency_attack(
            filters, p.known[f], A.name_salt_classes(_other_name(p, f), len(BIRTH_YEARS))),
    "Bayesian frequency within salt classes chained through tokens":
        lambda p, f, filters: A.grouped_frequency_attack(
            filters, p.known[f], A.salt_classes(p.tokens, SALT_TOKENS[f])),
    "Bayesian frequency within tok_names_yob groups (year + both name codes)":
        lambda p, f, filters: A.grouped_frequency_attack(
            filters, p.known[f], A.salt_classes(p.tokens, ("tok_names_yob",))),
}
PATTERN_ATTACKS: dict[str, Attack] = {
    "pattern mining, whole file": lambda p, f, filters: A.pattern_mining_attack(filters, p.known[f]),
}
SALT_AWARE_PATTERN_ATTACKS: dict[str, Attack] = {
    "pattern mining within year-of-birth classes":
        lambda p, f, filters: A.pattern_mining_attack(
            filters, p.known[f], A.salt_classes(p.tokens, A.YEAR_TOKENS)),
    "pattern mining within salt classes chained through tokens":
        lambda p, f, filters: A.pattern_mining_attack(
            filters, p.known[f], A.salt_classes(p.tokens, SALT_TOKENS[f]), min_group=60),
}


Scores = dict[tuple[str, str], A.Score]  # (attack, field) -> score


def _run(population: Population, attacks: Mapping[str, Attack], baseline: bool) -> Scores:
    """Every attack on every name field, of the unhardened baseline or of the real encodings."""
    scores = {}
    for field in NAME_FIELDS:
        filters = population.baseline[field] if baseline else population.filters(field)
        truth = population.truth[field]
        for name, attack in attacks.items():
            scores[(name, field)] = A.score(attack(population, field, filters), filters, truth)
    return scores


def _report(scores: Scores) -> str:
    return "\n".join(f"{name} on {field}: {s.filters} filters re-identified ({s.values} distinct values, "
                     f"{s.records} records = {s.fraction:.2%}; {s.labelled} filters labelled)"
                     for (name, field), s in scores.items())


@pytest.mark.parametrize("attack", [*FREQUENCY_ATTACKS, *PATTERN_ATTACKS])
def test_attack_re_identifies_names_in_unhardened_filters(population: Population, attack: str) -> None:
    """Without the salts the same attack must work, or its zero on the real encodings proves nothing."""
    scores = _run(population, {attack: {**FREQUENCY_ATTACKS, **PATTERN_ATTACKS}[attack]}, baseline=True)
    values = sum(s.values for s in scores.values())
    records = sum(s.records for s in scores.values())
    encoded = sum(f is not None for field in NAME_FIELDS for f in population.baseline[field])
    assert values >= BASELINE_VALUES or records >= BASELINE_FRACTION * encoded, (
        f"{attack} does not even break unhardened filters:\n{_report(scores)}")


def test_frequency_attacks_re_identify_no_name(population: Population) -> None:
    scores = _run(population, {**FREQUENCY_ATTACKS, **SALT_AWARE_FREQUENCY_ATTACKS}, baseline=False)
    leaks = {key: s for key, s in scores.items() if s.any}
    assert not leaks, f"frequency attacks re-identified names:\n{_report(leaks)}"


def test_pattern_mining_re_identifies_no_name(population: Population) -> None:
    scores = _run(population, {**PATTERN_ATTACKS, **SALT_AWARE_PATTERN_ATTACKS}, baseline=False)
    leaks = {key: s for key, s in scores.items() if s.any}
    assert not leaks, f"pattern mining re-identified names:\n{_report(leaks)}"


def test_pattern_mining_infers_no_city_from_address_filters(population: Population) -> None:
    """The address filter is salted with the year of birth alone: within a year class, does the
    pattern of a frequent city's bigrams give each record's city away?"""
    cities = {normalise_city(name) or "": f" {normalise_city(name)} " for name, _, _ in CITIES}
    years = A.salt_classes(population.tokens, A.YEAR_TOKENS)
    hashes = BLOOM_FIELDS["address"][1]

    def attack(filters: list[bytes | None]) -> A.Score:
        labels = A.component_attack(filters, population.known["address"], cities, years, hashes=hashes,
                                    max_patterns=80)
        return A.score(labels, filters, population.truth["address"])

    baseline = attack(population.baseline["address"])
    assert baseline.values >= 2 and baseline.fraction >= BASELINE_FRACTION, baseline
    real = attack(population.filters("address"))
    assert not real.any, (
        f"pattern mining within year-of-birth classes inferred the city from {real.filters} address "
        f"filters ({real.values} distinct cities, {real.records} records = {real.fraction:.2%}; "
        f"{real.labelled} labelled; unhardened baseline: {baseline.records} records)")


def test_year_classes_cover_the_roster(population: Population) -> None:
    """The salt-aware attacks above are only as strong as their salt classes: the year-bearing tokens
    must chain nearly every record into its year-of-birth class, one class per year."""
    years = A.salt_classes(population.tokens, A.YEAR_TOKENS)
    big = [g for g in years if len(g) >= 200]
    assert len(big) == len(BIRTH_YEARS)
    assert sum(map(len, big)) >= 0.95 * CHILDREN
    born = [row["date_of_birth"][:4] for row in population.rows]
    assert all(len({born[i] for i in group}) == 1 for group in big)


def test_tokens_do_not_expose_a_low_cardinality_field(population: Population) -> None:
    """Equal tokens show the hub their combination's frequencies: every token must combine enough to
    have many values, none of them common."""
    for name in TOKENS:
        values = Counter(t for r in population.records if (t := r.tokens[name]) is not None)
        assert len(values) >= 1000, f"{name}: only {len(values)} distinct values"
        top = values.most_common(1)[0][1]
        assert top <= 0.01 * CHILDREN, f"{name}: one value covers {top} records"


def test_roster_follows_the_known_frequencies(population: Population) -> None:
    """The attacker's knowledge is the population's: observed name shares match the tables."""
    for field in ("first_name", "last_name"):
        observed = Counter(population.truth[field])
        known = population.known[field]
        for value in sorted(known, key=known.__getitem__, reverse=True)[:5]:
            assert abs(observed[value] / CHILDREN - known[value]) < 0.01
