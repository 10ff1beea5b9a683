"""Every validation branch: the rejection names file, row and field, and never a planted value."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from accord.domain.students import NO_LATER_MONTH
from accord.intake import IntakeError, Rejection, iter_batches, read_file
from accord.intake.errors import RowIssue
from accord.intake.values import required_month_bounds

CsvFile = Callable[[str, str], Path]
NAME, BORN, RID = "Zyra", "2030-03", "S-604821"
PLANTED = (NAME, "Quellwood", BORN, RID, "Larkspur")
# The hub's copy of a students file: no names, birth date, sex, address or identifier
# (domain.withheld); the month the student turns 18 instead (ADR 0016).
STUDENTS = "record_id,turns_18_in,grade_level,primary_language\n"
GOOD = f"{RID},{BORN},6,Spanish\n"


def only(rejections: list[Rejection]) -> Rejection:
    assert len(rejections) == 1, rejections
    text = str(rejections[0])
    for value in PLANTED:
        assert value not in text, f"{value!r} leaked into {text!r}"
    return rejections[0]


@pytest.mark.parametrize(("row", "field", "reason"), [
    (f"{RID},03/2030,6,\n", "turns_18_in", "not a month (expected YYYY-MM)"),
    (f"{RID},2030-03-14,6,\n", "turns_18_in", "not a month (expected YYYY-MM)"),
    (f"{RID},2030-13,6,\n", "turns_18_in", "impossible date"),
    (f"{RID},1830-03,6,\n", "turns_18_in", "outside the years"),
    (f"{RID},unreadable,6,\n", "turns_18_in", "the node could not read this row's date_of_birth"),
    (f" ,{BORN},6,\n", "record_id", "required field is empty"),
    (f"{'S' * 202},{BORN},6,\n", "record_id", "longer than 64 characters, the limit for an id"),
    (f"{RID},{BORN}\n", "(row)", "expected 4 fields, found 2"),
])
def test_student_row_rejections(csv_file: CsvFile, row: str, field: str, reason: str) -> None:
    batch = read_file(csv_file("students.csv", STUDENTS + GOOD.replace(RID, "S-1") + row), "students")
    rejection = only(batch.rejections)
    assert (rejection.file, rejection.row, rejection.field) == ("students.csv", 3, field)
    assert reason in rejection.reason
    assert batch.rows_read == 2 and len(batch.identities) == len(batch.students) == 1


@pytest.mark.parametrize(("cell", "reason"), [
    ("03/14/2026", "not a date (expected YYYY-MM-DD)"),
    ("2026-02-30", "impossible date"),
    ("1830-09-01", "outside the years"),
    ("Zyra", "not a date (expected YYYY-MM-DD)"),
])
def test_bad_postsecondary_enrolment_date(csv_file: CsvFile, cell: str, reason: str) -> None:
    header = STUDENTS.strip() + ",postsecondary_enrolled_on\n"
    batch = read_file(csv_file("students.csv", header + GOOD.strip().replace(RID, "S-1") + ",2026-08-24\n"
                               + GOOD.strip() + f",{cell}\n"), "students")
    rejection = only(batch.rejections)
    assert (rejection.file, rejection.row) == ("students.csv", 3)
    assert rejection.field == "postsecondary_enrolled_on"
    assert reason in rejection.reason and cell not in str(rejection)
    assert len(batch.identities) == len(batch.students) == 1


def test_duplicate_record_id(csv_file: CsvFile) -> None:
    batch = read_file(csv_file("students.csv", STUDENTS + GOOD + GOOD), "students")
    rejection = only(batch.rejections)
    assert (rejection.row, rejection.field) == (3, "record_id") and "duplicate" in rejection.reason
    assert len(batch.identities) == 1


def test_bad_flag_and_number(csv_file: CsvFile) -> None:
    header = STUDENTS.strip() + ",english_learner,household_size\n"
    batch = read_file(csv_file("s.csv", header + GOOD.strip() + ",maybe,4\n"
                               + GOOD.strip().replace(RID, "S-2") + ",Y,-3\n"), "students")
    assert [(r.row, r.field) for r in batch.rejections] == [(2, "english_learner"), (3, "household_size")]
    for value in PLANTED:
        assert all(value not in str(r) for r in batch.rejections)


@pytest.mark.parametrize(("kind", "text", "field", "reason"), [
    ("attendance", "record_id,school_id,event_date,event\nS1,9,2023-09-12,Skipped\n", "event", "unknown"),
    ("attendance", "record_id,school_id,event_date,event\nS1,9,2023-09-12,Tardy\nS1,9,2023-09-12,Tardy\n",
     "record_id", "duplicate"),
    ("attendance", "record_id,school_id,event_date,event,minutes\nS1,9,2023-09-12,Tardy,ten\n", "minutes",
     "not a whole number"),
    ("attendance", "record_id,school_id,event_date,event\nS1,,2023-09-12,Tardy\n", "school_id", "empty"),
    ("discipline", "record_id,incident_id,incident_date,behavior,school_id\nS1,I1,2023-10-05,Rudeness,9\n",
     "behavior", "unknown behavior"),
    ("programs", "record_id,program,begin_date\nS1,Chess Club,2023-08-21\n", "program", "unknown program"),
    ("programs", "record_id,program,begin_date,end_date\nS1,IEP,2023-08-21,2023-01-01\n", "end_date",
     "before the begin date"),
    ("enrollments", "record_id,school_id,entry_date,exit_date,grade_level\nS1,9,2023-08-21,2023-08-01,6\n",
     "exit_date", "before the entry date"),
    ("grades", "record_id,school_id,course_code,course_title,term,mark\nS1,9,M6,Math,Fall,A\n"
     "S1,9,M6,Math,Fall,B\n", "course_code", "duplicate"),
    ("grades", "record_id,school_id,course_code,course_title,term,mark\nS1,9,M6,Math,Fall,\n", "mark",
     "empty"),
])
def test_event_kind_rejections(csv_file: CsvFile, kind: str, text: str, field: str, reason: str) -> None:
    rows = text.count("\n") - 1
    rejection = only(read_file(csv_file(f"{kind}.csv", text), kind).rejections)
    assert (rejection.row, rejection.field) == (rows + 1, field)
    assert reason in rejection.reason


CONSENT = ("record_id,school_id,entry_date,grade_level,consent_recipient_agency_id,consent_elements,"
           "consent_purpose,consent_signed_on,consent_signer_role,consent_language\n")


@pytest.mark.parametrize(("consent", "field"), [
    ("county-health,attendance;shoe_size,supportive_services,2023-08-21,parent,en", "consent_elements"),
    ("county-health,attendance,marketing,2023-08-21,parent,en", "consent_purpose"),
    ("county-health,attendance,supportive_services,2023-08-21,neighbor,en", "consent_signer_role"),
    ("county-health,attendance,supportive_services,21.08.2023,parent,en", "consent_signed_on"),
    (",attendance,supportive_services,2023-08-21,parent,en", "consent_recipient_agency_id"),
    ("county-health,attendance,supportive_services,2023-08-21,parent,", "consent_language"),
])
def test_consent_rejections(csv_file: CsvFile, consent: str, field: str) -> None:
    batch = read_file(csv_file("enr.csv", CONSENT + f"{RID},9,2023-08-21,6,{consent}\n"), "enrollments")
    assert only(batch.rejections).field == field
    assert batch.content == [] and batch.consents == []


def test_unknown_consent_element_is_named_when_code_shaped(csv_file: CsvFile) -> None:
    text = (CONSENT + f"{RID},9,2023-08-21,6,county-health,attendance;shoe_size,supportive_services,"
            "2023-08-21,parent,en\n")
    assert "shoe_size" in only(read_file(csv_file("e.csv", text), "enrollments").rejections).reason
    text = text.replace("shoe_size", NAME)
    assert NAME not in only(read_file(csv_file("e.csv", text), "enrollments").rejections).reason


@pytest.mark.parametrize(("header", "field", "reason"), [
    (STUDENTS.strip() + ",favourite_colour", "favourite_colour", "unknown column for a students file"),
    (STUDENTS.replace("turns_18_in,", ""), "turns_18_in", "missing required column"),
    (STUDENTS.strip() + ",date_of_birth", "date_of_birth", "reach the hub only as encodings"),
    (STUDENTS.strip() + ",grade_level", "grade_level", "more than once"),
    (STUDENTS.strip() + ",first_name", "first_name", "reach the hub only as encodings"),
    (STUDENTS.strip() + ",street_address", "street_address", "reach the hub only as encodings"),
])
def test_fatal_header_problems(csv_file: CsvFile, header: str, field: str, reason: str) -> None:
    path = csv_file("students.csv", header.strip() + "\n" + GOOD)
    with pytest.raises(IntakeError) as caught:
        read_file(path, "students")
    assert (caught.value.file, caught.value.row, caught.value.field) == ("students.csv", 1, field)
    assert str(caught.value) == f"students.csv, row 1, field {field}: {caught.value.reason}"
    assert reason in caught.value.reason


def test_partial_consent_columns_are_fatal(csv_file: CsvFile) -> None:
    path = csv_file("e.csv", "record_id,school_id,entry_date,grade_level,consent_elements\n")
    with pytest.raises(IntakeError, match="consent_recipient_agency_id"):
        read_file(path, "enrollments")


def test_not_utf8_is_fatal_with_line_and_offset(tmp_path: Path) -> None:
    path = tmp_path / "students.csv"
    path.write_bytes(STUDENTS.encode() + GOOD.encode() + "S-2,2012-01-01,6,Espa\xf1ol\n".encode("latin-1"))
    with pytest.raises(IntakeError) as caught:
        list(iter_batches(path, "students"))
    offset = len(STUDENTS.encode() + GOOD.encode()) + len("S-2,2012-01-01,6,Espa")
    assert caught.value.row == 3 and f"offset {offset}" in caught.value.reason
    assert "not UTF-8" in str(caught.value) and NAME not in str(caught.value)


def test_oversized_file_is_fatal_before_reading(csv_file: CsvFile) -> None:
    path = csv_file("att.csv", "record_id,school_id,event_date,event\n" + "S1,9,2023-09-12,Tardy\n" * 10)
    with pytest.raises(IntakeError, match="over the limit of 100") as caught:
        next(iter_batches(path, "attendance", max_bytes=100))
    assert (caught.value.row, caught.value.field) == (0, "(file)")


def test_malformed_csv_quote_is_fatal(csv_file: CsvFile) -> None:
    path = csv_file("att.csv", 'record_id,school_id,event_date,event\nS1,9,2023-09-12,"Tardy"x\n')
    with pytest.raises(IntakeError, match="malformed CSV"):
        read_file(path, "attendance")


def test_empty_file_and_unknown_kind(csv_file: CsvFile) -> None:
    with pytest.raises(IntakeError, match="no header row"):
        read_file(csv_file("a.csv", ""), "attendance")
    with pytest.raises(IntakeError, match="unknown CSV kind"):
        read_file(csv_file("a.csv", "x\n"), "lunch_menu")
    with pytest.raises(IntakeError, match="unknown file type"):
        read_file(csv_file("a.xlsx", "x\n"), "attendance")


@pytest.mark.parametrize(("text", "bounds"), [
    ("2027-01", (date(2027, 1, 1), None)),
    ("2027-02/..", (date(2027, 2, 1), NO_LATER_MONTH)),
    ("1900-01/2026-10", (date(1900, 1, 1), date(2026, 10, 1))),
])
def test_the_month_of_turning_18_or_its_bounds(text, bounds):
    assert required_month_bounds({"turns_18_in": text}, "turns_18_in") == bounds


@pytest.mark.parametrize("text", ["2027-02/", "2027-02/2026-10", "2027-02/soon", "../2027-02"])
def test_bounds_that_are_not_months_in_order_are_refused(text):
    with pytest.raises(RowIssue) as raised:
        required_month_bounds({"turns_18_in": text}, "turns_18_in")
    assert raised.value.field == "turns_18_in"
