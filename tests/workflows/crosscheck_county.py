"""A county for the cross-check workflow tests, built through the command line.

The decision table's world (agencies, users, training; tests/spec/world.py) plus the school's
records officer and a cross-check agreement between the school and the Department of Social
Services (SNAP and TANF). Rosters come from `accord synth`: the school's students, and the
SNAP/TANF office's list, given a program per record and a household per true household. Each
agency works at its own node: the shared key, and a pseudonym key of its own.
"""

from __future__ import annotations

import csv
import json
import os
import zlib
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from typer.testing import CliRunner, Result

from accord.cli.app import app
from accord.domain.agencies import Role, User
from accord.domain.agreements import Agreement, AgreementLayer, AgreementStatus, Signature, StudyTerms
from accord.domain.purposes import LegalBasis, Purpose, StudyPurpose
from accord.domain.training import Completion
from accord.store.db import make_engine, make_session_factory, session_scope
from accord.store.repositories.agencies import save_user
from accord.store.repositories.agreements import save_agreement
from accord.store.repositories.training import add_completions
from accord.synth.rosters.people import population
from accord.synth.rosters.rosters import outsider_pool
from tests.workflows.case_county import read_rows, seed_world

AGREEMENT = "dsa-dc"
AT = "2026-11-29T10:00"
OFFICER = "ro.lea"
DSS_OFFICER = "ro.dss"
STUDY_AGREEMENT = "dul-meals"
GRADES = ("3", "4", "5", "6", "7", "8")
TANF_SHARE = 7  # one list record in seven is TANF's


def dc_agreement() -> Agreement:
    """Both directions in one agreement: SNAP/TANF status to the school's meals, the fact of
    enrollment to the program's outreach."""
    parties = frozenset({"lea", "dss"})
    return Agreement(
        id=AGREEMENT, title="Direct certification", layer=AgreementLayer.DATA_SHARING_AGREEMENT,
        source_agency_ids=parties, recipient_agency_ids=parties,
        purposes=frozenset({Purpose.ELIGIBILITY_VERIFICATION}),
        legal_bases=frozenset({LegalBasis.DIRECT_CERTIFICATION, LegalBasis.DIRECTORY_INFORMATION}),
        data_elements=frozenset({"direct_certification", "enrolled_in_district"}),
        recipient_roles=frozenset({Role.ELIGIBILITY_WORKER}),
        permitted_uses="direct certification for school meals; SNAP outreach",
        effective_on=date(2025, 7, 1), ends_on=date(2028, 6, 30), destruction_deadline=date(2028, 9, 30),
        destruction_method="NIST 800-88 purge", safeguards=("encryption at rest",),
        signatures=tuple(Signature(a, "Director", date(2025, 6, 1)) for a in sorted(parties)),
        parent_id="em", status=AgreementStatus.ACTIVE, activated_on=date(2025, 7, 1))


@dataclass
class County:
    root: Path
    db_url: str
    runner: CliRunner = field(default_factory=CliRunner)
    truth: dict[str, str] = field(default_factory=dict)  # record id of any roster -> person
    program_of: dict[str, str] = field(default_factory=dict)  # list record id -> snap / tanf
    names: set[str] = field(default_factory=set)
    shown: str = ""  # what the last run printed

    def __call__(self, *args: str) -> Result:
        return self.runner.invoke(app, list(args))

    def ok(self, *args: str) -> str:
        result = self(*args)
        assert result.exit_code == 0, (result.exit_code, result.output, result.exception)
        return result.output

    def key(self, agency: str) -> Path:
        return self.root / f"{agency}-pseudonym.key"

    def encode(self, agency: str, source: Path, agreement: str = AGREEMENT) -> tuple[Path, Path]:
        """The agency's node: encodings and the hub's copy of `source` for `agreement`."""
        out, copy = self.root / f"{agency}-{agreement}.parquet", self.root / f"{agency}-{agreement}.csv"
        self.ok("node", "encode", "--key-file", str(self.root / "shared.key"), "--in", str(source),
                "--out", str(out), "--hub-copy", str(copy), "--agreement", agreement,
                "--pseudonym-key", str(self.key(agency)))
        return out, copy

    def submit(self, agency: str, source: Path) -> str:
        encoded, copy = self.encode(agency, source)
        return self.ok("crosscheck", "submit", "--agreement", AGREEMENT, "--agency", agency,
                       "--encoded", str(encoded), "--copy", str(copy), "--at", AT)

    def submit_both(self) -> None:
        self.submit("lea", self.root / "students.csv")
        self.submit("dss", self.root / "dss-list.csv")

    def run(self, at: str = AT) -> int:
        self.shown = self.ok("crosscheck", "run", "--agreement", AGREEMENT, "--by", "ew.lea", "--at", at)
        return int(self.shown.split("Cross-check run ")[1].split()[0])

    def report(self, run: int) -> dict[str, object]:
        return dict(json.loads(self.ok("crosscheck", "report", str(run), "--json")))

    def certified(self, run: int) -> dict[str, str]:
        """The school's node: run `run`'s certified list resolved to its student ids -> program."""
        results, resolved = self.root / f"results-{run}.csv", self.root / f"certified-{run}.csv"
        self.ok("crosscheck", "results", str(run), "--agency", "lea", "--out", str(results))
        self.ok("node", "resolve", "--results", str(results), "--ids-from", str(self.root / "students.csv"),
                "--out", str(resolved), "--pseudonym-key", str(self.key("lea")))
        return {r["student_id"]: r["program_category"] for r in read_rows(resolved)}


    def load_school_content(self) -> None:
        """The school's node copies an attendance file (ten days of every student) and the hub
        loads it: a study's measures come from it, its grades from the students file."""
        days = [f"2026-11-{d:02d}" for d in (2, 3, 4, 5, 6, 9, 10, 12, 13, 16)]
        rows = []
        for r in read_rows(self.root / "students.csv"):
            absent = zlib.crc32(r["record_id"].encode()) % 4  # 0 to 3 absences in ten days
            rows += [[r["record_id"], "255901001", d, "Unexcused Absence" if k < absent else "In Attendance"]
                     for k, d in enumerate(days)]
        source = _write(self.root / "attendance.csv", ["record_id", "school_id", "event_date", "event"], rows)
        copy = self.root / "attendance-hub.csv"
        self.ok("node", "copy", "--in", str(source), "--out", str(copy), "--pseudonym-key",
                str(self.key("lea")))
        self.ok("intake", "load", "--agency", "lea", "--kind", "attendance", "--in", str(copy))


def study_agreement() -> Agreement:
    """A data-use licence for a study of meals and attendance: the school's and the SNAP/TANF
    office's data, to the university's analysts, under the studies exception."""
    return Agreement(
        id=STUDY_AGREEMENT, title="Study: free meals and attendance", layer=AgreementLayer.DATA_USE_LICENCE,
        source_agency_ids=frozenset({"lea", "dss"}), recipient_agency_ids=frozenset({"univ"}),
        purposes=frozenset({Purpose.RESEARCH_EVALUATION}), legal_bases=frozenset({LegalBasis.STUDIES}),
        data_elements=frozenset({"attendance", "grade_level"}), recipient_roles=frozenset({Role.ANALYST}),
        permitted_uses="the study of attendance by meal benefits, in the hub's enclave only",
        effective_on=date(2025, 7, 1), ends_on=date(2027, 6, 30), destruction_deadline=date(2027, 9, 30),
        destruction_method="NIST 800-88 purge", safeguards=("study pseudonyms", "disclosure control"),
        signatures=tuple(Signature(a, "Director", date(2025, 6, 1)) for a in ("dss", "lea", "univ")),
        parent_id="em", status=AgreementStatus.ACTIVE, activated_on=date(2025, 7, 1),
        study=StudyTerms(StudyPurpose.IMPROVE_INSTRUCTION, "attendance and meal benefits", True, True))


def _write(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def _seed_officer(db_url: str) -> None:
    engine = make_engine(db_url)
    try:
        with session_scope(make_session_factory(engine)) as session:
            for user in (User(OFFICER, "lea", Role.RECORDS_OFFICER),
                         User(DSS_OFFICER, "dss", Role.RECORDS_OFFICER)):
                save_user(session, user)
                add_completions(session, [Completion(user.id, "ferpa-basics", date(2026, 9, 1),
                                                     date(2027, 9, 1))])
            save_agreement(session, dc_agreement())
            save_agreement(session, study_agreement())
    finally:
        engine.dispose()


def build_county(root: Path, db_url: str, students: int = 1500) -> County:
    """The hub initialised and seeded, both nodes' keys, the school's students loaded at the hub,
    and the files each node submits (not submitted yet)."""
    county = County(root, db_url)
    os.environ["ACCORD_CONTENT_KEY_FILE"] = str(root / "content.key")
    county.ok("init")
    seed_world(db_url)
    _seed_officer(db_url)
    county.ok("intake", "content-key", "--out", str(root / "content.key"))
    county.ok("node", "keygen", "--out", str(root / "shared.key"))
    for agency in ("lea", "dss"):
        county.ok("node", "pseudonym-key", "--out", str(county.key(agency)))
    county.ok("synth", "--students", str(students), "--out", str(root / "rosters"), "--seed", "17")
    county.truth = {r["record_id"]: r["person_id"] for r in read_rows(root / "rosters" / "truth.csv")}
    school = read_rows(root / "rosters" / "education.csv")
    listed = read_rows(root / "rosters" / "snap_tanf.csv")
    county.names = {r[c] for r in [*school, *listed] for c in ("first_name", "last_name") if len(r[c]) > 3}
    # The school's file carries each student's grade (the hub keeps it as content).
    grade = {r["record_id"]: GRADES[zlib.crc32(county.truth[r["record_id"]].encode()) % len(GRADES)]
             for r in school}
    students_csv = _write(root / "students.csv", [*school[0], "grade_level"],
                          [[*r.values(), grade[r["record_id"]]] for r in school])
    # A program per record, by its id; a household per true home (siblings share one).
    for r in listed:
        county.program_of[r["record_id"]] = "tanf" if zlib.crc32(r["record_id"].encode()) % TANF_SHARE == 0 \
            else "snap"
    home = {p.person_id: f"HH{zlib.crc32(f'{p.street_address}|{p.postcode}'.encode()):08X}"
            for p in [*population(students, 17), *outsider_pool(students, 17)]}
    household = {r["record_id"]: home[county.truth[r["record_id"]]] for r in listed}
    _write(root / "dss-list.csv", [*listed[0], "program", "household_id"],
           [[*r.values(), county.program_of[r["record_id"]], household[r["record_id"]]] for r in listed])
    encoded, copy = county.encode("lea", students_csv, "dsa-health")
    county.ok("intake", "load", "--agency", "lea", "--kind", "students", "--in", str(copy),
              "--encoded", str(encoded))
    return county
