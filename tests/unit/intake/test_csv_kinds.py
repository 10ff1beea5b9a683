"""Each CSV kind read into identities, facts, content and consents."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from accord.intake import IntakeError, read_file

CsvFile = Callable[[str, str], Path]
STUDENT_HEADER = ("record_id,turns_18_in,grade_level,english_learner,homeless,iep_504,directory_opt_out,"
                  "meal_disclosure_opt_out,parent_education,household_size,primary_language\n")


def test_students(csv_file: CsvFile) -> None:
    path = csv_file("students.csv", STUDENT_HEADER
                    + "S1,2030-03,6,Y,N,Y,Y,N,some college,4,Spanish\n"
                    + "S2,2029-11,,,,,,,,,\n")
    batch = read_file(path, "students")
    assert (batch.kind, batch.source, batch.rows_read) == ("students", "students.csv", 2)
    assert batch.rejections == []
    # The hub's copy holds no names and no birth date: a record is known by its id, its encodings
    # arrive apart, and the month the student turns 18 stands for the birth date (ADR 0016).
    assert [(i.record_id, i.identity) for i in batch.identities] == [("S1", {}), ("S2", {})]
    assert [s.turns_18_in for s in batch.students] == [date(2030, 3, 1), date(2029, 11, 1)]
    assert batch.students[0].directory_opt_out and not batch.students[0].meal_disclosure_opt_out
    by_element = {c.element: c.values for c in batch.content if c.record_id == "S1"}
    assert by_element == {
        "grade_level": {"grade_level": "6"}, "english_learner": {"english_learner": True},
        "homeless_status": {"homeless": False}, "iep_504_status": {"iep_504": True},
        "family_background": {"parent_education": "some college", "primary_language": "Spanish",
                              "household_size": 4},
    }
    assert [c for c in batch.content if c.record_id == "S2"] == []


def test_students_postsecondary_enrolment(csv_file: CsvFile) -> None:
    """The day a student first enrolled in college classes (the rights are hers from then on, 34 CFR
    99.3): a date, or an empty cell for "not enrolled"; a file without the column says nothing."""
    path = csv_file("students.csv", "record_id,turns_18_in,postsecondary_enrolled_on\n"
                    "S1,2028-05,2026-08-24\nS2,2029-11,\n")
    batch = read_file(path, "students")
    assert batch.rejections == []
    assert [(s.postsecondary_enrolled_on, s.postsecondary_in_file) for s in batch.students] == [
        (date(2026, 8, 24), True), (None, True)]
    assert batch.content == []  # a fact of the student, not status content
    silent = read_file(csv_file("older.csv", "record_id,turns_18_in\nS1,2028-05\n"), "students")
    assert [(s.postsecondary_enrolled_on, s.postsecondary_in_file) for s in silent.students] == [
        (None, False)]


def test_students_with_bom_and_crlf(tmp_path: Path) -> None:
    path = tmp_path / "s.csv"
    path.write_bytes(b"\xef\xbb\xbfrecord_id,turns_18_in\r\nS1,2030-03\r\n")
    batch = read_file(path, "students")
    assert batch.students[0].turns_18_in == date(2030, 3, 1)


@pytest.mark.parametrize("column", ["first_name", "last_name", "national_id", "postcode", "date_of_birth"])
def test_a_file_carrying_identities_is_refused(csv_file: CsvFile, column: str) -> None:
    path = csv_file("students.csv", f"record_id,turns_18_in,{column}\nS1,2030-03,X\n")
    refusal = (f"field {column}: names, birth dates, sex, addresses and identifiers reach the hub only "
               "as encodings")
    with pytest.raises(IntakeError, match=refusal):
        read_file(path, "students")


def test_enrollments_with_consent(csv_file: CsvFile) -> None:
    path = csv_file("enr.csv",
                    "record_id,school_id,entry_date,exit_date,grade_level,exit_reason,consent_recipient_agency_id,"
                    "consent_elements,consent_purpose,consent_signed_on,consent_signer_role,consent_language\n"
                    "S1,255901107,2023-08-21,2024-05-30,6,Transferred,county-health,attendance; grades,"
                    "supportive_services,2023-08-21,parent,es\n"
                    "S2,255901107,2023-08-21,,7,,,,,,,\n")
    batch = read_file(path, "enrollments")
    assert batch.rejections == []
    first = batch.content[0]
    assert (first.element, first.occurred_on) == ("enrollment_history", date(2023, 8, 21))
    assert first.values == {"school_id": "255901107", "entry_date": "2023-08-21", "exit_date": "2024-05-30",
                            "grade_level": "6", "exit_reason": "Transferred"}
    [consent] = batch.consents
    assert consent.record_id == "S1" and consent.recipient_agency_id == "county-health"
    assert consent.elements == frozenset({"attendance", "grades"})
    assert (consent.purpose, consent.signed_on, consent.signer_role, consent.language) == (
        "supportive_services", date(2023, 8, 21), "parent", "es")


def test_attendance(csv_file: CsvFile) -> None:
    path = csv_file("att.csv", "record_id,school_id,event_date,event,minutes\n"
                    "S1,255901107,2023-09-12,Unexcused Absence,\nS1,255901107,2023-09-13,Tardy,15\n"
                    " S2 ,255901107,2023-09-13,tardy,\n")
    batch = read_file(path, "attendance")
    assert batch.rejections == []
    assert [(c.record_id, c.occurred_on, c.values) for c in batch.content] == [
        ("S1", date(2023, 9, 12), {"event": "Unexcused Absence", "school_id": "255901107"}),
        ("S1", date(2023, 9, 13), {"event": "Tardy", "school_id": "255901107", "minutes": 15}),
        ("S2", date(2023, 9, 13), {"event": "Tardy", "school_id": "255901107"}),
    ]


def test_discipline(csv_file: CsvFile) -> None:
    path = csv_file("dis.csv", "record_id,incident_id,incident_date,behavior,action,school_id\n"
                    "S1,INC-42,2023-10-05,School Code of Conduct,Detention,255901107\n")
    [item] = read_file(path, "discipline").content
    assert (item.element, item.occurred_on) == ("discipline", date(2023, 10, 5))
    assert item.values == {"incident_id": "INC-42", "school_id": "255901107",
                           "behavior": "School Code of Conduct", "action": "Detention"}


def test_grades(csv_file: CsvFile) -> None:
    path = csv_file("gr.csv", "record_id,school_id,course_code,course_title,term,mark,credits\n"
                    "S1,255901107,MATH6,Mathematics 6,2023 Fall,B+,0.5\n")
    [item] = read_file(path, "grades").content
    assert item.element == "grades" and item.occurred_on is None
    assert item.values == {"school_id": "255901107", "course_code": "MATH6", "course_title": "Mathematics 6",
                           "term": "2023 Fall", "mark": "B+", "credits": 0.5}


@pytest.mark.parametrize(("program", "element", "extra"), [
    ("Free Meals", "meal_eligibility_status", {"status": "free"}),
    ("Reduced-Price Meals", "meal_eligibility_status", {"status": "reduced"}),
    ("Directly Certified", "meal_eligibility_status", {"status": "free", "basis": "direct_certification"}),
    ("English Learner", "english_learner", {"english_learner": True}),
    ("Homeless", "homeless_status", {"homeless": True}),
    ("Section 504", "iep_504_status", {"plan": "504"}),
    ("IEP", "iep_504_status", {"plan": "IEP"}),
])
def test_programs(csv_file: CsvFile, program: str, element: str, extra: dict[str, object]) -> None:
    path = csv_file("pr.csv", f"record_id,program,begin_date,end_date\nS1,{program},2023-08-21,\n")
    [item] = read_file(path, "programs").content
    assert (item.element, item.occurred_on) == (element, date(2023, 8, 21))
    assert item.values == {**extra, "program": program, "begin_date": "2023-08-21", "end_date": None}


def test_partner_roster(csv_file: CsvFile) -> None:
    path = csv_file("roster.csv", "record_id,turns_18_in,program_case_type,"
                    "program_certified_on\nH-77,2030-03,household,2024-01-09\n")
    batch = read_file(path, "roster", element="snap_participation")
    assert batch.identities[0].identity == {}  # the partner's people need no fact at the hub
    [item] = batch.content
    assert (item.record_id, item.element) == ("H-77", "snap_participation")
    assert item.values == {"case_type": "household", "certified_on": "2024-01-09"}
    assert batch.students == []


@pytest.mark.parametrize("element", [None, "shoe_size"])
def test_roster_needs_a_catalogue_element(csv_file: CsvFile, element: str | None) -> None:
    path = csv_file("roster.csv", "record_id\n")
    with pytest.raises(IntakeError, match="field element"):
        read_file(path, "roster", element=element)


def test_header_only_file_gives_an_empty_batch(csv_file: CsvFile) -> None:
    batch = read_file(csv_file("att.csv", "record_id,school_id,event_date,event\n"), "attendance")
    assert (batch.rows_read, batch.content, batch.rejections) == (0, [], [])
