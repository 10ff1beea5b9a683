"""A synthetic county for the case-release workflow tests, built through the command line.

Rosters come from `accord synth` (education, health, juvenile justice, child welfare); the
agencies, users, training and agreements are the decision table's world (tests/spec/world.py).
The school agency loads its students (with a twin added, and one child in foster care),
enrollments carrying consents captured at enrollment, attendance, grades, programs and
discipline; each partner loads its roster, which trains the lookup model for its requests.
"""

from __future__ import annotations

import csv
import json
import os
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from accord.cli.app import app
from accord.domain.training import Course
from accord.linkage.normalise import normalise_date
from accord.store.db import make_engine, make_session_factory, session_scope
from accord.store.repositories.agencies import save_agency, save_user
from accord.store.repositories.agreements import save_agreement
from accord.store.repositories.ledger import stored_rows
from accord.store.repositories.training import add_completions, save_course
from tests.spec import world

SCHOOL = "255901001"
TWIN = "EDU-TWIN0001"
# Each partner's data-sharing agreement with the school: its roster, and its requests' descriptions
# of a child, are encoded for it (ADR 0015); the school sends its students under each.
AGREEMENT_OF = {"health": "dsa-health", "court": "dsa-court", "cws": "dsa-cws", "labor": "dsa-labor"}


def agreement_of(requester: str) -> str:
    """The agreement a requester's node encodes a child's description for: its agency's with the
    school (the health department's for anyone the world does not know)."""
    user = world.USERS.get(requester)
    return AGREEMENT_OF.get(user.agency_id if user else "health", AGREEMENT_OF["health"])


@dataclass
class County:
    """The county's files, its command runner, and the children the tests ask about."""

    root: Path
    db_url: str
    runner: CliRunner = field(default_factory=CliRunner)
    children: dict[str, dict[str, str]] = field(default_factory=dict)  # label -> partner's row
    school_id_of: dict[str, str] = field(default_factory=dict)  # label -> school's record id
    student_of: dict[str, str] = field(default_factory=dict)  # label -> the hub's id (its pseudonym)
    names: set[str] = field(default_factory=set)  # every synthetic name, for leak checks
    sent: list[Path] = field(default_factory=list)  # every file an agency's node sent the hub

    def __call__(self, *args: str) -> Result:
        return self.runner.invoke(app, list(args))

    def ok(self, *args: str) -> str:
        result = self(*args)
        assert result.exit_code == 0, (result.exit_code, result.output, result.exception)
        return result.output

    def write(self, name: str, header: list[str], rows: list[list[str]]) -> Path:
        path = self.root / name
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(header)
            writer.writerows(rows)
        return path

    @property
    def school_key(self) -> Path:
        """The school's pseudonym key, at its node (ADR 0022)."""
        return self.root / "school-pseudonym.key"

    def _pseudonyms(self, school: bool) -> list[str]:
        return ["--pseudonym-key", str(self.school_key)] if school else []

    def encoded(self, path: str | Path, agreement: str, school: bool = False) -> str:
        """The agency's node: `path`'s identities encoded for `agreement`, beside it (the school's
        under its pseudonyms)."""
        out = Path(path).with_suffix(f".{agreement}.parquet")
        self.ok("node", "encode", "--key-file", str(self.root / "shared.key"), "--in", str(path),
                "--out", str(out), "--agreement", agreement, *self._pseudonyms(school))
        self.sent.append(out)
        return str(out)

    def submission(self, path: Path, agreements: list[str], school: bool = False) -> list[str]:
        """The agency's node: the hub's copy of `path` (no names, address or identifier) and its
        encodings for each agreement, as `intake load --in COPY --encoded FILE...` takes them."""
        copy = path.parent / "to-hub" / path.name
        copy.parent.mkdir(exist_ok=True)
        self.ok("node", "encode", "--key-file", str(self.root / "shared.key"), "--in", str(path),
                "--out", str(path.with_suffix(".parquet")), "--hub-copy", str(copy),
                *self._pseudonyms(school), *(["--as-of", AS_OF] if school else []))
        self.sent.append(copy)
        encoded = [a for agreement in agreements
                   for a in ("--encoded", self.encoded(path, agreement, school))]
        return ["--in", str(copy), *encoded]

    def copied(self, path: Path) -> Path:
        """The school's node: the hub's copy of a file of records, under its pseudonyms."""
        copy = path.parent / "to-hub" / path.name
        copy.parent.mkdir(exist_ok=True)
        self.ok("node", "copy", "--in", str(path), "--out", str(copy), *self._pseudonyms(True))
        self.sent.append(copy)
        return copy

    def hub_ids(self, *record_ids: str) -> list[str]:
        """The school's node: the ids these students have at the hub."""
        return self.ok("node", "pseudonym", "--pseudonym-key", str(self.school_key), *record_ids).split()

    def describe(self, label: str, **changes: str) -> str:
        """A one-row CSV: the child as the partner agency knows them (optionally altered)."""
        row = {**self.children[label], **changes}
        return str(self.write(f"ask-{label}.csv", list(row), [list(row.values())]))


def use_hub(monkeypatch: pytest.MonkeyPatch, root: Path, db_url: str) -> None:
    """The hub's settings for a county's commands: its data directory and content key under
    `root`, the database at `db_url`, and a console wide enough for the tables."""
    monkeypatch.setenv("ACCORD_DATA_DIR", str(root / "data"))
    monkeypatch.setenv("ACCORD_DATABASE_URL", db_url)
    monkeypatch.setenv("COLUMNS", "250")
    monkeypatch.setenv("ACCORD_CONTENT_KEY_FILE", str(root / "content.key"))


def ledger_entries(db_url: str) -> list[dict[str, object]]:
    """Every ledger entry of the hub's database, as the JSON it stores."""
    engine = make_engine(db_url)
    try:
        with session_scope(make_session_factory(engine)) as session:
            return [json.loads(r.entry_json) for r in stored_rows(session)]
    finally:
        engine.dispose()


def read_rows(path: Path) -> list[dict[str, str]]:
    """The rows of a CSV file as dictionaries, by its header."""
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _usable(rows: list[dict[str, str]]) -> list[dict[str, str]]:
    """Rows an agency would load: names and an ISO birth date present (synth leaves some out)."""
    out = []
    for row in rows:
        born = normalise_date(row["date_of_birth"])
        if row["first_name"] and row["last_name"] and born is not None:
            out.append({**row, "date_of_birth": born.isoformat()})
    return out


def seed_world(db_url: str) -> None:
    """The decision table's agencies, users, training and agreements, into the hub's database."""
    engine = make_engine(db_url)
    try:
        with session_scope(make_session_factory(engine)) as session:
            for agency in world.AGENCIES.values():
                save_agency(session, agency)
            for user in world.USERS.values():
                save_user(session, user)
            save_course(session, Course("ferpa-basics", "FERPA basics", 365, True))
            add_completions(session, world.COMPLETIONS)
            for agreement in world.AGREEMENTS.values():
                save_agreement(session, agreement)
    finally:
        engine.dispose()


AS_OF = "2026-11-15"  # the day the school's node writes its students file (ADR 0030)


def build_county(root: Path, db_url: str, students: int = 400) -> County:
    """Initialise the hub, seed the world, and load every agency's files (`students` synthetic
    students and their partner rosters)."""
    county = County(root, db_url)
    os.environ["ACCORD_CONTENT_KEY_FILE"] = str(root / "content.key")
    county.ok("init")
    seed_world(db_url)
    county.ok("intake", "content-key", "--out", str(root / "content.key"))
    county.ok("node", "keygen", "--out", str(root / "shared.key"))
    county.ok("node", "pseudonym-key", "--out", str(county.school_key))
    county.ok("synth", "--students", str(students), "--out", str(root / "rosters"), "--seed", "8")
    person = {r["record_id"]: r["person_id"] for r in read_rows(root / "rosters" / "truth.csv")}
    students = _usable(read_rows(root / "rosters" / "education.csv"))
    school_of = {person[s["record_id"]]: s["record_id"] for s in students}
    partners = {a: _usable(read_rows(root / "rosters" / f"{a}.csv"))
                for a in ("health", "juvenile_justice", "child_welfare")}
    for rows in [students, *partners.values()]:
        county.names |= {r[c] for r in rows for c in ("first_name", "last_name") if len(r[c]) > 3}

    school_row = {person[s["record_id"]]: s for s in students}
    same = ("first_name", "last_name", "date_of_birth", "street_address")

    def enrolled(agency: str) -> list[dict[str, str]]:
        """The partner's rows of enrolled children it recorded as the school did (a request
        about a child the partner recorded differently may rightly be refused as uncertain)."""
        return [r for r in partners[agency] if (s := school_row.get(person[r["record_id"]]))
                and all(r[c] == s[c] for c in same)]

    labels = {"consented": enrolled("health")[0], "no_consent": enrolled("health")[1],
              "snap_consent": enrolled("health")[2], "court": enrolled("juvenile_justice")[0],
              "foster": enrolled("child_welfare")[0],
              "outsider": next(r for r in partners["health"] if person[r["record_id"]] not in school_of)}
    county.children = labels
    county.school_id_of = {k: school_of[person[v["record_id"]]] for k, v in labels.items() if k != "outsider"}
    hub_ids = county.hub_ids(*county.school_id_of.values())
    county.student_of = dict(zip(county.school_id_of, hub_ids, strict=True))
    _load_school(county, students)
    partners["labor"] = partners["health"]  # the workforce board happens to know the same children
    for agency, hub_id in (("health", "health"), ("juvenile_justice", "court"), ("child_welfare", "cws"),
                           ("labor", "labor")):
        path = county.write(f"{agency}-roster.csv", list(partners[agency][0]),
                            [list(r.values()) for r in partners[agency]])
        county.ok("intake", "load", "--agency", hub_id, "--kind", "roster",
                  "--element", "clinical_conditions", *county.submission(path, [AGREEMENT_OF[hub_id]]))
    return county


def _load_school(county: County, students: list[dict[str, str]]) -> None:
    twin_of = students[5]
    county.children["twin"] = {**twin_of, "record_id": "ASK-TWIN", "first_name": "", "middle_name": ""}
    twin = {**twin_of, "record_id": TWIN, "first_name": "Quillon", "middle_name": ""}
    header = [*students[0], "foster_care_agency_id"]
    foster = county.school_id_of["foster"]
    rows = [[*s.values(), "cws" if s["record_id"] == foster else ""] for s in [*students, twin]]
    county.ok("intake", "load", "--agency", "lea", "--kind", "students",
              *county.submission(county.write("students.csv", header, rows), sorted(AGREEMENT_OF.values()),
                                 school=True))
    ids = [r[0] for r in rows]
    consent = {county.school_id_of["consented"]: ["health", "attendance;grades"],
               county.school_id_of["snap_consent"]: ["snap", "attendance"]}
    county.write("enrollments.csv", [
        "record_id", "school_id", "entry_date", "grade_level",
        "consent_recipient_agency_id", "consent_elements",
        "consent_purpose", "consent_signed_on", "consent_signer_role", "consent_language"],
        [[i, SCHOOL, "2026-08-20", "Fifth grade",
          *([*consent[i], "supportive_services", "2026-08-21", "parent", "es"] if i in consent else [""] * 6)]
         for i in ids])
    events = ("In Attendance", "Unexcused Absence", "Tardy", "In Attendance")
    county.write("attendance.csv", ["record_id", "school_id", "event_date", "event"],
                 [[i, SCHOOL, f"2026-09-{d:02d}", events[(n + d) % 4]]
                  for n, i in enumerate(ids) for d in range(1, 9)])
    county.write("grades.csv", ["record_id", "school_id", "course_code", "course_title", "term", "mark"],
                 [[i, SCHOOL, "MATH5", "Mathematics 5", "Fall 2026", "B"] for i in ids])
    county.write("programs.csv", ["record_id", "program", "begin_date"],
                 [[county.school_id_of["no_consent"], "IEP", "2025-09-01"]])
    county.write("discipline.csv", ["record_id", "incident_id", "incident_date", "behavior", "school_id"],
                 [[county.school_id_of["court"], "INC-1", "2026-10-02", "School Violation", SCHOOL]])
    for kind in ("enrollments", "attendance", "grades", "programs", "discipline"):
        county.ok("intake", "load", "--agency", "lea", "--kind", kind,
                  "--in", str(county.copied(county.root / f"{kind}.csv")))
