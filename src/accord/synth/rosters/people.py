"""The true population behind the rosters: children living in households in one invented county.

Households share a surname and an address, so siblings look alike to a matcher and must not be
merged; about 3% of children are twins (same surname, birth date and address, different first
names), the hardest case of all. About a quarter of households with a Hispanic surname give their
children a double surname ("García López", sometimes hyphenated). Everyone is 4-19 years old on
2026-09-01. Fields are drawn in bulk with ``random.choices(..., cum_weights=...)`` because this
runs for a million people.
"""

from __future__ import annotations

import functools
import itertools
import random
from datetime import date, timedelta
from typing import NamedTuple

from accord.synth.rosters.bulk import addresses, paused_gc, pick
from accord.synth.rosters.names import (
    FIRST_NAMES_FEMALE,
    FIRST_NAMES_MALE,
    HISPANIC_SURNAMES,
    MIDDLE_NAMES_FEMALE,
    MIDDLE_NAMES_MALE,
    SURNAMES,
    weighted,
)

AS_OF = date(2026, 9, 1)
EARLIEST_BIRTH = date(2006, 9, 2)  # 19 years old on AS_OF, the day before turning 20
LATEST_BIRTH = date(2022, 9, 1)  # exactly 4 years old on AS_OF
MIDDLE_NAME_RATE = 0.70
DOUBLE_SURNAME_RATE = 0.25  # of households with a Hispanic surname
HYPHENATED_RATE = 0.20  # of those double surnames
# Children per household (school-age children only). With TWIN_RATE of the multi-child households
# holding a twin pair, about 3% of children are twins: 2 * 0.05 * 0.55 / 1.81 children per home.
HOUSEHOLD_SIZES = ((1, 45), (2, 35), (3, 14), (4, 6))
TWIN_RATE = 0.05
SIBLING_GAP = 300  # days

_FEMALE = weighted(FIRST_NAMES_FEMALE)
_MALE = weighted(FIRST_NAMES_MALE)
_MIDDLE_FEMALE = weighted(MIDDLE_NAMES_FEMALE)
_MIDDLE_MALE = weighted(MIDDLE_NAMES_MALE)
_SURNAMES = weighted(SURNAMES)
# Second halves of double surnames: single-word Hispanic surnames, so "de la Cruz" never splits.
_SECOND_SURNAMES = weighted(tuple((n, w) for n, w in SURNAMES if n in HISPANIC_SURNAMES and " " not in n))
_SIZES = weighted(tuple((str(size), weight) for size, weight in HOUSEHOLD_SIZES))
_BIRTH_DATES = [EARLIEST_BIRTH + timedelta(days=d) for d in range((LATEST_BIRTH - EARLIEST_BIRTH).days + 1)]


class Person(NamedTuple):
    """One real child. ``sex`` is "F" or "M"; ``middle_name`` is "" when the child has none.

    A named tuple rather than a dataclass: a million are built at once and tuples build fastest.
    """

    person_id: str
    first_name: str
    middle_name: str
    last_name: str
    date_of_birth: date
    sex: str
    street_address: str
    city: str
    postcode: str


def person_id(number: int) -> str:
    """The ground-truth id of the ``number``-th person (1-based)."""
    return f"P{number:07d}"  # keep in step with the ids built in bulk in build_people


@functools.cache  # called for every record; a county has only a few thousand distinct surnames
def surname_parts(last_name: str) -> tuple[str, ...]:
    """("García", "López") for a double surname built here, else (last_name,) unchanged."""
    for sep in (" ", "-"):
        first, found, second = last_name.partition(sep)
        if found and first in HISPANIC_SURNAMES and second in HISPANIC_SURNAMES and " " not in second:
            return first, second
    return (last_name,)


def _surnames(rng: random.Random, k: int) -> list[str]:
    surnames = pick(rng, _SURNAMES, k)
    for i, surname in enumerate(surnames):
        if surname in HISPANIC_SURNAMES and " " not in surname and rng.random() < DOUBLE_SURNAME_RATE:
            second = surname
            while second == surname:
                second = pick(rng, _SECOND_SURNAMES, 1)[0]
            surnames[i] = f"{surname}{'-' if rng.random() < HYPHENATED_RATE else ' '}{second}"
    return surnames


def build_people(count: int, rng: random.Random, first_number: int = 1) -> list[Person]:
    """``count`` people in households, numbered from ``first_number``; deterministic for ``rng``'s state."""
    sizes: list[int] = []
    while sum(sizes) < count:  # about 1.8 children a household: one draw nearly always suffices
        sizes += map(int, pick(rng, _SIZES, count // 2 + 1))
    ends = list(itertools.takewhile(lambda end: end < count, itertools.accumulate(sizes))) + [count]
    starts = [0, *ends[:-1]]
    # Column-wise: one household index per child, then every column in bulk (a million people).
    home = list(itertools.chain.from_iterable(itertools.repeat(h, e - s) for h, (s, e) in
                                              enumerate(zip(starts, ends, strict=True))))
    surnames, homes = _surnames(rng, len(ends)), addresses(rng, len(ends))
    sexes = rng.choices("FM", k=count)
    girls = sexes.count("F")
    females, males = iter(pick(rng, _FEMALE, girls)), iter(pick(rng, _MALE, count - girls))
    firsts = [next(females) if sex == "F" else next(males) for sex in sexes]
    female_middles = iter(pick(rng, _MIDDLE_FEMALE, girls))
    male_middles = iter(pick(rng, _MIDDLE_MALE, count - girls))
    middles = [next(female_middles) if sex == "F" else next(male_middles) for sex in sexes]
    births = rng.choices(_BIRTH_DATES, k=count)
    for start, end in zip(starts, ends, strict=True):
        if end - start >= 2:
            _siblings(rng, firsts, births, sexes, start, end)
    middles = [m if rng.random() < MIDDLE_NAME_RATE and m != f else ""
               for m, f in zip(middles, firsts, strict=True)]
    ids = [f"P{n:07d}" for n in range(first_number, first_number + count)]
    return list(map(Person._make, zip(
        ids, firsts, middles, [surnames[h] for h in home], births, sexes, [homes[h][0] for h in home],
        [homes[h][1] for h in home], [homes[h][2] for h in home], strict=True)))


def _siblings(rng: random.Random, firsts: list[str], births: list[date], sexes: list[str],
              start: int, end: int) -> None:
    """Make one household's children distinct, except that twins share a birth date."""
    twins = rng.random() < TWIN_RATE
    if twins:
        births[start + 1] = births[start]
    names: set[str] = set()
    days: set[date] = set()
    for i in range(start, end):
        # A family does not give two children the same first name; redraw until it is new.
        while firsts[i] in names:
            firsts[i] = pick(rng, _FEMALE if sexes[i] == "F" else _MALE, 1)[0]
        names.add(firsts[i])
        # Siblings other than twins are born at least ~10 months apart.
        while not (twins and i == start + 1) and any(abs((births[i] - d).days) < SIBLING_GAP for d in days):
            births[i] = rng.choice(_BIRTH_DATES)
        days.add(births[i])


def population(students: int, seed: int) -> list[Person]:
    """The school population for ``seed``: exactly what ``write_rosters(students, ..., seed)`` uses."""
    with paused_gc():
        return build_people(students, random.Random(f"{seed}/population"))
