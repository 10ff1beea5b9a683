"""The error model: how an agency's copy of a person differs from the truth.

Each agency's copy of each person is corrupted independently. Every kind below hits a fixed share
of the records it can apply to ("of ..." names that subset; otherwise it is all records):

    nickname                   15% of records whose first name has a nickname (William -> Bill)
    double_surname_first_part  30% of double surnames ("García López" -> "García")
    surname_changed             1%  a different surname (a step-parent's, a new family's)
    surname_added               1%  a second surname added or a double one hyphenated
    names_swapped             0.5%  first and last name entered the wrong way round
    first_name_typo           2.5%  one insertion, deletion, substitution (mostly a neighbouring
    last_name_typo            2.5%    key) or transposition
    day_month_swapped           3%  of birth dates whose day is 12 or less (and not the month)
    date_typo                 1.5%  one birth-date digit mistyped, still a real date
    moved                       4%  a newer street address; 40% of these also a new city and ZIP
    postcode_typo               1%  one ZIP digit wrong or two swapped
    middle_missing              8%  of middle names: left blank
    field_missing               1%  one of first name, birth date, sex, street, city, ZIP blank
    all_caps                    2%  names and address in capitals
    extra_spaces              1.5%  doubled, leading or trailing spaces in a name or the street
    suffix_jr                   1%  of boys: " Jr." after the surname
    honorific                 0.5%  "Ms. " or "Mr. " before the first name

About 27% of records carry at least one error (measured over 107,000 records; the tests check
18-32%). The record id is never
touched. Date formats and sex codes are not errors: they differ by agency (see ``specs``).
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence

from accord.synth.rosters.bulk import pick, random_address
from accord.synth.rosters.names import HISPANIC_SURNAMES, NICKNAMES, SURNAMES, weighted
from accord.synth.rosters.people import AS_OF, Person, surname_parts
from accord.synth.rosters.typos import date_typo, digit_typo, swap_day_month, typo

Row = list[str]  # the HEADER columns, birth date as YYYY-MM-DD and sex as "F"/"M" until written
RID, FIRST, MIDDLE, LAST, DOB, SEX, STREET, CITY, POSTCODE = range(9)
Apply = Callable[[Row, Person, random.Random], None]

_NICKNAMES = {formal: tuple(nick for f, nick in NICKNAMES if f == formal) for formal, _ in NICKNAMES}
_SURNAMES = weighted(SURNAMES)
_HISPANIC = weighted(tuple((n, w) for n, w in SURNAMES if n in HISPANIC_SURNAMES and " " not in n))
# Which field goes missing: address parts are skipped most often, a first name almost never.
_MISSABLE = ((FIRST, 1), (DOB, 3), (SEX, 4), (STREET, 4), (CITY, 3), (POSTCODE, 4))
_SPACED = (FIRST, LAST, STREET)


def _nickname(row: Row, person: Person, rng: random.Random) -> None:
    row[FIRST] = rng.choice(_NICKNAMES[person.first_name])


def _first_part(row: Row, person: Person, rng: random.Random) -> None:
    row[LAST] = surname_parts(row[LAST])[0]


def _surname_changed(row: Row, person: Person, rng: random.Random) -> None:
    new = row[LAST]
    while new == row[LAST]:
        new = pick(rng, _SURNAMES, 1)[0]
    row[LAST] = new


def _surname_added(row: Row, person: Person, rng: random.Random) -> None:
    parts = surname_parts(row[LAST])
    if len(parts) == 2:  # already double: the other way of writing it
        row[LAST] = "-".join(parts) if " " in row[LAST] else " ".join(parts)
        return
    table = _HISPANIC if row[LAST] in HISPANIC_SURNAMES else _SURNAMES
    row[LAST] += rng.choice(("-", " ")) + pick(rng, table, 1)[0]


def _names_swapped(row: Row, person: Person, rng: random.Random) -> None:
    row[FIRST], row[LAST] = row[LAST], row[FIRST]


def _typo_in(field: int) -> Apply:
    def apply(row: Row, person: Person, rng: random.Random) -> None:
        row[field] = typo(row[field], rng)
    return apply


def _day_month(row: Row, person: Person, rng: random.Random) -> None:
    row[DOB] = swap_day_month(row[DOB])


def _date_typo(row: Row, person: Person, rng: random.Random) -> None:
    row[DOB] = date_typo(row[DOB], rng, AS_OF)


def _moved(row: Row, person: Person, rng: random.Random) -> None:
    street, city, postcode = random_address(rng)
    row[STREET] = street
    if rng.random() < 0.4:
        row[CITY], row[POSTCODE] = city, postcode


def _postcode_typo(row: Row, person: Person, rng: random.Random) -> None:
    row[POSTCODE] = digit_typo(row[POSTCODE], rng)


def _middle_missing(row: Row, person: Person, rng: random.Random) -> None:
    row[MIDDLE] = ""


def _field_missing(row: Row, person: Person, rng: random.Random) -> None:
    fields, weights = zip(*_MISSABLE, strict=True)
    row[rng.choices(fields, weights)[0]] = ""


def _all_caps(row: Row, person: Person, rng: random.Random) -> None:
    for field in (FIRST, MIDDLE, LAST, STREET, CITY):
        row[field] = row[field].upper()


def _extra_spaces(row: Row, person: Person, rng: random.Random) -> None:
    field = rng.choice(_SPACED)
    text = row[field]
    if " " in text and rng.random() < 0.5:
        row[field] = text.replace(" ", "  ", 1)
    else:
        row[field] = rng.choice((" " + text, text + " ", " " + text + " "))


def _suffix_jr(row: Row, person: Person, rng: random.Random) -> None:
    row[LAST] += " Jr."


def _honorific(row: Row, person: Person, rng: random.Random) -> None:
    row[FIRST] = ("Ms. " if person.sex == "F" else "Mr. ") + row[FIRST]


def _day_le_12(p: Person) -> bool:
    return p.date_of_birth.day <= 12 and p.date_of_birth.day != p.date_of_birth.month


# (kind, rate, which people it can apply to (None: everyone), how). Applied in this order, so that
# a surname is changed before it is mistyped, and capitals come last.
ERROR_KINDS: tuple[tuple[str, float, Callable[[Person], bool] | None, Apply], ...] = (
    ("nickname", 0.15, lambda p: p.first_name in _NICKNAMES, _nickname),
    ("double_surname_first_part", 0.30, lambda p: len(surname_parts(p.last_name)) == 2, _first_part),
    ("surname_changed", 0.01, None, _surname_changed),
    ("surname_added", 0.01, None, _surname_added),
    ("names_swapped", 0.005, None, _names_swapped),
    ("first_name_typo", 0.025, None, _typo_in(FIRST)),
    ("last_name_typo", 0.025, None, _typo_in(LAST)),
    ("day_month_swapped", 0.03, _day_le_12, _day_month),
    ("date_typo", 0.015, None, _date_typo),
    ("moved", 0.04, None, _moved),
    ("postcode_typo", 0.01, None, _postcode_typo),
    ("middle_missing", 0.08, lambda p: bool(p.middle_name), _middle_missing),
    ("field_missing", 0.01, None, _field_missing),
    ("all_caps", 0.02, None, _all_caps),
    ("extra_spaces", 0.015, None, _extra_spaces),
    ("suffix_jr", 0.01, lambda p: p.sex == "M", _suffix_jr),
    ("honorific", 0.005, None, _honorific),
)
ERROR_RATES: dict[str, float] = {kind: rate for kind, rate, _, _ in ERROR_KINDS}


def apply_errors(rows: Sequence[Row], people: Sequence[Person], rng: random.Random) -> dict[str, int]:
    """Corrupt ``rows`` in place (``rows[i]`` is a clean copy of ``people[i]``); counts per kind.

    Each kind picks exactly round(rate x eligible) rows at random, so only the few rows hit are
    touched: a million-row roster costs a few list comprehensions, not a loop of dice rolls.
    """
    counts: dict[str, int] = {}
    for kind, rate, eligible, apply in ERROR_KINDS:
        candidates: Sequence[int] = (range(len(rows)) if eligible is None
                                     else [i for i, p in enumerate(people) if eligible(p)])
        chosen = rng.sample(candidates, round(rate * len(candidates)))
        for i in chosen:
            apply(rows[i], people[i], rng)
        counts[kind] = len(chosen)
    return counts
