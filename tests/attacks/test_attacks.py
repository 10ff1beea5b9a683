"""Attack tests: frequency and pattern-mining cryptanalysis must re-identify no value.

The issue's bar: "a frequency attack and a pattern-mining attack on the encodings of a synthetic
roster, with the attacker knowing the population's name frequencies, must re-identify no value"
(unhardened Bloom filters lose up to about 20% of values to such attacks in published evaluations).

A synthetic roster of 20,000 children in households (`accord.synth.rosters.people`: siblings share a
surname and an address, about 3% are twins) is drawn from the name, street and ZIP frequency tables
the attacker knows, given a unique national id each, and encoded under a secret key with
`RecordEncoder.encode_columns`, as the hub would receive it. Encoder v5 salts the first name, middle
name and street filters with the full date of birth and the last name with the date and the
first-name code (`record.py`), and the attacker recovers those salt classes exactly: records sharing
`tok_dob_pair` share the date, records sharing `tok_dob_first` the surname's salt. first_name_home
is salted with the household, recovered through `tok_street_postcode`; the national id is
unsalted. The attacker is also given every record's true year of birth, which the tokens no longer
give away, for the attacks that mine year by year.

Every attack (see `attacks`) first runs against unhardened encodings of the same roster: the same
keyed, independent hashing with one constant salt (whose single salt class is the whole file), or,
for the mining class by class, with the year of birth as salt (large classes). It must re-identify
many values there, or a zero against the real encodings would prove nothing. Against the real
encodings it must re-identify none. The tokens are attacked the same way, against unhardened tokens
of low-cardinality combinations first. `test_other_rosters` runs the attacks on rosters drawn with
other seeds. Assertion messages carry counts only, never a name, date or address.
"""

from __future__ import annotations

import hashlib
import math
import random
from collections import Counter
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from datetime import date, timedelta

import numpy as np
import pytest

from accord.linkage.encode.bloom import BloomEncoder, BloomParams
from accord.linkage.encode.record import BLOOM_FIELDS, TOKENS, RecordEncoder
from accord.linkage.normalise import (
    normalise_given_name,
    normalise_postcode,
    normalise_street_address,
    normalise_surname,
)
from accord.synth.rosters.bulk import APARTMENT_RATE
from accord.synth.rosters.names import (
    CITIES,
    FIRST_NAMES_FEMALE,
    FIRST_NAMES_MALE,
    HISPANIC_SURNAMES,
    MIDDLE_NAMES_FEMALE,
    MIDDLE_NAMES_MALE,
    STREET_NAMES,
    STREET_TYPES,
    SURNAMES,
    Table,
)
from accord.synth.rosters.people import DOUBLE_SURNAME_RATE, EARLIEST_BIRTH, LATEST_BIRTH, build_people
from tests.attacks import attacks as A

CHILDREN = 20_000
SEED = 20_240_611
SECRET_KEY = bytes.fromhex("5f1e" * 16)  # the agency's key: the attacker never has it
BASELINE_KEY = bytes.fromhex("a7c3" * 16)
NAME_FIELDS = ("first_name", "middle_name", "last_name", "first_name_home")
# Unhardened, first_name_home is first_name again under another label: the baselines leave it out.
BASELINE_FIELDS = ("first_name", "middle_name", "last_name")
STREET = "street_address"
# What "the attack works" means on an unhardened baseline, summed over the fields (or tokens).
BASELINE_VALUES, BASELINE_FRACTION = 10, 0.05
# Street-name inference labels only streets common enough to form a pattern, so its distinct values
# are few by nature: on the street it works when it places this share of records on their street.
STREET_BASELINE_FRACTION = 0.02
MIN_GROUP = 60  # fewer filters than this under one salt are too few to mine
# The birth dates the attacker expects: the school-age range, every day alike (public knowledge).
BIRTH_DATES = [EARLIEST_BIRTH + timedelta(days=d) for d in range((LATEST_BIRTH - EARLIEST_BIRTH).days + 1)]


# ---- the roster ---------------------------------------------------------------------------------------


def synthetic_roster(seed: int = SEED, children: int = CHILDREN) -> dict[str, list[str]]:
    """The roster's identity columns: children in households, each with a unique SSN-like id."""
    people = build_people(children, random.Random(seed))
    ids = random.Random(seed + 1).sample(range(1_000_000, 900_000_000), children)
    return {
        "record_id": [p.person_id for p in people],
        "first_name": [p.first_name for p in people],
        "middle_name": [p.middle_name for p in people],
        "last_name": [p.last_name for p in people],
        "date_of_birth": [p.date_of_birth.isoformat() for p in people],
        "sex": [p.sex for p in people],
        "street_address": [p.street_address for p in people],
        "city": [p.city for p in people],
        "postcode": [p.postcode for p in people],
        "national_id": [f"{v // 1_000_000:03d}-{v // 10_000 % 100:02d}-{v % 10_000:04d}" for v in ids],
    }


def _surname(value: str) -> str | None:
    surname = normalise_surname(value)
    return surname.full if surname else None


def _code(text: str | None) -> str | None:
    """The Soundex code of a normalised name's first word, as the tokens hold it."""
    return A.soundex(text.split()[0]) if text else None


# ---- the attacker's knowledge ---------------------------------------------------------------------------


def _table(table: Table, normalise: Callable[[str], str | None], share: float) -> list[tuple[str, float]]:
    whole = sum(w for _, w in table)
    return [(normalise(v) or "", share * w / whole) for v, w in table]


def given_name_knowledge() -> dict[Hashable, float]:
    """First-name frequencies: half girls, half boys, as the encoder normalises them."""
    return A.normalised_frequencies(_table(FIRST_NAMES_FEMALE, normalise_given_name, 0.5)
                                    + _table(FIRST_NAMES_MALE, normalise_given_name, 0.5))


def middle_name_knowledge() -> dict[Hashable, float]:
    return A.normalised_frequencies(_table(MIDDLE_NAMES_FEMALE, normalise_given_name, 0.5)
                                    + _table(MIDDLE_NAMES_MALE, normalise_given_name, 0.5))


def surname_knowledge() -> dict[Hashable, float]:
    """Surname frequencies, with the double surnames a quarter of Hispanic households give (people.py)."""
    whole = sum(w for _, w in SURNAMES)
    seconds = {n: w for n, w in SURNAMES if n in HISPANIC_SURNAMES and " " not in n}
    weighted: list[tuple[str, float]] = []
    for name, weight in SURNAMES:
        p = weight / whole
        if name not in seconds:
            weighted.append((_surname(name) or "", p))
            continue
        weighted.append((_surname(name) or "", p * (1 - DOUBLE_SURNAME_RATE)))
        others = sum(w for n, w in seconds.items() if n != name)
        weighted += [(_surname(f"{name} {second}") or "", p * DOUBLE_SURNAME_RATE * w / others)
                     for second, w in seconds.items() if second != name]
    return A.normalised_frequencies(weighted)


def street_knowledge() -> dict[Hashable, float]:
    """The attacker's model of street addresses: street name, type and apartment by the public tables
    and rate (`accord.synth.rosters.bulk.addresses`); house and unit numbers are left out (`#`)."""
    names = [(normalise_street_address(n), w) for n, w in STREET_NAMES]
    kinds = [(normalise_street_address(n), w) for n, w in STREET_TYPES]
    return A.normalised_frequencies(
        (f"{A.WILDCARD} {name} {kind}{unit}", w * v * (APARTMENT_RATE if unit else 1 - APARTMENT_RATE))
        for name, w in names for kind, v in kinds for unit in ("", f" apt {A.WILDCARD}"))


STREET_NAME_TEXTS = {normalise_street_address(name) or "": None for name, _ in STREET_NAMES}


def street_name(street: str | None) -> str | None:
    """The street name in a normalised street address ('12 oak st apt 3b' -> 'oak')."""
    if not street:
        return None
    _, _, rest = street.partition(" ")
    found = [name for name in STREET_NAME_TEXTS if f"{rest} ".startswith(f"{name} ")]
    return max(found, key=len) if found else None


def zip_knowledge() -> dict[Hashable, float]:
    """ZIP frequencies: a city by its weight, then one of its ZIPs."""
    return A.normalised_frequencies((z, weight / len(zips)) for _, zips, weight in CITIES for z in zips)


def house_number_knowledge() -> dict[Hashable, float]:
    """House numbers are int(10 ** (0.5 + 3.5 * U)), U uniform (bulk.addresses)."""
    low, high = 0.5, 4.0
    return {str(n): (min(math.log10(n + 1), high) - max(math.log10(n), low)) / (high - low)
            for n in range(3, 10_000)}


def _dates(key: Callable[[date], Hashable]) -> A.Part:
    return A.Part.of(A.normalised_frequencies((key(d), 1.0) for d in BIRTH_DATES))


def _swapped(d: date) -> tuple[int, int, int]:
    return d.year, min(d.month, d.day), max(d.month, d.day)


DATE_PARTS: dict[str, Callable[[date], Hashable]] = {
    "date": lambda d: (d.year, d.month, d.day), "swapped": _swapped, "year": lambda d: d.year,
    "ym": lambda d: (d.year, d.month), "yd": lambda d: (d.year, d.day), "md": lambda d: (d.month, d.day),
}
# Each token: its name-code part (None, "first", "last" or "pair": both codes, unordered) and the
# other parts it is made of (record.py), for the attacker's model and for the truth.
TOKEN_PARTS: dict[str, tuple[str | None, tuple[str, ...]]] = {
    "tok_dob": (None, ("date",)), "tok_dob_pair": (None, ("date",)), "tok_dob_swapped": (None, ("swapped",)),
    "tok_dob_first": ("first", ("date",)), "tok_swapped_names": ("pair", ("swapped",)),
    "tok_dob_postcode": (None, ("date", "zip")),
}
# The household tokens with two of the date's parts: token -> that part.
HOME_TOKENS = {"tok_home_ym": "ym", "tok_home_yd": "yd", "tok_home_md": "md"}
# Unhardened tokens: keyed hashes of low-cardinality combinations, the kind record.py never makes
# (v1's tok_names, v2's tok_surname_yob, a ZIP or a name code alone).
BASELINE_TOKENS: dict[str, tuple[str | None, tuple[str, ...]]] = {
    "zip alone": (None, ("zip",)), "first-name code alone": ("first", ()), "surname code alone": ("last", ()),
    "both name codes": ("pair", ()), "year + surname code": ("last", ("year",)),
}


def code_parts(first: Mapping[Hashable, float], last: Mapping[Hashable, float]) -> dict[str, A.Part]:
    """Name-code parts: the first name's code, the surname's, and the unordered pair of both."""
    first_codes = A.normalised_frequencies((_code(str(v)), p) for v, p in first.items())
    last_codes = A.normalised_frequencies((_code(str(v)), p) for v, p in last.items())
    pairs = A.normalised_frequencies((tuple(sorted((f, s))), pf * ps)
                                     for f, pf in first_codes.items() for s, ps in last_codes.items())
    return {"first": A.Part.of(first_codes), "last": A.Part.of(last_codes), "pair": A.Part.of(pairs)}


# ---- the population as the hub and the attacker see it ------------------------------------------------


@dataclass(frozen=True, repr=False)
class Encoding:
    """The name and street filters of the roster under one scheme, and the salt classes the attacker
    recovers for it."""

    scheme: str
    filters: dict[str, list[bytes | None]]
    classes: dict[str, list[list[int]]]  # field -> groups of records known to share a salt
    salt_model: dict[str, list[float]]  # field -> probabilities of the scheme's salt classes
    years: list[list[int]]  # the true year-of-birth classes, given to the attacker (see below)

    def __repr__(self) -> str:
        return f"Encoding({self.scheme})"


@dataclass(frozen=True, repr=False)
class Population:
    columns: dict[str, list[str]]
    real: Encoding  # encoder v5, as the hub receives it
    unsalted: Encoding  # unhardened: one constant salt
    year_salted: Encoding  # unhardened for the class-by-class attacks: salted with the year of birth
    tokens: dict[str, list[int | None]]  # v5 token columns
    truth: dict[str, list[Hashable | None]]  # field, street name or token -> each record's true value
    known: dict[str, dict[Hashable, float]]  # field -> the attacker's value frequencies
    parts: dict[str, A.Part]  # the attacker's models of token parts
    # (attack, scheme, field, id of the record groups) -> labels: the year-salted baseline's salt
    # classes are its year classes, so two attacks run the same mining there.
    memo: dict[tuple[str, str, str, int], Mapping[bytes, str]] = dataclass_field(default_factory=dict)

    def __repr__(self) -> str:  # never the rows: a failing test must not show names
        return f"Population({len(self.columns['record_id'])} synthetic children)"


def _filters(blooms: np.ndarray, present: np.ndarray) -> list[bytes | None]:
    rows = np.ascontiguousarray(blooms.T.astype("<i8"))
    return [row.tobytes() if ok else None for row, ok in zip(rows, present, strict=True)]


def _unhardened(texts: Sequence[str | None], field: str, salts: np.ndarray) -> list[bytes | None]:
    """The same keyed, independent hashing under the baseline key, with the given salts."""
    label, hashes = BLOOM_FIELDS[field]
    blooms, present = BloomEncoder(BASELINE_KEY, BloomParams(1024, hashes)).encode_many(label, salts, texts)
    return _filters(blooms, present)


def surname_salt_classes(tokens: Mapping[str, Sequence[int | None]]) -> list[list[int]]:
    """The last name's salt classes: records sharing tok_dob_first (the date and the first-name
    code), and records without a first name by their date alone (tok_dob_pair), their salt."""
    salt = [("date and code", f) if f is not None else ("date", d) if d is not None else None
            for f, d in zip(tokens["tok_dob_first"], tokens["tok_dob_pair"], strict=True)]
    return A.salt_classes({"surname salt": salt}, ("surname salt",))  # type: ignore[dict-item]


@pytest.fixture(scope="module")
def population() -> Population:
    return build_population()


def build_population(seed: int = SEED) -> Population:
    """The roster drawn with `seed`, encoded as the hub receives it, and what the attacker knows."""
    columns = synthetic_roster(seed)
    batch = RecordEncoder(SECRET_KEY).encode_columns(columns)
    tokens = {name: [int(v) if ok else None
                     for v, ok in zip(batch.tokens[name], batch.present[name], strict=True)]
              for name in TOKENS}
    births = [date.fromisoformat(d) for d in columns["date_of_birth"]]
    first = [normalise_given_name(v) for v in columns["first_name"]]
    last = [_surname(v) for v in columns["last_name"]]
    street = [normalise_street_address(v) for v in columns["street_address"]]
    postcode = [normalise_postcode(v) for v in columns["postcode"]]
    texts: dict[str, list[str | None]] = {
        "first_name": first, "middle_name": [normalise_given_name(v) for v in columns["middle_name"]],
        "last_name": last, "first_name_home": first, STREET: street}
    truth: dict[str, list[Hashable | None]] = {field: list(values) for field, values in texts.items()}
    truth["street name"] = [street_name(s) for s in street]
    truth["national_id"] = [v.replace("-", "") for v in columns["national_id"]]
    codes = {"first": [_code(v) for v in first], "last": [_code(v) for v in last]}
    codes["pair"] = [tuple(sorted((f, s))) if f and s else None
                     for f, s in zip(codes["first"], codes["last"], strict=True)]
    record_parts = {**codes, "zip": postcode, **{p: list(map(key, births)) for p, key in DATE_PARTS.items()}}
    for name, (code, others) in {**TOKEN_PARTS, **BASELINE_TOKENS}.items():
        made_of = [record_parts[part] for part in ((code,) if code else ()) + others]
        truth[name] = [None if None in parts else parts for parts in zip(*made_of, strict=True)]
    truth["tok_street_postcode"] = [(s, z) if s and z else None
                                    for s, z in zip(street, postcode, strict=True)]
    for name, part in HOME_TOKENS.items():
        truth[name] = [(s, z, d) if s and z else None
                       for s, z, d in zip(street, postcode, record_parts[part], strict=True)]
    given = given_name_knowledge()
    known = {"first_name": given, "first_name_home": given, "middle_name": middle_name_knowledge(),
             "last_name": surname_knowledge(), STREET: street_knowledge(),
             "national_id": dict.fromkeys(truth["national_id"], 1 / CHILDREN)}
    parts = {**{part: _dates(key) for part, key in DATE_PARTS.items()}, "zip": A.Part.of(zip_knowledge()),
             **code_parts(given, known["last_name"])}

    fields = (*NAME_FIELDS, STREET)
    exact = A.salt_classes(tokens, A.SALT_TOKENS)
    households = A.salt_classes(tokens, A.HOUSEHOLD_TOKENS)
    # v3's tokens chained nearly every record into its year class; v4's and v5's do not (see
    # test_tokens_do_not_chain_records_into_year_classes), so the attacker is simply given the true
    # classes: the attacks within them are stronger than any the hub could mount.
    by_year: dict[int, list[int]] = {}
    for i, born in enumerate(births):
        by_year.setdefault(born.year, []).append(i)
    years = sorted(by_year.values(), key=len, reverse=True)
    classes = {**dict.fromkeys(fields, exact), "first_name_home": households,
               "last_name": surname_salt_classes(tokens)}
    salt_model = {**{f: [1.0] * len(BIRTH_DATES) for f in fields}, "first_name_home": [1.0] * len(households),
                  "last_name": list(np.outer([1.0] * len(BIRTH_DATES), parts["first"].probs).ravel())}
    real = Encoding(
        "v5", {f: _filters(batch.blooms[f], batch.present[f]) for f in (*fields, "national_id")},
        classes, salt_model, years)
    zero = np.zeros(CHILDREN, np.uint64)
    unsalted = Encoding("unsalted", {f: _unhardened(texts[f], f, zero) for f in fields},
                        dict.fromkeys(fields, [list(range(CHILDREN))]), dict.fromkeys(fields, [1.0]), years)
    year_of_birth = np.array([d.year for d in births], np.uint64)
    year_shares = list(parts["year"].probs)
    year_salted = Encoding("year-salted", {f: _unhardened(texts[f], f, year_of_birth) for f in fields},
                           dict.fromkeys(fields, years), dict.fromkeys(fields, year_shares), years)
    return Population(columns, real, unsalted, year_salted, tokens, truth, known, parts)


# ---- filter attacks -----------------------------------------------------------------------------------

Attack = Callable[[Population, Encoding, str], Mapping[bytes, str]]
Scores = dict[tuple[str, str], A.Score]  # (attack, field) -> score

FREQUENCY_ATTACKS: dict[str, Attack] = {
    "Kuzu frequency alignment": lambda p, e, f: A.frequency_alignment_attack(
        e.filters[f], p.known[f]),
    "Bayesian frequency, unsalted model": lambda p, e, f: A.salt_aware_frequency_attack(
        e.filters[f], p.known[f], [1.0]),
}
SALT_AWARE_FREQUENCY_ATTACKS: dict[str, Attack] = {
    "Bayesian frequency, the scheme's salt model": lambda p, e, f: A.salt_aware_frequency_attack(
        e.filters[f], p.known[f], e.salt_model[f]),
    "Bayesian frequency within recovered salt classes": lambda p, e, f: A.grouped_frequency_attack(
        e.filters[f], p.known[f], e.classes[f]),
}


def _mined(p: Population, e: Encoding, field: str, groups: list[list[int]] | None) -> Mapping[bytes, str]:
    """Pattern mining over the whole file (groups None) or class by class, memoised."""
    key = ("names", e.scheme, field, id(groups))
    if key not in p.memo:
        p.memo[key] = A.pattern_mining_attack(e.filters[field], p.known[field], groups, min_group=MIN_GROUP)
    return p.memo[key]


PATTERN_ATTACKS: dict[str, Attack] = {
    "pattern mining, whole file": lambda p, e, f: _mined(p, e, f, None),
}
SALT_AWARE_PATTERN_ATTACKS: dict[str, Attack] = {
    "pattern mining within year classes": lambda p, e, f: _mined(p, e, f, e.years),
    "pattern mining within recovered salt classes": lambda p, e, f: _mined(p, e, f, e.classes[f]),
}
# Attack -> the unhardened encoding it must break. The frequency attacks' salt classes are then the
# one constant salt; the mining class by class needs large classes: years.
BASELINE_OF = {**dict.fromkeys([*FREQUENCY_ATTACKS, *SALT_AWARE_FREQUENCY_ATTACKS, *PATTERN_ATTACKS],
                               "unsalted"),
               **dict.fromkeys(SALT_AWARE_PATTERN_ATTACKS, "year_salted")}
NAME_ATTACKS = {**FREQUENCY_ATTACKS, **SALT_AWARE_FREQUENCY_ATTACKS,
                **PATTERN_ATTACKS, **SALT_AWARE_PATTERN_ATTACKS}


def _run(population: Population, encoding: Encoding, attacks: Mapping[str, Attack],
         fields: Sequence[str] = NAME_FIELDS) -> Scores:
    """Every attack on every field of one encoding."""
    return {(name, field): A.score(attack(population, encoding, field), encoding.filters[field],
                                   population.truth[field])
            for field in fields for name, attack in attacks.items()}


def _report(scores: Mapping[tuple[str, str], A.Score]) -> str:
    return "\n".join(f"{name} on {field}: {s.filters} re-identified ({s.values} distinct values, "
                     f"{s.records} records = {s.fraction:.2%}; {s.labelled} labelled)"
                     for (name, field), s in scores.items())


def _works(scores: Mapping[tuple[str, str], A.Score], encoded: int) -> bool:
    values = sum(s.values for s in scores.values())
    records = sum(s.records for s in scores.values())
    return values >= BASELINE_VALUES or records >= BASELINE_FRACTION * encoded


@pytest.mark.parametrize("attack", NAME_ATTACKS)
def test_attack_re_identifies_names_in_unhardened_filters(population: Population, attack: str) -> None:
    """Without the salts the same attack must work, or its zero on the real encodings proves nothing."""
    baseline: Encoding = getattr(population, BASELINE_OF[attack])
    scores = _run(population, baseline, {attack: NAME_ATTACKS[attack]}, BASELINE_FIELDS)
    encoded = sum(f is not None for field in BASELINE_FIELDS for f in baseline.filters[field])
    assert _works(scores, encoded), (
        f"{attack} does not even break {baseline.scheme} filters:\n{_report(scores)}")


def test_frequency_attacks_re_identify_no_name(population: Population) -> None:
    scores = _run(population, population.real, {**FREQUENCY_ATTACKS, **SALT_AWARE_FREQUENCY_ATTACKS})
    leaks = {key: s for key, s in scores.items() if s.any}
    assert not leaks, f"frequency attacks re-identified names:\n{_report(leaks)}"


def test_pattern_mining_re_identifies_no_name(population: Population) -> None:
    scores = _run(population, population.real, {**PATTERN_ATTACKS, **SALT_AWARE_PATTERN_ATTACKS})
    leaks = {key: s for key, s in scores.items() if s.any}
    assert not leaks, f"pattern mining re-identified names:\n{_report(leaks)}"


def test_salt_classes_are_recovered_exactly_and_too_small_to_mine(population: Population) -> None:
    """The attacker's salt classes are the true ones (records sharing tok_dob_pair share the birth
    date, and all records born on one day share it): the attacks within them are as strong as they
    can be. None holds enough records to mine."""
    born = population.columns["date_of_birth"]
    classes = A.salt_classes(population.tokens, A.SALT_TOKENS)
    pure = sum(len({born[i] for i in group}) == 1 for group in classes)
    days = len(set(born))
    largest = len(classes[0])
    assert pure == len(classes) == days, f"{pure} pure classes of {len(classes)}; {days} birth dates"
    assert largest < MIN_GROUP, f"largest salt class: {largest} records"


def test_surname_salt_classes_are_one_date_and_one_first_name_code(population: Population) -> None:
    """The last name's salt classes, recovered through tok_dob_first (and tok_dob_pair for records
    without a first name), are exactly the records sharing a birth date and a first-name code: what
    the grouped frequency attack on last_name runs within."""
    born = population.columns["date_of_birth"]
    first = population.truth["first_name"]

    def salt(i: int) -> tuple[str, str | None]:
        return born[i], _code(str(first[i])) if first[i] else None

    classes = surname_salt_classes(population.tokens)
    pure = sum(len({salt(i) for i in group}) == 1 for group in classes)
    assert pure == len(classes) == len({salt(i) for i in range(CHILDREN)}), f"{pure} pure classes"
    assert len(classes[0]) < MIN_GROUP, f"largest surname salt class: {len(classes[0])} records"


def test_tokens_do_not_chain_records_into_year_classes(population: Population) -> None:
    """Records sharing a year-bearing token share the year of birth; v3's tokens with a surname code
    alone chained nearly the whole roster into year classes, which the attacker could then mine.
    Since v4 the year-bearing tokens all hold both name codes or a full date, so no chain grows large."""
    chained = A.salt_classes(population.tokens, A.YEAR_TOKENS)
    assert len(chained[0]) < MIN_GROUP, f"largest chain of year-bearing tokens: {len(chained[0])} records"


# ---- the street -----------------------------------------------------------------------------------------


def _street_attack(p: Population, e: Encoding, groups: list[list[int]] | None) -> A.Score:
    """Street-name inference: mine the street filters, align them with the attacker's model of
    street addresses, and label each filter with the one street name whose bigrams it holds."""
    key = ("street", e.scheme, STREET, id(groups))
    if key not in p.memo:
        names = {name: f" {name} " for name in STREET_NAME_TEXTS}
        p.memo[key] = A.component_attack(e.filters[STREET], p.known[STREET], names, groups,
                                         min_group=MIN_GROUP, hashes=BLOOM_FIELDS[STREET][1], max_patterns=80)
    return A.score(p.memo[key], e.filters[STREET], p.truth["street name"])


STREET_ATTACKS: dict[str, tuple[str, Callable[[Population, Encoding], A.Score]]] = {
    "street-name inference, whole file": ("unsalted", lambda p, e: _street_attack(p, e, None)),
    "street-name inference within year classes": ("year_salted", lambda p, e: _street_attack(p, e, e.years)),
    "street-name inference within recovered salt classes": (
        "year_salted", lambda p, e: _street_attack(p, e, e.classes[STREET])),
}


@pytest.mark.parametrize("attack", STREET_ATTACKS)
def test_street_name_inference(population: Population, attack: str) -> None:
    """The street filter holds the house number, the street name and type, salted with the birth date:
    does the pattern of a frequent street name's bigrams give the street away?"""
    baseline_scheme, run = STREET_ATTACKS[attack]
    baseline = run(population, getattr(population, baseline_scheme))
    encoded = sum(f is not None for f in population.real.filters[STREET])
    works = (_works({(attack, STREET): baseline}, encoded)
             or baseline.records >= STREET_BASELINE_FRACTION * encoded)
    assert works, f"{attack} fails on {baseline_scheme}: {baseline}"
    real = run(population, population.real)
    assert not real.any, (
        f"{attack} inferred the street name from {real.filters} street filters ({real.values} distinct "
        f"streets, {real.records} records = {real.fraction:.2%}; {real.labelled} labelled; "
        f"{baseline_scheme} baseline: {baseline.records} records)")


# ---- the national id ------------------------------------------------------------------------------------


def test_frequency_attacks_find_nothing_in_national_ids(population: Population) -> None:
    """Unsalted, but its values are unique: every filter and token is seen once, which is no frequency
    information at all, even to an attacker holding the list of every id in the population."""
    scores = _run(population, population.real, FREQUENCY_ATTACKS, ("national_id",))
    labelled = sum(s.labelled for s in scores.values())
    assert labelled == 0, _report(scores)
    filters = max(Counter(population.real.filters["national_id"]).values())
    tokens = max(Counter(population.tokens["tok_national_id"]).values())
    assert filters == tokens == 1, f"a national-id filter seen {filters} times, a token {tokens} times"


# ---- tokens ---------------------------------------------------------------------------------------------


def _token_model(population: Population, name: str) -> tuple[A.Part | None, list[A.Part]]:
    code, others = {**TOKEN_PARTS, **BASELINE_TOKENS}[name]
    return (population.parts[code] if code else None), [population.parts[p] for p in others]


def _street_parts() -> list[A.Part]:
    names = A.normalised_frequencies((normalise_street_address(n), w) for n, w in STREET_NAMES)
    kinds = A.normalised_frequencies((normalise_street_address(n), w) for n, w in STREET_TYPES)
    return [A.Part.of(house_number_knowledge()), A.Part.of(names), A.Part.of(kinds),
            A.Part.of(zip_knowledge())]


TokenAttack = Callable[[Population, str, Sequence[int | None]], Mapping[Hashable, Hashable]]


def _aligned(p: Population, name: str, column: Sequence[int | None]) -> Mapping[Hashable, Hashable]:
    if name == "tok_street_postcode":  # (house number, street name, type, ZIP) -> (street text, ZIP)
        labels = A.token_alignment_attack(column, _street_parts())
        return {t: (" ".join(map(str, c[:3])), c[3]) for t, c in labels.items()}
    if name in HOME_TOKENS:  # the same, with two of the date's parts
        labels = A.token_alignment_attack(column, [*_street_parts(), p.parts[HOME_TOKENS[name]]])
        return {t: (" ".join(map(str, c[:3])), c[3], c[4]) for t, c in labels.items()}
    code, others = _token_model(p, name)
    return A.token_alignment_attack(column, [code, *others] if code else others)


# attack -> (run, whether it labels the name code only)
TOKEN_ATTACKS: dict[str, tuple[TokenAttack, bool]] = {
    "Kuzu rank alignment, whole combination": (_aligned, False),
    "Bayesian frequency, whole combination": (
        lambda p, name, column: A.token_frequency_attack(column, *_token_model(p, name))[0], False),
    "Bayesian frequency, name-code part": (
        lambda p, name, column: A.token_frequency_attack(column, *_token_model(p, name))[1], True),
}


def _baseline_tokens(population: Population) -> dict[str, list[int | None]]:
    """Unhardened tokens: a keyed hash of each low-cardinality combination."""
    def token(combination: Hashable | None) -> int | None:
        if combination is None:
            return None
        digest = hashlib.blake2b(repr(combination).encode(), key=BASELINE_KEY, digest_size=8).digest()
        return int.from_bytes(digest, "little", signed=True)
    return {name: list(map(token, population.truth[name])) for name in BASELINE_TOKENS}


def _token_scores(population: Population, attack: str, columns: Mapping[str, Sequence[int | None]]) -> Scores:
    """One attack on every token column it applies to: those with a name code for the name-code attack,
    all but tok_street_postcode (too many combinations to weigh) and tok_national_id (unique values,
    see above) for the Bayesian attack on whole combinations."""
    run, code_only = TOKEN_ATTACKS[attack]
    models = {**TOKEN_PARTS, **BASELINE_TOKENS}
    scores = {}
    for name, column in columns.items():
        households = ("tok_street_postcode", *HOME_TOKENS)  # the attacker's model of them is the street's
        if name == "tok_national_id" or (name in households and run is not _aligned):
            continue
        if code_only and not models[name][0]:
            continue
        truth = population.truth[name]
        if code_only:
            truth = [None if c is None else c[0] for c in truth]
        scores[(attack, name)] = A.score(run(population, name, column), column, truth)
    return scores


@pytest.mark.parametrize("attack", TOKEN_ATTACKS)
def test_token_frequency_attack_works_on_unhardened_tokens(population: Population, attack: str) -> None:
    scores = _token_scores(population, attack, _baseline_tokens(population))
    assert _works(scores, CHILDREN * len(scores)), f"{attack} fails on unhardened tokens:\n{_report(scores)}"


@pytest.mark.parametrize("attack", TOKEN_ATTACKS)
def test_token_frequency_attack_re_identifies_nothing(population: Population, attack: str) -> None:
    """Equal tokens show the hub their combination's frequency: rank-aligned or weighed by their
    posterior against the frequencies the attacker computes from the public tables, no token may be
    mapped to its true combination (or, for tokens with name codes, to its true name code)."""
    scores = _token_scores(population, attack, population.tokens)
    leaks = {key: s for key, s in scores.items() if s.any}
    assert not leaks, f"{attack} re-identified tokens:\n{_report(leaks)}"


# Tokens holding the surname code, alone or paired with the first name's: together they weigh on each
# record's surname. A pair token is modelled as the surname code with the first-name code as one more
# part, which is how the attacker marginalises the first name out.
SURNAME_TOKENS = tuple(name for name, (code, _) in TOKEN_PARTS.items() if code in ("last", "pair"))


def _surname_parts(name: str) -> tuple[str, ...]:
    """The parts other than the surname code that a surname-bearing token is made of."""
    code, others = {**TOKEN_PARTS, **BASELINE_TOKENS}[name]
    return ("first", *others) if code == "pair" else others


def _surname_inference(population: Population, columns: Mapping[str, Sequence[int | None]]
                       ) -> tuple[A.Score, A.Score]:
    """Record-level Bayesian inference of the surname code from all of a record's surname-code tokens
    (`attacks.record_code_attack`), then of the surname: the code's most common surname, when the
    posterior of the code times that surname's share of the code is at least one half. Scores
    (code, surname), one key per record."""
    labels = A.record_code_attack(
        [(column, [population.parts[part] for part in _surname_parts(name)])
         for name, column in columns.items()],
        population.parts["last"])
    by_code: dict[Hashable, dict[Hashable, float]] = {}
    for value, p in population.known["last_name"].items():
        by_code.setdefault(_code(str(value)), {})[value] = p
    best = {code: max(values, key=values.__getitem__) for code, values in by_code.items()}
    share = {code: values[best[code]] / sum(values.values()) for code, values in by_code.items()}
    records = list(range(CHILDREN))
    truth = population.truth["last_name"]
    codes = A.score({i: code for i, (code, _) in labels.items()}, records, [_code(v) for v in truth])
    surnames = A.score({i: best[code] for i, (code, posterior) in labels.items()
                        if posterior * share[code] >= 0.5}, records, truth)
    return codes, surnames


def test_record_level_surname_inference_works_on_unhardened_tokens(population: Population) -> None:
    tokens = _baseline_tokens(population)
    codes, surnames = _surname_inference(
        population, {name: tokens[name] for name in BASELINE_TOKENS if BASELINE_TOKENS[name][0] == "last"})
    assert _works({("surname", "tokens"): surnames}, CHILDREN), f"codes: {codes}; surnames: {surnames}"


def test_tokens_reveal_no_surname(population: Population) -> None:
    """A record's tokens holding its surname code with its birth date (alone, or paired with the first
    name's code): the count of each is larger for a common surname code, and together they may
    single that code out."""
    columns = {name: population.tokens[name] for name in SURNAME_TOKENS}
    codes, surnames = _surname_inference(population, columns)
    assert not codes.any and not surnames.any, (
        f"record-level inference from {', '.join(SURNAME_TOKENS)}: surname code of {codes.records} records "
        f"({codes.values} distinct codes; {codes.labelled} labelled), surname of {surnames.records} records "
        f"({surnames.values} distinct surnames; {surnames.labelled} labelled)")


def test_tokens_do_not_expose_a_low_cardinality_field(population: Population) -> None:
    """Every token must combine enough to have many values, none of them common."""
    for name in TOKENS:
        values = Counter(t for t in population.tokens[name] if t is not None)
        distinct = len(values)
        assert distinct >= 1000, f"{name}: only {distinct} distinct values"
        top = values.most_common(1)[0][1]
        assert top <= 0.01 * CHILDREN, f"{name}: one value covers {top} records"


def test_roster_follows_the_known_frequencies(population: Population) -> None:
    """The attacker's knowledge is the population's: observed name shares match the tables."""
    for field in ("first_name", "last_name"):
        observed = Counter(population.truth[field])
        known = population.known[field]
        top = sorted(known, key=known.__getitem__, reverse=True)[:5]
        off = sum(abs(observed[value] / CHILDREN - known[value]) >= 0.01 for value in top)
        assert off == 0, f"{field}: {off} of the 5 most common values off by 1 point or more"
