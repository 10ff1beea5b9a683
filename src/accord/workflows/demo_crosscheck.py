"""The demo's cross-check: direct certification for school meals, run the real way (ADR 0023).

The Department of Social Services lists the SNAP and TANF households it serves (some of the
school's children, written its own way, and children who are not enrolled); the state's records
officer records which lists certify; the cross-check is defined under the direct-certification
agreement; each node encodes and submits; the hub runs it; the school fetches its results, which
its node resolves to its own student ids (the face does that: only a node holds the key).

One child on the list is written so that the hub cannot be sure of it: the family moved, and the
department wrote the birth date day first. The same name codes and the same date read the other way
round are all that agree, and the linkage model gives that about one chance in six (0.14 to 0.17 in
counties of 60 to 3,000 students): below certainty, above the review floor the demo's state sets, so
it waits for the records officer's clerical review (`/crosschecks/<agreement>/reviews`).
"""

from __future__ import annotations

import csv
import random
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from accord.domain.agencies import Program, Role
from accord.domain.crosscheck import CrossCheck
from accord.store.db import make_session_factory, session_scope
from accord.synth import County
from accord.synth.rosters.bulk import random_address
from accord.synth.rosters.people import Person, build_people
from accord.synth.rosters.typos import swap_day_month
from accord.workflows.crosscheck_admin import define, write_results
from accord.workflows.crosscheck_submissions import submit
from accord.workflows.demo_case import IDENTITY, SCHOOL, Node, identities, row_of
from accord.workflows.eligibility import run_crosscheck
from accord.workflows.hub_files import HubFiles
from accord.workflows.state_law import change_state_law

AGREEMENT = "dsa-dss-to-school"
PROGRAM_AGENCY = "dss"
ON_SNAP = 0.3  # of the school's children, about the share on SNAP in a poorer county
# The state asks a person to look at any match better than one chance in ten (the default floor is
# 0.2): lower than usual, so that the one child above waits for review whatever the county's size.
REVIEW_FROM = 0.1

Resolve = Callable[[Path, Path, Path], int]  # the school's node: results, its own file, out


@dataclass(frozen=True, slots=True)
class CrossCheckShown:
    """The run's report, and where the school's node wrote its certified list."""

    run_id: int
    report: dict[str, Any]
    certified_list: Path


def staff(county: County, agency: str, role: Role) -> str:
    return next(u.id for u in sorted(county.users, key=lambda u: u.id)
                if u.agency_id == agency and u.role is role)


def _program_list(county: County, folder: Path) -> Path:
    """The department's list: its share of the school's children, upper-case as its system writes
    names, in households (siblings share the address), plus children it serves who are not enrolled."""
    rng = random.Random(f"{county.seed}/dss-list")
    students = [s for s in county.students if s.school_agency_id == SCHOOL]
    who = identities(county, students)
    chosen = [who[s.id] for s in students if rng.random() < ON_SNAP]
    others = build_people(len(chosen) // 5, rng, first_number=len(who) + 1)
    rows = []
    unsure = _moved_and_day_first(county, [who[s.id] for s in students], chosen)
    for n, person in enumerate([*chosen, *others, *unsure]):
        row = row_of(f"DSS-{n:06d}", person)
        row[1], row[3] = row[1].upper(), row[3].upper()
        household = f"CASE-{zlib.crc32(f'{person.street_address}|{person.postcode}'.encode()):08X}"
        rows.append([*row, Program.TANF.value if rng.random() < 0.15 else Program.SNAP.value, household])
    path = folder / "snap-tanf-list.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["record_id", *IDENTITY, "program", "household_id"])
        writer.writerows(rows)
    return path


def _moved_and_day_first(county: County, enrolled: list[Person], chosen: list[Person]) -> list[Person]:
    """One enrolled child not otherwise on the list, as the department has them: a new address, and the
    birth date with day and month swapped (a day of 12 or less, not the month: the swap is a date)."""
    listed = {p.person_id for p in chosen}
    child = next((p for p in enrolled if p.person_id not in listed
                  and p.date_of_birth.day <= 12 and p.date_of_birth.day != p.date_of_birth.month), None)
    if child is None:
        return []
    street, city, postcode = random_address(random.Random(f"{county.seed}/dss-moved"))
    born = date.fromisoformat(swap_day_month(child.date_of_birth.isoformat()))
    return [child._replace(date_of_birth=born, street_address=street, city=city, postcode=postcode)]


def run_crosscheck_demo(engine: Engine, hub: HubFiles, county: County, node: Node, nodes: Path,
                        resolve: Resolve) -> CrossCheckShown:
    """Record the state's lists, define the cross-check, submit from both nodes, run, and resolve."""
    at = datetime.combine(county.as_of, datetime.min.time())
    officer = staff(county, SCHOOL, Role.RECORDS_OFFICER)
    worker = staff(county, SCHOOL, Role.ELIGIBILITY_WORKER)

    def opened() -> Any:
        return session_scope(make_session_factory(engine))

    with opened() as session:
        change_state_law(session, officer, at,
                         direct_certification_programs=frozenset({Program.SNAP, Program.TANF}))
        crosscheck = CrossCheck(AGREEMENT, SCHOOL, worker, frozenset({PROGRAM_AGENCY}),
                                review_from=REVIEW_FROM)
        define(session, crosscheck, officer, at)
    students = nodes / SCHOOL / "students.csv"
    program_list = _program_list(county, nodes / PROGRAM_AGENCY)
    for agency, source in ((SCHOOL, students), (PROGRAM_AGENCY, program_list)):
        encoded, copy = node.send(agency, source, AGREEMENT)
        with opened() as session:
            submit(session, hub, AGREEMENT, agency, encoded, copy, at)
    outcome = run_crosscheck(opened, hub, AGREEMENT, worker, at)
    results = nodes / SCHOOL / "crosscheck-results.csv"
    with opened() as session:
        write_results(session, outcome.run_id, SCHOOL, results)
    certified = nodes / SCHOOL / "certified-for-meals.csv"
    resolve(results, students, certified)
    return CrossCheckShown(outcome.run_id, outcome.report, certified)
