"""Agency rosters drawn from one true population, each copy corrupted on its own, plus the truth.

``write_rosters`` writes ``<agency>.csv`` for every agency and ``truth.csv`` (agency, record_id,
person_id) into one directory, all at once or not at all. Record ids are random per agency and say
nothing about the person; rows are in random order; about 1% of each agency's people are entered
twice under two record ids, with independent errors, so deduplication has something to find.
"""

from __future__ import annotations

import random
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from accord.synth.rosters.bulk import paused_gc
from accord.synth.rosters.errors import DOB, SEX, Row, apply_errors
from accord.synth.rosters.files import staged_directory, write_csv
from accord.synth.rosters.people import Person, build_people, population
from accord.synth.rosters.specs import DEFAULT_AGENCIES, HEADER, ISO, US, AgencySpec, date_formatter

TRUTH_FILE = "truth.csv"
TRUTH_HEADER = ("agency", "record_id", "person_id")
_AGENCY_NAME = re.compile(r"[a-z][a-z0-9_]{0,39}")


@dataclass(frozen=True, slots=True)
class AgencyCounts:
    """Rows in one roster: all of them, second entries of a person, and people outside the school."""

    rows: int
    duplicates: int
    outsiders: int
    errors: Mapping[str, int]  # records hit by each error kind (a record may have several)


@dataclass(frozen=True, slots=True)
class RosterSummary:
    """Counts only: no names, dates or addresses."""

    students: int
    agencies: Mapping[str, AgencyCounts]
    truth_rows: int


def _outsider_counts(students: int, agencies: Mapping[str, AgencySpec]) -> dict[str, int]:
    return {name: round(spec.outsiders * round(spec.coverage * students)) for name, spec in agencies.items()}


def outsider_pool(students: int, seed: int, agencies: Mapping[str, AgencySpec] | None = None) -> list[Person]:
    """People outside the school population whom agencies may hold, numbered after the students.

    One pool serves every agency and holds 80% of the agencies' combined outsider count, so some
    outsiders appear at more than one agency, as a child outside school often does.
    """
    counts = _outsider_counts(students, DEFAULT_AGENCIES if agencies is None else agencies)
    size = max([0, *counts.values(), round(0.8 * sum(counts.values()))])
    with paused_gc():
        return build_people(size, random.Random(f"{seed}/outsiders"), first_number=students + 1)


def _members(school: list[Person], pool: list[Person], spec: AgencySpec, outsiders: int,
             rng: random.Random) -> tuple[list[Person], int]:
    """The agency's people in roster order, duplicates included, and the number of duplicates."""
    people = rng.sample(school, round(spec.coverage * len(school))) + rng.sample(pool, outsiders)
    again = rng.sample(people, round(spec.duplicates * len(people)))
    people += again
    rng.shuffle(people)
    return people, len(again)


def _unique_ids(rng: random.Random, k: int) -> list[int]:
    """``k`` distinct random 32-bit numbers: draw freely, then redraw the few (~100 per million) repeats."""
    draw = rng.getrandbits
    numbers = [draw(32) for _ in range(k)]
    if len(set(numbers)) < k:
        seen: set[int] = set()
        for i, number in enumerate(numbers):
            while number in seen:
                number = draw(32)
            numbers[i] = number
            seen.add(number)
    return numbers


def _rows(people: list[Person], prefix: str, rng: random.Random) -> list[Row]:
    """Clean copies of ``people`` under unique random record ids."""
    ids = _unique_ids(rng, len(people))
    iso = {born: born.isoformat() for born in {p.date_of_birth for p in people}}
    # Eight hex digits after the prefix, e.g. HLT-7F3A21C9.
    return [[f"{prefix}-{n:08X}", first, middle, last, iso[born], sex, street, city, postcode]
            for n, (_, first, middle, last, born, sex, street, city, postcode)
            in zip(ids, people, strict=True)]


def _written_form(rows: list[Row], spec: AgencySpec) -> None:
    """Dates and sex as this agency writes them (dates are ISO until now so errors can work on them)."""
    female, male = spec.sex_codes
    codes = {"F": female, "M": male, "": ""}
    write_date = date_formatter(spec.date_format)
    for row in rows:
        row[SEX] = codes[row[SEX]]
        if spec.date_format != ISO:
            row[DOB] = write_date(row[DOB])


def write_rosters(students: int, out: Path, seed: int,
                  agencies: Mapping[str, AgencySpec] | None = None) -> RosterSummary:
    """Write ``<agency>.csv`` per agency and ``truth.csv`` into directory ``out``; deterministic per seed.

    Files already in ``out`` with the same names are replaced; a failure part-way leaves ``out``
    untouched (everything is written beside it first). Agency names must be lower-case identifiers.
    """
    if students < 1:
        raise ValueError("students must be at least 1")
    specs = dict(DEFAULT_AGENCIES if agencies is None else agencies)
    for name in specs:
        if not _AGENCY_NAME.fullmatch(name) or name == "truth":
            raise ValueError(f"agency name {name!r} must be a lower-case identifier other than 'truth'")
    school = population(students, seed)
    pool = outsider_pool(students, seed, specs)
    outsiders = _outsider_counts(students, specs)
    counts: dict[str, AgencyCounts] = {}
    truth: list[tuple[str, str, str]] = []
    with paused_gc(), staged_directory(out) as staging:
        for name, spec in specs.items():
            # One stream per agency: adding or changing an agency leaves the others' rosters as they were.
            rng = random.Random(f"{seed}/agency/{name}")
            people, duplicates = _members(school, pool, spec, outsiders[name], rng)
            rows = _rows(people, spec.id_prefix(name), rng)
            errors = apply_errors(rows, people, rng)
            _written_form(rows, spec)
            truth += [(name, row[0], person.person_id) for row, person in zip(rows, people, strict=True)]
            write_csv(staging / f"{name}.csv", HEADER, rows)
            counts[name] = AgencyCounts(len(rows), duplicates, outsiders[name], errors)
            del rows, people  # a million-row roster is large; free it before building the next
        write_csv(staging / TRUTH_FILE, TRUTH_HEADER, truth)
    return RosterSummary(students, counts, len(truth))


def pair_rosters(n: int, out: Path, seed: int, duplicates: float = 0.0) -> RosterSummary:
    """Two rosters of about ``n`` rows for benchmarks: ``left`` holds all ``n`` people, ``right`` 80%
    of them plus outsiders making up the rest; no duplicates by default, so the truth is one-to-one.
    """
    agencies = {
        "left": AgencySpec(1.0, 0.0, ISO, ("F", "M"), duplicates, prefix="LFT"),
        "right": AgencySpec(0.8, 0.25, US, ("female", "male"), duplicates, prefix="RGT"),
    }
    return write_rosters(n, out, seed, agencies)
