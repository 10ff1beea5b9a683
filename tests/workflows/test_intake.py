"""Agency data intake end to end, through `accord intake load`, on SQLite and PostgreSQL.

Each test starts from an initialised hub with the agencies of the decision table's world plus a
second school district, a content key and a shared linkage key, and loads small synthetic files
(invented people only) the way an agency's data office would.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from sqlalchemy import create_engine, func, inspect, select, text
from typer.testing import Result

from accord.store.db import make_engine, make_session_factory, session_scope
from accord.store.models import StudentRow
from accord.store.models.content import RecordContentRow
from accord.store.repositories.consents import consents_for_student, get_consent
from tests.workflows.intake_hub import (
    AGREEMENT,
    ATTENDANCE_COLUMNS,
    ENROLLMENT_COLUMNS,
    EVENTS,
    HILLTOP_AGREEMENT,
    IDS,
    SCHOOL,
    STUDENT_COLUMNS,
    STUDENTS,
    Hub,
    attendance,
    body,
    enrollment,
    load_students,
    opened,
    report_line,
)

# --- 1. students, enrollments with consents, attendance --------------------------------------


def test_students_enrollments_and_attendance_load_with_report_ledger_consents_and_roster(hub: Hub) -> None:
    shown = load_students(hub)
    assert "students.csv (students, agency lea): 3 rows read, 3 loaded, 0 rejected." in report_line(shown)
    assert "encoded roster of lea for agreement dsa-health now holds 3 records" in shown
    roster = hub.roster("lea")
    assert roster.exists() and pq.read_table(roster).num_rows == 3

    consent = ("health", "attendance;grades", "supportive_services", "2026-08-21", "parent", "es")
    path = hub.write_csv("enrollments.csv", ENROLLMENT_COLUMNS,
                         [enrollment(IDS[0], consent), enrollment(IDS[1]),
                          enrollment(IDS[2], ("snap", "attendance", "supportive_services", "2026-08-22",
                                              "parent", "en"))])
    shown = hub.ok("intake", "load", "--agency", "lea", "--kind", "enrollments", "--in", str(path))
    assert "3 rows read, 3 loaded, 0 rejected." in report_line(shown)
    assert "2 consent(s) captured at enrollment recorded." in shown

    shown = hub.ok("intake", "load", "--agency", "lea", "--kind", "attendance",
                   "--in", str(hub.write_csv("attendance.csv", ATTENDANCE_COLUMNS, attendance(5))))
    assert "attendance.csv (attendance, agency lea): 15 rows read, 15 loaded, 0 rejected." \
        in report_line(shown)

    entries = hub.ledger()
    loads = [e for e in entries if e["kind"] == "records_loaded"]
    assert [(body(e)["kind"], body(e)["rows_loaded"], body(e)["rows_rejected"]) for e in loads] == [
        ("students", 3, 0), ("enrollments", 3, 0), ("attendance", 15, 0)]
    assert sum(e["kind"] == "consent_recorded" for e in entries) == 2
    assert hub.counts()["students"] == 3 and hub.count("agency_records") == 3
    assert hub.count("consents") == 2 and hub.count("intake_batches") == 3
    days = opened(hub, "lea", IDS[0], "attendance")
    assert len(days) == 5 and {d["school_id"] for d in days} == {SCHOOL}
    assert [e["element"] for e in opened(hub, "lea", IDS[1], "enrollment_history")] == ["enrollment_history"]
    assert pq.read_table(roster).num_rows == 3  # content loads do not touch the roster


# --- 2. a dry run ------------------------------------------------------------------------------


def test_dry_run_checks_everything_and_writes_nothing(hub: Hub) -> None:
    before = hub.counts()
    copy, encodings = hub.submission(hub.write_csv("students.csv", STUDENT_COLUMNS, STUDENTS))
    shown = hub.ok("intake", "load", "--agency", "lea", "--kind", "students", "--in", str(copy),
                   "--encoded", str(encodings), "--dry-run")
    assert "Dry run: nothing written. students.csv (students, agency lea): 3 rows read, 3 would load, " \
           "0 rejected." in report_line(shown)
    assert hub.counts() == before and before["students"] == before["ledger_entries"] == 0
    assert not hub.roster("lea").exists() and "encoded roster" not in shown

    # With the students in, a dry run of enrollments carrying consents records none of them.
    load_students(hub)
    before = hub.counts()
    consent = ("health", "attendance", "supportive_services", "2026-08-21", "parent", "es")
    path = hub.write_csv("enrollments.csv", ENROLLMENT_COLUMNS,
                         [enrollment(IDS[0], consent), enrollment(IDS[1]), enrollment(IDS[2], consent)])
    shown = hub.ok("intake", "load", "--agency", "lea", "--kind", "enrollments", "--in", str(path),
                   "--dry-run")
    assert "3 rows read, 3 would load, 0 rejected." in report_line(shown)
    assert "2 consent(s) captured at enrollment would be recorded." in shown
    assert hub.counts() == before and "consent_recorded" not in hub.kinds()

    # A dry run still finds what a load would reject, and says so.
    rows = [*attendance(2), ["ZQ-9999", SCHOOL, "2026-09-01", "Tardy"]]
    result = hub.run("intake", "load", "--agency", "lea", "--kind", "attendance", "--dry-run",
                     "--in", str(hub.write_csv("attendance.csv", ATTENDANCE_COLUMNS, rows)))
    assert result.exit_code == 1, result.output
    assert "7 rows read, 0 would load, 1 rejected." in report_line(result.output)
    assert hub.counts() == before


# --- 3. all or nothing -------------------------------------------------------------------------

GHOST_ID = "ZQ-GHOST-9931"  # a record id the school never loaded
PLANTED_NAME = "Zyra"  # a first name shifted into the event column
PLANTED_BIRTH = "03/14/2014"  # Zyra's birth date, in a format the date check refuses


def test_one_bad_row_anywhere_loads_nothing_and_names_file_row_and_field(hub: Hub) -> None:
    load_students(hub)
    good = attendance(3)
    hub.ok("intake", "load", "--agency", "lea", "--kind", "attendance",
           "--in", str(hub.write_csv("attendance.csv", ATTENDANCE_COLUMNS, good)))
    before = hub.counts()
    rows = attendance(8)
    rows = [[rid, school, day.replace("2026-09", "2026-10"), event] for rid, school, day, event in rows]
    rows[5][2] = PLANTED_BIRTH  # line 7 (the header is line 1)
    rows[11][3] = PLANTED_NAME  # line 13
    rows.insert(16, [GHOST_ID, SCHOOL, "2026-10-03", "Tardy"])  # line 18
    path = hub.write_csv("attendance-oct.csv", ATTENDANCE_COLUMNS, rows)

    result = hub.load("lea", "attendance", path)
    out = result.output
    assert result.exit_code == 1, out
    assert "attendance-oct.csv (attendance, agency lea): 25 rows read, 0 loaded, 3 rejected." \
        in report_line(out)
    assert "Nothing was loaded" in out
    for row, column, reason in ((7, "event_date", "not a date"), (13, "event", "unknown attendance event"),
                                (18, "record_id", "no student with this id has been loaded")):
        assert re.search(rf"attendance-oct\.csv\W+{row}\W+{column}\W+{reason}", out), (row, out)
    assert hub.counts() == before  # not one of the 22 good rows went in
    assert len(opened(hub, "lea", IDS[0], "attendance")) == 3
    for planted in (GHOST_ID, PLANTED_NAME, PLANTED_BIRTH, "2014"):
        assert planted not in out, planted


def test_reloading_enrollments_keeps_a_revoked_consent_revoked(hub: Hub) -> None:
    load_students(hub)
    consent = ("health", "attendance", "supportive_services", "2026-08-21", "parent", "es")
    path = hub.write_csv("enrollments.csv", ENROLLMENT_COLUMNS, [enrollment(rid, consent) for rid in IDS])
    hub.ok("intake", "load", "--agency", "lea", "--kind", "enrollments", "--in", str(path))
    engine = make_engine(hub.db_url)
    try:
        with session_scope(make_session_factory(engine)) as session:
            consent_id = consents_for_student(session, IDS[0])[0].id
    finally:
        engine.dispose()
    hub.ok("consents", "revoke", consent_id, "--at", "2026-10-01T09:00")

    # The same file again changes nothing; a corrected one (another entry date) records no consent
    # a second time: all three are on record, one of them revoked.
    assert "the same file was loaded as batch" in hub.ok("intake", "load", "--agency", "lea",
                                                         "--kind", "enrollments", "--in", str(path))
    path.write_text(path.read_text(encoding="utf-8").replace("2026-08-20", "2026-08-24"), encoding="utf-8")
    shown = hub.ok("intake", "load", "--agency", "lea", "--kind", "enrollments", "--in", str(path))
    assert "3 rows read, 3 loaded, 0 rejected." in report_line(shown)
    assert "consent(s) captured at enrollment recorded" not in shown  # all three were on record
    assert hub.count("consents") == 3 and hub.kinds().count("consent_recorded") == 3
    engine = make_engine(hub.db_url)
    try:
        with session_scope(make_session_factory(engine)) as session:
            still = get_consent(session, consent_id)
    finally:
        engine.dispose()
    assert still is not None and still.revoked_at is not None


def _consents_refused(hub: Hub, recipients: tuple[str, str]) -> str:
    """Load enrollments whose rows carry a parent's consent to each recipient; the load must be
    refused whole. Returns the output."""
    before = hub.counts()
    path = hub.write_csv("enrollments.csv", ENROLLMENT_COLUMNS, [
        enrollment(rid, (to, "attendance", "supportive_services", "2026-08-21", "parent", "es"))
        for rid, to in zip(IDS, recipients, strict=False)])
    result = hub.run("intake", "load", "--agency", "lea", "--kind", "enrollments", "--in", str(path))
    assert result.exit_code == 1 and hub.counts() == before, result.output
    return result.output


def test_a_consent_naming_an_agency_the_hub_does_not_know_is_rejected(hub: Hub) -> None:
    load_students(hub)
    shown = _consents_refused(hub, ("health", "helth"))
    assert re.search(r"enrollments\.csv\W+3\W+consent_recipient_agency_id\W+no such agency at the hub",
                     shown), shown


def test_a_parents_consent_for_a_student_whose_rights_have_passed_is_rejected(hub: Hub) -> None:
    # ADR 0005/0016: Orrin turned 18 in March 2025; his parent's signature of August 2026 could
    # never authorize anything, so the row is refused with the citation, and nothing loads.
    adult = [list(s) for s in STUDENTS]
    adult[1][4] = "2007-03-14"
    load_students(hub, adult)
    shown = _consents_refused(hub, ("health", "health"))
    assert re.search(r"enrollments\.csv\W+3\W+consent_signer_role\W+a parent signed it on 2026-08-21, when "
                     r"FERPA rights", shown), shown
    assert "99.5(a)" in shown and "2007" not in shown


# --- 4. fatal problems with the file or the command --------------------------------------------


def test_content_under_another_key_than_the_stores_loads_nothing(
        hub: Hub, monkeypatch: pytest.MonkeyPatch) -> None:
    load_students(hub)  # its status content is sealed under the hub's key
    before = hub.counts()
    hub.ok("intake", "content-key", "--out", str(hub.root / "other.key"))
    monkeypatch.setenv("ACCORD_CONTENT_KEY_FILE", str(hub.root / "other.key"))
    result = hub.run("intake", "load", "--agency", "lea", "--kind", "attendance",
                     "--in", str(hub.write_csv("attendance.csv", ATTENDANCE_COLUMNS, attendance(2))))
    assert result.exit_code == 2, result.output
    assert "the store's content is sealed under key " in result.output
    assert "point ACCORD_CONTENT_KEY_FILE at the store's key" in " ".join(result.output.split())
    assert hub.counts() == before


def test_the_same_content_file_loaded_again_changes_nothing_and_says_so(hub: Hub) -> None:
    load_students(hub)
    path = hub.write_csv("attendance.csv", ATTENDANCE_COLUMNS, attendance(3))
    first = hub.ok("intake", "load", "--agency", "lea", "--kind", "attendance", "--in", str(path))
    batch = re.search(r"entry #(\d+)", first)
    before, entries = hub.counts(), len(hub.ledger())
    again = " ".join(hub.ok("intake", "load", "--agency", "lea", "--kind", "attendance", "--in", str(path))
                     .split())
    assert "attendance.csv (attendance, agency lea): the same file was loaded as batch " in again, again
    assert "nothing changed, nothing recorded in the ledger" in again and batch is not None
    assert hub.counts() == before and len(hub.ledger()) == entries
    # Another file (a day more) is another load.
    path.write_text(path.read_text(encoding="utf-8") + f"{IDS[0]},{SCHOOL},2026-09-30,Tardy\n",
                    encoding="utf-8")
    assert "1 rows read" not in hub.ok("intake", "load", "--agency", "lea", "--kind", "attendance",
                                       "--in", str(path))
    assert hub.count("record_content") > before["record_content"]


def test_a_file_of_no_rows_loads_nothing_and_records_nothing(hub: Hub) -> None:
    load_students(hub)
    before = hub.counts()
    shown = hub.ok("intake", "load", "--agency", "lea", "--kind", "attendance",
                   "--in", str(hub.write_csv("attendance.csv", ATTENDANCE_COLUMNS, [])))
    assert "warning: attendance.csv holds no rows (a header alone): nothing to load, nothing recorded" \
        in " ".join(shown.split()), shown
    assert hub.counts() == before


def _attendance_file(hub: Hub, header: Sequence[str] = ATTENDANCE_COLUMNS) -> Path:
    rows = [r[:len(header)] + ["x"] * (len(header) - 4) for r in attendance(1)]
    return hub.write_csv("attendance.csv", header, rows)


def _latin1_file(hub: Hub) -> Path:
    path = hub.root / "attendance.csv"
    path.write_bytes(b"record_id,school_id,event_date,event\n"
                     b"ZQ-1001,255907001,2026-09-01,Tardy\n"
                     b"ZQ-1002,255907001,2026-09-01,Ausente Zyr\xe9\n")
    return path


FATAL: dict[str, tuple[Callable[[Hub], Result], str]] = {
    "not UTF-8": (lambda h: h.load("lea", "attendance", _latin1_file(h)),
                  "attendance.csv, row 3, field (file): not UTF-8: invalid byte at offset"),
    "unknown column": (lambda h: h.load("lea", "attendance", _attendance_file(h, [*ATTENDANCE_COLUMNS,
                                                                                 "pupil_name"])),
                       "attendance.csv, row 1, field pupil_name: unknown column for a attendance file"),
    "missing column": (lambda h: h.load("lea", "attendance", _attendance_file(h, ATTENDANCE_COLUMNS[:3])),
                       "attendance.csv, row 1, field event: missing required column for a attendance file"),
    "unknown agency": (lambda h: h.load("nosuch", "attendance", _attendance_file(h)),
                       "attendance.csv, row 0, field agency: unknown agency nosuch"),
    "a file that is not there": (
        lambda h: h.run("intake", "load", "--agency", "lea", "--kind", "attendance",
                        "--in", str(h.root / "absent.csv")),
        "file not found: "),
    "students at a partner": (
        lambda h: h.load("health", "students", h.write_csv("students.csv", STUDENT_COLUMNS, STUDENTS)),
        "students.csv, row 0, field kind: only an education agency loads students"),
    "bad incidents file": (
        lambda h: h.load("lea", "studentDisciplineIncidentBehaviorAssociations",
                         h.write_json("behaviors.json", []), "--incidents",
                         str(h.write_json("incidents.json", [{"incidentIdentifier": "INC-1",
                                                              "incidentDate": "Zyra's birthday",
                                                              "schoolReference": {"schoolId": SCHOOL}}]))),
        "--incidents: incidents.json, row 1, field incidentDate: not a date"),
    "no encodings": (
        lambda h: h.run("intake", "load", "--agency", "lea", "--kind", "students",
                        "--in", str(h.write_csv("students.csv", STUDENT_COLUMNS, STUDENTS))),
        "--encoded: a students file comes with its identities encoded at the agency (`accord node encode "
        "--key-file KEY --agreement ID --in students.csv --out FILE`)"),
}


@pytest.mark.parametrize("case", list(FATAL))
def test_fatal_problems_exit_2_with_one_line(hub: Hub, case: str) -> None:
    before = hub.counts()
    run, expected = FATAL[case]
    result = run(hub)
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert result.exit_code == 2, result.output
    assert len(lines) == 1 and lines[0].startswith(f"error: {expected}"), lines
    assert "Traceback" not in result.output and "Zyr" not in result.output
    assert hub.counts() == before and not hub.roster("lea").exists() and not hub.roster("health").exists()


# --- 5. Ed-Fi resources ------------------------------------------------------------------------

EDFI = "uri://ed-fi.org/"


def _edfi_students() -> list[dict[str, object]]:
    return [{"studentUniqueId": rid, "firstName": first, "middleName": middle, "lastSurname": last,
             "birthDate": born, "birthSexDescriptor": f"{EDFI}SexDescriptor#{sex}"}
            for rid, first, middle, last, born, sex, *_ in STUDENTS]


def _edfi_attendance() -> list[dict[str, object]]:
    return [{"studentReference": {"studentUniqueId": rid}, "schoolReference": {"schoolId": int(SCHOOL)},
             "eventDate": day,
             "attendanceEventCategoryDescriptor": f"{EDFI}AttendanceEventCategoryDescriptor#{ev}"}
            for rid, _school, day, ev in attendance(4)]


def test_edfi_students_attendance_and_discipline(hub: Hub) -> None:
    shown = hub.load("lea", "students", hub.write_json("students.json", _edfi_students())).output
    assert "students.json (students, agency lea): 3 rows read, 3 loaded, 0 rejected." in report_line(shown)
    assert pq.read_table(hub.roster("lea")).num_rows == 3
    shown = hub.load("lea", "studentSchoolAttendanceEvents",
                     hub.write_json("attendance.ndjson", _edfi_attendance(), ndjson=True)).output
    assert "12 rows read, 12 loaded, 0 rejected." in report_line(shown)

    incidents = hub.write_json("incidents.json", [
        {"incidentIdentifier": inc, "incidentDate": day, "schoolReference": {"schoolId": SCHOOL}}
        for inc, day in (("INC-77", "2026-10-02"), ("INC-78", "2026-10-09"))])
    shown = hub.load("lea", "disciplineIncidents", incidents).output
    assert "incidents.json (disciplineIncidents, agency lea): 2 rows read, 2 loaded, 0 rejected." in shown
    behaviors = hub.write_json("behaviors.ndjson", [
        {"studentReference": {"studentUniqueId": IDS[1]},
         "behaviorDescriptor": f"{EDFI}BehaviorDescriptor#{b}",
         "disciplineIncidentReference": {"incidentIdentifier": inc, "schoolId": SCHOOL}}
        for inc, b in (("INC-77", "School Violation"), ("INC-78", "School Code of Conduct"))], ndjson=True)
    result = hub.load("lea", "studentDisciplineIncidentBehaviorAssociations", behaviors,
                      "--incidents", str(incidents))
    assert result.exit_code == 0, result.output
    assert "2 rows read, 2 loaded, 0 rejected." in report_line(result.output)

    days = opened(hub, "lea", IDS[0], "attendance")
    assert [str(d["on"]) for d in days] == ["2026-09-01", "2026-09-02", "2026-09-03", "2026-09-04"]
    assert {d["event"] for d in days} <= set(EVENTS) and {d["school_id"] for d in days} == {SCHOOL}
    discipline = opened(hub, "lea", IDS[1], "discipline")
    assert [(str(d["on"]), d["incident_id"], d["behavior"]) for d in discipline] == [
        ("2026-10-02", "INC-77", "School Violation"), ("2026-10-09", "INC-78", "School Code of Conduct")]
    assert opened(hub, "lea", IDS[2], "discipline") == []
    assert [body(e)["kind"] for e in hub.ledger() if e["kind"] == "records_loaded"] == [
        "students", "studentSchoolAttendanceEvents", "disciplineIncidents",
        "studentDisciplineIncidentBehaviorAssociations"]


# --- 6. reloading students, and another district's student -------------------------------------


def _student(db_url: str, record_id: str) -> tuple[str, str | None]:
    engine = make_engine(db_url)
    try:
        with session_scope(make_session_factory(engine)) as session:
            row = session.get(StudentRow, record_id)
            assert row is not None
            return row.school_agency_id, None if row.turns_18_in is None else row.turns_18_in.isoformat()
    finally:
        engine.dispose()


def test_reloading_students_replaces_them_and_another_districts_student_is_rejected(hub: Hub) -> None:
    load_students(hub)
    assert "3 rows read, 3 loaded, 0 rejected." in report_line(load_students(hub))
    corrected = [list(s) for s in STUDENTS]
    # The district fixed a birth date: the hub gets what the node sends for it, now the month itself
    # (the birthday is near: ADR 0030), where it had only "not before February 2027".
    assert _student(hub.db_url, IDS[1]) == ("lea", "2027-02-01")
    corrected[1][4] = "2008-12-03"
    corrected[1][9] = "Seventh grade"
    assert "3 rows read, 3 loaded, 0 rejected." in report_line(load_students(hub, corrected))
    assert hub.count("students") == 3 and hub.count("agency_records") == 3
    assert pq.read_table(hub.roster("lea")).num_rows == 3
    assert _student(hub.db_url, IDS[1]) == ("lea", "2026-12-01")
    assert [g["grade_level"] for g in opened(hub, "lea", IDS[1], "grade_level")] == ["Seventh grade"]
    assert [g["grade_level"] for g in opened(hub, "lea", IDS[0], "grade_level")] == ["Fifth grade"]

    before = hub.counts()
    hilltop = [["HT-2001", "Brannoc", "", "Elsworthy", "2014-01-09", "Male", "88 Quarry Row", "Dunmarsh",
                "40221", "Fifth grade"], [*STUDENTS[1]]]
    result = hub.load("hilltop", "students", hub.write_csv("hilltop-students.csv", STUDENT_COLUMNS, hilltop),
                      agreement=HILLTOP_AGREEMENT.id)
    assert result.exit_code == 1, result.output
    assert "2 rows read, 0 loaded, 1 rejected." in report_line(result.output)
    named = r"hilltop-students\.csv\W+3\W+record_id\W+this student id belongs to another school agency"
    assert re.search(named, result.output), result.output
    assert IDS[1] not in result.output and "Orrin" not in result.output
    assert hub.counts() == before and not hub.roster("hilltop", HILLTOP_AGREEMENT.id).exists()
    assert _student(hub.db_url, IDS[1]) == ("lea", "2026-12-01")


# --- 7. content sealed at rest -----------------------------------------------------------------

COURSE_TITLE = "Quellwood Astronomy Seminar"


def test_content_is_sealed_at_rest(hub: Hub) -> None:
    load_students(hub)
    header = ["record_id", "school_id", "course_code", "course_title", "term", "mark"]
    path = hub.write_csv("grades.csv", header,
                         [[rid, SCHOOL, "ASTR7", COURSE_TITLE, "Fall 2026", "A-"] for rid in IDS])
    hub.ok("intake", "load", "--agency", "lea", "--kind", "grades", "--in", str(path))

    engine = create_engine(hub.db_url)
    try:
        with engine.connect() as con:
            sealed = [bytes(b) for b in con.execute(select(RecordContentRow.sealed)
                                                    .where(RecordContentRow.element == "grades")).scalars()]
            texts = [str(v) for t in inspect(con).get_table_names()
                     for row in con.execute(text(f'SELECT * FROM "{t}"')) for v in row if v is not None]
            grades = con.execute(select(func.count()).select_from(RecordContentRow)
                                 .where(RecordContentRow.element == "grades")).scalar_one()
    finally:
        engine.dispose()
    assert grades == 3 and len(sealed) == 3
    for planted in (COURSE_TITLE, "Astronomy", "ASTR7"):
        assert not [b for b in sealed if planted.encode() in b], planted
        assert not [t for t in texts if planted in t], planted
    for name in ("Zyra", "Quellwood", "Fernhollow", "Tavistrand"):  # identities never reach the hub
        assert not [t for t in texts if name in t], name
    # ... and yet the content is there, under the hub's key.
    grades_of = opened(hub, "lea", IDS[2], "grades")
    assert [(g["course_title"], g["mark"]) for g in grades_of] == [(COURSE_TITLE, "A-")]


# --- 7. the agency's encodings, checked before anything is written (ADR 0014, P1) ----------------


def test_encodings_of_another_file_load_nothing(hub: Hub) -> None:
    two = hub.write_csv("two.csv", STUDENT_COLUMNS, STUDENTS[:2])
    copy, _ = hub.submission(hub.write_csv("students.csv", STUDENT_COLUMNS, STUDENTS))
    before = hub.counts()
    result = hub.run("intake", "load", "--agency", "lea", "--kind", "students", "--in", str(copy),
                     "--encoded", str(hub.encoded(two)))
    assert result.exit_code == 2 and result.output.strip().startswith(
        "error: two.parquet: holds 0 record(s) the file does not or holds twice, and lacks 1 of its 3"
    ), result.output
    assert "ZQ-" not in result.output and "Zyr" not in result.output
    assert hub.counts() == before and not hub.roster("lea").exists()


def test_encodings_under_another_key_load_nothing(hub: Hub) -> None:
    path = hub.write_csv("students.csv", STUDENT_COLUMNS, STUDENTS)
    copy, encodings = hub.submission(path)
    hub.ok("intake", "load", "--agency", "lea", "--kind", "students", "--in", str(copy),
           "--encoded", str(encodings))
    hub.ok("node", "keygen", "--out", str(hub.root / "other.key"))
    other = hub.root / "other.parquet"
    hub.ok("node", "encode", "--key-file", str(hub.root / "other.key"), "--in", str(path), "--out",
           str(other),
           "--agreement", AGREEMENT)
    before, roster = hub.counts(), hub.roster("lea").read_bytes()
    result = hub.run("intake", "load", "--agency", "lea", "--kind", "students", "--in", str(copy),
                     "--encoded", str(other))
    assert result.exit_code == 2 and "other.parquet: encoded under a different key" in result.output, \
        result.output
    assert hub.counts() == before and hub.roster("lea").read_bytes() == roster


@pytest.mark.parametrize(("agreement", "refusal"), [
    ("", "encoded for no agreement; encode it for the agreement it is sent under"),
    ("dsa-nowhere", "encoded for agreement dsa-nowhere, which is not on file"),
    ("em", "agreement em is an enterprise memorandum; rosters go under the data-sharing agreement"),
    ("dsa-court-to-school", "agency health is not a party to agreement dsa-court-to-school"),
    ("dsa-clinic-health", "agreement dsa-clinic-health binds no education agency, so no case request"),
])
def test_encodings_not_made_for_an_agreement_of_the_agency_load_nothing(
        hub: Hub, agreement: str, refusal: str) -> None:
    # ADR 0015: a roster reaches the hub only under an active data-sharing agreement of its agency.
    load_students(hub)  # the school's roster is there: only the agreement can be wrong
    path = hub.write_csv("students.csv", STUDENT_COLUMNS[:-1], [s[:-1] for s in STUDENTS])
    encodings, copy = path.with_suffix(".parquet"), hub.root / "health-copy.csv"
    hub.ok("node", "encode", "--key-file", str(hub.root / "shared.key"), "--in", str(path),
           "--out", str(encodings), "--hub-copy", str(copy),
           *(["--agreement", agreement] if agreement else []))
    before = hub.counts()
    result = hub.run("intake", "load", "--agency", "health", "--kind", "roster", "--in", str(copy),
                     "--encoded", str(encodings), "--element", "clinical_conditions")
    assert result.exit_code == 2 and f"error: students.parquet: {refusal}" in result.output, result.output
    assert hub.counts() == before
    assert [p.parent.name for p in (hub.root / "data").glob("hub/agreements/*/*/roster.parquet")] == ["lea"]


def test_one_file_sent_under_two_agreements_lands_in_two_rosters_that_never_compare(hub: Hub) -> None:
    path = hub.write_csv("students.csv", STUDENT_COLUMNS, STUDENTS)
    copy, health = hub.submission(path)
    court = hub.encoded(hub.write_csv("students-court.csv", STUDENT_COLUMNS, STUDENTS), "dsa-court")
    shown = hub.ok("intake", "load", "--agency", "lea", "--kind", "students", "--in", str(copy),
                   "--encoded", str(health), "--encoded", str(court))
    assert "for agreement dsa-court now holds 3" in shown and "for agreement dsa-health now holds 3" in shown
    # The hub links no roster it keeps on demand; copies of the two, taken out, do not compare.
    out = str(hub.root / "links.csv")
    result = hub.run("link", "--left", str(hub.roster("lea")), "--dedupe", "--out", out)
    assert result.exit_code == 2 and "roster.parquet: a roster the hub keeps for an agreement; it is " \
        "linked only inside a run of that agreement's purpose" in result.output, result.output
    taken = {a: hub.root / f"{a}.parquet" for a in ("dsa-health", "dsa-court")}
    for agreement, copy in taken.items():
        copy.write_bytes(hub.roster("lea", agreement).read_bytes())
    result = hub.run("link", "--left", str(taken["dsa-health"]), "--right", str(taken["dsa-court"]),
                     "--out", out)
    refusal = ("dsa-court.parquet: encoded for agreement dsa-court, dsa-health.parquet for agreement "
               "dsa-health; encodings made for two agreements never compare")
    assert result.exit_code == 2 and refusal in result.output, result.output


def test_a_partner_roster_is_linked_once_with_the_schools_then_deleted(hub: Hub) -> None:
    # ADR 0015: the hub keeps a partner's encodings only for the run that needs them, within the
    # load that brings them; the run and the deletion are in the ledger, counts only.
    health = [[f"H-{n}", *row[1:-1]] for n, row in enumerate(STUDENTS)]
    roster = hub.write_csv("health.csv", STUDENT_COLUMNS[:-1], health)
    early = hub.run("intake", "load", "--agency", "health", "--kind", "roster", "--element",
                    "clinical_conditions", "--in", *_sent(hub, roster))
    assert early.exit_code == 2 and "agency lea's roster for agreement dsa-health is not at the hub yet" \
        in early.output, early.output
    assert not hub.roster("health").exists() and hub.count("agency_records") == 0
    load_students(hub)
    hub.ok("intake", "load", "--agency", "health", "--kind", "roster", "--element", "clinical_conditions",
           "--in", *_sent(hub, roster))
    assert not hub.roster("health").exists() and hub.roster("lea").exists()
    assert (hub.roster("lea").parent / "lookup-health.json").exists()
    runs = [body(e) for e in hub.ledger() if e["kind"] == "linkage_run"]
    assert [{k: v for k, v in r.items() if k != "run_at"} for r in runs] == [{
        "agreement": AGREEMENT, "purpose": "lookup model training for case requests",
        "rosters": {"health": 3, "lea": 3}, "encodings_deleted": ["health"]}]


def _sent(hub: Hub, path: Path) -> list[str]:
    copy, encodings = hub.submission(path)
    return [str(copy), "--encoded", str(encodings)]


def test_a_load_of_a_kind_without_identities_takes_no_encodings(hub: Hub) -> None:
    path = hub.write_csv("students.csv", STUDENT_COLUMNS, STUDENTS)
    result = hub.run("intake", "load", "--agency", "lea", "--kind", "attendance", "--in", str(path),
                     "--encoded", str(hub.encoded(path)))
    assert result.exit_code == 2
    assert "--encoded: attendance files have no identities to encode" in result.output


def test_an_edfi_students_file_with_names_loads_nothing(hub: Hub) -> None:
    path = hub.write_json("students.json", _edfi_students())
    before = hub.counts()
    result = hub.run("intake", "load", "--agency", "lea", "--kind", "students", "--in", str(path),
                     "--encoded", str(hub.encoded(path)))
    assert result.exit_code == 2, result.output
    refusal = ("students.json: names, birth dates, sex, addresses and identifiers reach the hub only as "
               "encodings")
    assert refusal in result.output
    assert hub.counts() == before and not hub.roster("lea").exists()
