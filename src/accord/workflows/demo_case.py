"""The demo's case-level part: files in, one child identified by linkage, records out.

The school agency loads its students, their attendance, marks and programs; two partner agencies
load their rosters, which trains the lookup models (and the hub then deletes the partners'
encodings). Each agency's node (the `Node` the face hands in, holding the shared secret) encodes
a file's identities once per agreement it is sent under, and writes the hub's copy of the file
without names or address; the hub loads only those. Then
three requests of the scripted demo are asked as real case requests: a consented release, a
refusal for want of consent, and an emergency. Identities are made up (accord.synth.rosters);
the hub sees them only as encodings, and the demo shows students by internal id only.
"""

from __future__ import annotations

import csv
import random
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import Engine

from accord.domain.agreements import AgreementLayer, AgreementStatus
from accord.domain.students import Student
from accord.intake import iter_batches
from accord.store.crypto import ContentCipher
from accord.store.db import make_session_factory, session_scope
from accord.synth import County
from accord.synth.rosters.people import Person, build_people
from accord.workflows.case_release import CaseOutcome, CaseRequest, request_case
from accord.workflows.demo_script import scenarios
from accord.workflows.hub_files import HubFiles
from accord.workflows.intake_file import load_file

CASES = ("consented", "social_services_no_consent", "emergency_threat")
SCHOOL = "lea"
IDENTITY = ("first_name", "middle_name", "last_name", "date_of_birth", "sex", "street_address", "city",
            "postcode")


Encode = Callable[[str, list[dict[str, str]], Path, str], None]  # agency, people, out, agreement id
Copy = Callable[[str, Path, Path], int]  # agency, its file, the hub's copy: rows written


@dataclass(frozen=True, slots=True)
class Node:
    """What the agencies' nodes do for the demo: encode people under an agreement's key, and write
    the hub's copy of a file (without names, birth date, sex, address or identifier; the school's
    with its students' pseudonyms in place of their record ids, ADR 0022)."""

    encode: Encode
    hub_copy: Copy

    def send(self, agency: str, source: Path, agreement: str) -> tuple[Path, Path]:
        """The agency's node encodes `source`'s identities for `agreement` and copies the file for
        the hub, beside it: (encodings, copy), what it sends for a purpose-bound run."""
        with source.open(encoding="utf-8", newline="") as handle:
            people = [{c: row[c] for c in ("record_id", *IDENTITY)} for row in csv.DictReader(handle)]
        encoded = source.with_name(f"{source.stem}-{agreement}.parquet")
        copy = source.with_name(f"{source.stem}-{agreement}-hub.csv")
        self.encode(agency, people, encoded, agreement)
        self.hub_copy(agency, source, copy)
        return encoded, copy


@dataclass(frozen=True, slots=True)
class CaseResult:
    """One case request of the demo, as the records officer reads it."""

    key: str
    situation: str
    requester: str
    outcome: CaseOutcome


def _identities(students: list[Student], rng: random.Random, born: dict[str, date]) -> dict[str, Person]:
    """A made-up identity for each student, with the student's (synthetic) birth date as the
    school's node knows it (the hub holds only the month the student turns 18)."""
    people = build_people(len(students), rng)
    return {s.id: p._replace(date_of_birth=born.get(s.id, p.date_of_birth))
            for s, p in zip(students, people, strict=True)}


def _write(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def identities(county: County, students: list[Student]) -> dict[str, Person]:
    """The made-up identity of each of the school's students, the same on every call for the
    county (the case demo's and the cross-check's agencies know the same children)."""
    return _identities(students, random.Random(county.seed), county.birth_dates)


def row_of(record_id: str, p: Person) -> list[str]:
    return [record_id, p.first_name, p.middle_name, p.last_name, p.date_of_birth.isoformat(), p.sex,
            p.street_address, p.city, p.postcode]


def _load(engine: Engine, hub: HubFiles, agency: str, kind: str, path: Path, cipher: ContentCipher,
          at: datetime, submissions: list[Path], element: str | None = None) -> None:
    report, _ = load_file(lambda: session_scope(make_session_factory(engine)), hub, agency, kind, path.name,
                          iter_batches(path, kind, element=element), cipher, at, submissions=submissions)
    if not report.accepted:
        raise RuntimeError(f"the demo's {kind} file was rejected: {report.rejections[0]}")


def _submit(engine: Engine, hub: HubFiles, agency: str, kind: str, path: Path, cipher: ContentCipher,
            at: datetime, node: Node, agreements: list[str], element: str | None = None) -> None:
    """The agency's node encodes `path`'s identities once per agreement and copies the file for
    the hub; the hub loads them all."""
    with path.open(encoding="utf-8", newline="") as handle:
        people = [{c: row[c] for c in ("record_id", *IDENTITY)} for row in csv.DictReader(handle)]
    submissions = []
    for agreement in agreements:
        submissions.append(path.with_name(f"{path.stem}-{agreement}.parquet"))
        node.encode(agency, people, submissions[-1], agreement)
    copy = path.with_name(f"{path.stem}-hub.csv")
    node.hub_copy(agency, path, copy)
    _load(engine, hub, agency, kind, copy, cipher, at, submissions, element)


def _agreement_with(county: County, partner: str) -> str:
    """The active data-sharing agreement under which the school shares records with `partner`."""
    return next(a.id for a in sorted(county.agreements, key=lambda a: a.id)
                if a.layer is AgreementLayer.DATA_SHARING_AGREEMENT and a.status is AgreementStatus.ACTIVE
                and SCHOOL in a.source_agency_ids and partner in a.recipient_agency_ids)


def _grade(born: date, on: date) -> str:
    """The grade a child born on `born` is in during the school year of `on` (age on 1 September,
    less five: kindergarten at five), as a school's file writes it."""
    year = on.year if on.month >= 9 else on.year - 1
    age = year - born.year - ((born.month, born.day) > (9, 1))
    grade = min(max(age - 5, 0), 12)
    return "K" if grade == 0 else str(grade)


def _school_files(county: County, who: dict[str, Person], featured: set[str], folder: Path) -> list[Path]:
    students = [s for s in county.students if s.school_agency_id == SCHOOL]
    # The school's file says who is dual-enrolled: the hub's students carry what its load brings.
    flags = {s.id: ["Y" if s.directory_opt_out else "N", "Y" if s.meal_disclosure_opt_out else "N",
                    s.foster_care_agency_id or "",
                    s.postsecondary_enrolled_on.isoformat() if s.postsecondary_enrolled_on else ""]
             for s in students}
    header = ["record_id", *IDENTITY, "directory_opt_out", "meal_disclosure_opt_out", "foster_care_agency_id",
              "postsecondary_enrolled_on", "grade_level"]
    roster = _write(folder / "students.csv", header,
                    [[*row_of(s.id, who[s.id]), *flags[s.id], _grade(who[s.id].date_of_birth, county.as_of)]
                     for s in students])
    days = [f"2026-11-{d:02d}" for d in (2, 3, 4, 5, 6, 9, 10, 12)]
    events = ("In Attendance", "Unexcused Absence", "In Attendance", "Tardy")
    rows = [[s, "255901001", d, events[(n + k) % 4]] for n, s in enumerate(sorted(featured))
            for k, d in enumerate(days)]
    # Every other student's eight days too (a study's attendance rate reads them): 0 to 3 absences.
    absences = {s.id: zlib.crc32(s.id.encode()) % 4 for s in students}
    rows += [[s.id, "255901001", d, "Unexcused Absence" if k < absences[s.id] else "In Attendance"]
             for s in students if s.id not in featured for k, d in enumerate(days)]
    attendance = _write(folder / "attendance.csv", ["record_id", "school_id", "event_date", "event"], rows)
    courses = (("MATH6", "Mathematics 6", "B-"), ("ELA6", "English 6", "C+"))
    grades = _write(folder / "grades.csv",
                    ["record_id", "school_id", "course_code", "course_title", "term", "mark"],
                    [[s, "255901001", code, title, "Fall 2026", mark] for s in sorted(featured)
                     for code, title, mark in courses])
    programs = _write(folder / "programs.csv", ["record_id", "program", "begin_date"],
                      [[s, "IEP", "2025-09-02"] for s in sorted(featured)])
    return [roster, attendance, grades, programs]


def run_case_demo(engine: Engine, hub: HubFiles, county: County, node: Node, cipher: ContentCipher,
                  nodes: Path) -> tuple[CaseResult, ...]:
    """Load the files, then ask the three case requests; every step through the real paths. Each
    agency's files, with names, and what its node sends the hub are in `nodes / <agency>`."""

    def home(agency: str) -> Path:
        (nodes / agency).mkdir(parents=True, exist_ok=True)
        return nodes / agency

    rng = random.Random(county.seed)
    asked = [s for s in scenarios(county) if s.key in CASES]
    featured = {s.request.student_id for s in asked}
    students = [s for s in county.students if s.school_agency_id == SCHOOL]
    who = _identities(students, rng, county.birth_dates)
    at = datetime.combine(county.as_of, datetime.min.time())
    roster, *content = _school_files(county, who, featured, home(SCHOOL))
    agency_of = {u.id: u.agency_id for u in county.users}
    partners = sorted({agency_of[s.request.requester_id] for s in asked})
    agreement_of = {p: _agreement_with(county, p) for p in partners}
    _submit(engine, hub, SCHOOL, "students", roster, cipher, at, node, sorted(set(agreement_of.values())))
    for path in content:
        copy = path.with_name(f"{path.stem}-hub.csv")
        node.hub_copy(SCHOOL, path, copy)
        _load(engine, hub, SCHOOL, path.stem, copy, cipher, at, [])
    # Each partner knows some of the school's children (always the featured ones), written its own way.
    known = [s.id for s in students if s.id in featured or rng.random() < 0.5]
    for partner in partners:
        rows = [row_of(f"{partner}-{n:05d}", who[s]) for n, s in enumerate(known)]
        for row in rows:
            row[1], row[3] = row[1].upper(), row[3].upper()  # another agency, another house style
        path = _write(home(partner) / "roster.csv", ["record_id", *IDENTITY], rows)
        _submit(engine, hub, partner, "roster", path, cipher, at, node, [agreement_of[partner]],
                element="clinical_conditions")
    results = []
    for s in asked:
        # The partner describes the child and encodes the description on its side.
        query = home(agency_of[s.request.requester_id]) / f"ask-{s.key}.parquet"
        described = row_of("ASK-1", who[s.request.student_id])
        node.encode(agency_of[s.request.requester_id], [dict(zip(["record_id", *IDENTITY], described,
                                                                 strict=True))],
                    query, agreement_of[agency_of[s.request.requester_id]])
        request = CaseRequest(s.request.requester_id, s.request.source_agency_id, s.request.purpose,
                              s.request.fields, s.request.at, query, threat=s.request.threat)
        with session_scope(make_session_factory(engine)) as session:
            results.append(CaseResult(s.key, s.situation, s.request.requester_id,
                                      request_case(session, hub, request, cipher)))
    return tuple(results)
