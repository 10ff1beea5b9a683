"""Synthetic rosters for an eligibility cross-check (direct certification, issue 17), with the truth.

``write_eligibility_rosters`` writes into one directory, all at once or not at all:

    enrollment.csv    the school's roster: each enrolled child once, canonical columns, ISO dates
    program-list.csv  a SNAP-like list: every child of the households on the program (snap for
                      ~85% of households, tanf for the rest), the canonical columns plus `program`
                      and `household_id` ("HH-" and a number; siblings share it), with US dates and
                      sex coded 2/1 as the synth SNAP agency writes them
    truth.csv         each listed record's id and its child's enrollment record id ("" if not enrolled)

The people are the rosters' households (``rosters.people``: shared surnames and addresses, twins,
double surnames). A share ``outsiders`` of them is not enrolled (out of district, private school,
home-schooled): a listed household's children who are not enrolled are the list's outsiders, often
siblings of enrolled children, the hardest not to certify. Households go on the list in random
order until ``coverage`` of the enrolled children are on it. Each file is corrupted on its own by
the rosters' error model (typos, nicknames, day and month swapped, moves, capitals...), and on
``name_variation`` of the households the two sides write a name differently (``eligibility_names``:
hyphenated surnames, particles and apostrophes, long first names cut to a field's length).
Deterministic per seed.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from accord.synth.eligibility_names import KINDS, Names, long_first, variant_surname
from accord.synth.rosters.bulk import paused_gc
from accord.synth.rosters.errors import DOB, SEX, Row, apply_errors
from accord.synth.rosters.files import staged_directory, write_csv
from accord.synth.rosters.people import Person, build_people
from accord.synth.rosters.specs import DEFAULT_AGENCIES, HEADER, date_formatter

ENROLLMENT_FILE, LIST_FILE, TRUTH_FILE = "enrollment.csv", "program-list.csv", "truth.csv"
LIST_HEADER = (*HEADER, "program", "household_id")
TRUTH_HEADER = ("record_id", "enrollment_record_id")
TANF_SHARE = 0.15  # of the listed households; the rest are on SNAP
_LIST_WRITES = DEFAULT_AGENCIES["snap_tanf"]  # how the program's system writes dates and sex


@dataclass(frozen=True, slots=True)
class EligibilitySummary:
    """Counts only: no names, dates or addresses."""

    students: int  # rows of enrollment.csv
    listed: int  # rows of program-list.csv
    eligible: int  # enrolled children on the list
    outsiders: int  # listed children who are not enrolled
    households: int  # on the list
    programs: Mapping[str, int]  # listed children per program
    variations: Mapping[str, int]  # people whose name the two sides write differently, per kind
    errors: Mapping[str, Mapping[str, int]]  # per file: records hit by each error kind


def _households(people: Sequence[Person]) -> list[range]:
    """Each household's people: ``build_people`` keeps a household together, one surname and address."""
    def home(p: Person) -> tuple[str, str, str]:
        return p.last_name, p.street_address, p.postcode
    bounds = [i for i in range(1, len(people)) if home(people[i]) != home(people[i - 1])]
    return [range(s, e) for s, e in zip([0, *bounds], [*bounds, len(people)], strict=True)]


def _vary(people: list[Person], households: list[range], rate: float, rng: random.Random
          ) -> tuple[dict[int, tuple[Names, Names]], Counter[str]]:
    """On ``rate`` of the households, a true name the two sides write differently: ``people`` is
    given the true name; the result maps a person to (the school's form, the program's form)."""
    forms: dict[int, tuple[Names, Names]] = {}
    counts: Counter[str] = Counter()
    for home in households:
        if rng.random() >= rate:
            continue
        kind = rng.choice(KINDS)
        if kind == "long_first":
            i = rng.choice(home)
            true, school, program = long_first(people[i].sex, rng)
            people[i] = people[i]._replace(first_name=true)
            forms[i] = ((school, people[i].last_name), (program, people[i].last_name))
            counts[kind] += 1
            continue
        true, school, program = variant_surname(kind, people[home.start].last_name, rng)
        for i in home:
            people[i] = people[i]._replace(last_name=true)
            forms[i] = ((people[i].first_name, school), (people[i].first_name, program))
        counts[kind] += len(home)
    return forms, counts


def _rows(people: list[Person], members: list[int], prefix: str, side: int,
          forms: dict[int, tuple[Names, Names]], rng: random.Random) -> list[Row]:
    """Clean copies of ``members`` as ``side`` (0 school, 1 program) writes their names, under random ids."""
    ids = rng.sample(range(1 << 32), len(members))
    rows = []
    for number, i in zip(ids, members, strict=True):
        p = people[i]
        first, last = forms[i][side] if i in forms else (p.first_name, p.last_name)
        rows.append([f"{prefix}-{number:08X}", first, p.middle_name, last, p.date_of_birth.isoformat(), p.sex,
                     p.street_address, p.city, p.postcode])
    return rows


def _listed(households: list[range], enrolled: bytearray, target: int, rng: random.Random) -> list[int]:
    """Household indexes put on the list, in random order, until ``target`` enrolled children are on it."""
    order = list(range(len(households)))
    rng.shuffle(order)
    chosen, covered = [], 0
    for h in order:
        if covered >= target:
            break
        chosen.append(h)
        covered += sum(enrolled[i] for i in households[h])
    return chosen


def write_eligibility_rosters(students: int, out: Path, seed: int, *, name_variation: float = 0.15,
                              coverage: float = 0.30, outsiders: float = 0.12) -> EligibilitySummary:
    """Write enrollment.csv, program-list.csv and truth.csv into ``out``; deterministic per seed."""
    if students < 1:
        raise ValueError("students must be at least 1")
    if not (0.0 <= name_variation <= 1.0 and 0.0 < coverage <= 1.0 and 0.0 <= outsiders < 1.0):
        raise ValueError("name_variation and coverage must be shares, outsiders a share below 1")
    rng = random.Random(f"{seed}/eligibility")
    with paused_gc():
        everyone = round(students / (1.0 - outsiders))
        people = build_people(everyone, random.Random(f"{seed}/eligibility/people"))
        households = _households(people)
        forms, variations = _vary(people, households, name_variation,
                                  random.Random(f"{seed}/eligibility/names"))
        enrolled = bytearray(len(people))
        for i in rng.sample(range(len(people)), students):
            enrolled[i] = 1
        school = [i for i in range(len(people)) if enrolled[i]]
        homes = _listed(households, enrolled, round(coverage * students), rng)
        program = {h: "tanf" if rng.random() < TANF_SHARE else "snap" for h in homes}
        member_of = {i: h for h in homes for i in households[h]}
        listed = list(member_of)
        rng.shuffle(school)
        rng.shuffle(listed)
        school_rows = _rows(people, school, "LEA", 0, forms, rng)
        list_rows = _rows(people, listed, "DSS", 1, forms, rng)
        errors = {ENROLLMENT_FILE: apply_errors(school_rows, [people[i] for i in school], rng),
                  LIST_FILE: apply_errors(list_rows, [people[i] for i in listed], rng)}
        enrollment_id = {i: row[0] for i, row in zip(school, school_rows, strict=True)}
        write_date, (female, male) = date_formatter(_LIST_WRITES.date_format), _LIST_WRITES.sex_codes
        codes = {"F": female, "M": male, "": ""}
        for i, row in zip(listed, list_rows, strict=True):
            row[DOB], row[SEX] = write_date(row[DOB]), codes[row[SEX]]
            row += [program[member_of[i]], f"HH-{member_of[i] + 1:07d}"]
        truth = [(row[0], enrollment_id.get(i, "")) for i, row in zip(listed, list_rows, strict=True)]
        with staged_directory(out) as staging:
            write_csv(staging / ENROLLMENT_FILE, HEADER, school_rows)
            write_csv(staging / LIST_FILE, LIST_HEADER, list_rows)
            write_csv(staging / TRUTH_FILE, TRUTH_HEADER, truth)
    eligible = sum(1 for _, school_id in truth if school_id)
    return EligibilitySummary(students, len(list_rows), eligible, len(list_rows) - eligible, len(homes),
                              dict(Counter(program[member_of[i]] for i in listed)), dict(variations), errors)
