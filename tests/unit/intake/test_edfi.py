"""Ed-Fi resources in JSON arrays and NDJSON, descriptor parsing and the discipline join."""

from __future__ import annotations

import copy
from datetime import date
from pathlib import Path

import pytest

from accord.domain.students import NO_LATER_MONTH
from accord.intake import IntakeError, descriptor_code, read_discipline, read_file, read_incidents
from accord.intake.descriptors import ATTENDANCE_EVENTS
from accord.intake.errors import RowIssue

from . import edfi_samples as s

FORMATS = pytest.mark.parametrize("ext", [".json", ".ndjson"])


@FORMATS
def test_students(tmp_path: Path, ext: str) -> None:
    batch = read_file(s.write(tmp_path / f"students{ext}", s.STUDENTS), "students")
    assert batch.rejections == [] and batch.rows_read == 2
    assert batch.identities[0].identity == {"first_name": "Zyra", "middle_name": "Ondine",
                                            "last_name": "Quellwood", "date_of_birth": "2012-03-14",
                                            "sex": "Female"}
    # The full resource is read at the agency's node: the birth date for the encoder, and for the
    # hub's facts only the month the student turns 18 (ADR 0016).
    assert batch.students[0].record_id == "604821" and batch.students[0].turns_18_in == date(2030, 3, 1)


@FORMATS
def test_school_associations(tmp_path: Path, ext: str) -> None:
    batch = read_file(s.write(tmp_path / f"ssa{ext}", s.SCHOOL_ASSOCIATIONS), "studentSchoolAssociations")
    first = batch.content[0]
    assert (first.element, first.occurred_on) == ("enrollment_history", date(2023, 8, 21))
    assert first.values == {"school_id": "255901107", "entry_date": "2023-08-21", "exit_date": "2024-05-30",
                            "grade_level": "Sixth grade", "exit_reason": "Transferred"}
    assert batch.content[1].values["exit_reason"] is None


@FORMATS
def test_attendance_events(tmp_path: Path, ext: str) -> None:
    batch = read_file(s.write(tmp_path / f"att{ext}", s.ATTENDANCE_EVENTS), "studentSchoolAttendanceEvents")
    assert [(c.record_id, c.occurred_on, c.values) for c in batch.content] == [
        ("604821", date(2023, 9, 12), {"event": "Unexcused Absence", "school_id": "255901107",
                                       "session": "2023-2024 Fall Semester"}),
        ("604822", date(2023, 9, 12), {"event": "Tardy", "school_id": "255901107"}),
    ]


@FORMATS
def test_discipline_join(tmp_path: Path, ext: str) -> None:
    incidents_path = s.write(tmp_path / f"di{ext}", s.DISCIPLINE_INCIDENTS)
    behaviors_path = s.write(tmp_path / f"sdiba{ext}", s.BEHAVIOR_ASSOCIATIONS)
    incidents, behaviors = read_discipline(incidents_path, behaviors_path)
    assert incidents.rows_read == 1 and incidents.rejections == []
    [item] = behaviors.content
    assert (item.record_id, item.element, item.occurred_on) == ("604821", "discipline", date(2023, 10, 5))
    assert item.values == {"incident_id": "INC-2023-0042", "school_id": "255901107",
                           "behavior": "School Code of Conduct"}
    assert read_file(incidents_path, "disciplineIncidents").content == []


def test_behavior_without_its_incident_is_rejected(tmp_path: Path) -> None:
    orphan = copy.deepcopy(s.BEHAVIOR_ASSOCIATIONS)
    orphan[0]["disciplineIncidentReference"]["incidentIdentifier"] = "INC-9999"
    index, _ = read_incidents(s.write(tmp_path / "di.json", s.DISCIPLINE_INCIDENTS))
    batch = read_file(s.write(tmp_path / "b.json", orphan), "studentDisciplineIncidentBehaviorAssociations",
                      incidents=index)
    [rejection] = batch.rejections
    assert rejection.field == "disciplineIncidentReference.incidentIdentifier"
    assert "INC-9999" not in str(rejection)
    with pytest.raises(IntakeError, match="field incidents"):
        read_file(tmp_path / "b.json", "studentDisciplineIncidentBehaviorAssociations")


@FORMATS
def test_food_service(tmp_path: Path, ext: str) -> None:
    path = s.write(tmp_path / f"food{ext}", s.FOOD_SERVICE)
    batch = read_file(path, "studentSchoolFoodServiceProgramAssociations")
    [item] = batch.content
    assert (item.element, item.occurred_on) == ("meal_eligibility_status", date(2023, 8, 21))
    assert item.values == {"status": "free", "program": "School Food Service",
                           "services": "Free Lunch;Free Breakfast", "begin_date": "2023-08-21",
                           "end_date": None}


def test_descriptor_parsing() -> None:
    kind = "AttendanceEventCategoryDescriptor"
    uri = f"uri://ed-fi.org/{kind}#Unexcused Absence"
    assert descriptor_code("f", uri, kind, ATTENDANCE_EVENTS) == "Unexcused Absence"
    state = "uri://tx.gov/AttendanceEventCategoryDescriptor#tardy"  # a state namespace, other capitals
    assert descriptor_code("f", state, "AttendanceEventCategoryDescriptor", ATTENDANCE_EVENTS) == "Tardy"
    for bad, reason in [("Tardy", "not an Ed-Fi descriptor URI"),
                        ("uri://ed-fi.org/BehaviorDescriptor#Tardy", "wrong type"),
                        ("uri://ed-fi.org/AttendanceEventCategoryDescriptor#Napping", "unknown"),
                        (f"uri://ed-fi.org/{kind}#", "not an Ed-Fi descriptor URI")]:
        with pytest.raises(RowIssue, match=reason):
            descriptor_code("f", bad, "AttendanceEventCategoryDescriptor", ATTENDANCE_EVENTS)


@FORMATS
def test_resource_rejections_name_row_and_field(tmp_path: Path, ext: str) -> None:
    events = copy.deepcopy(s.ATTENDANCE_EVENTS)
    events[1]["attendanceEventCategoryDescriptor"] = "uri://ed-fi.org/AttendanceEventCategoryDescriptor#Napping"
    students = [*copy.deepcopy(s.STUDENTS), copy.deepcopy(s.STUDENTS[0]),
                {**s.STUDENTS[1], "birthDate": "2011-13-40"}, "not an object"]
    batch = read_file(s.write(tmp_path / f"att{ext}", events), "studentSchoolAttendanceEvents")
    # NDJSON rows are line numbers; array rows are element index + 1: both are 2 here.
    assert [(r.row, r.field) for r in batch.rejections] == [(2, "attendanceEventCategoryDescriptor")]
    batch = read_file(s.write(tmp_path / f"st{ext}", students), "students")
    assert [(r.row, r.field) for r in batch.rejections] == [
        (3, "studentUniqueId"), (4, "birthDate"), (5, "(record)")]
    for rejection in batch.rejections:
        assert not any(v in str(rejection) for v in ("Zyra", "604821", "2011-13-40", "2012-03-14"))


def test_malformed_json_names_the_line(tmp_path: Path) -> None:
    (tmp_path / "a.json").write_text('[\n  {"studentUniqueId": "1"},\n  {"studentUniqueId": \n]\n')
    with pytest.raises(IntakeError, match="line 4") as caught:
        read_file(tmp_path / "a.json", "students")
    assert caught.value.row == 2
    (tmp_path / "a.ndjson").write_text('{"studentUniqueId": "1"}\n{"studentUniqueId": "2"\n')
    with pytest.raises(IntakeError, match="line 2") as caught:
        read_file(tmp_path / "a.ndjson", "students")
    assert caught.value.row == 2
    (tmp_path / "b.json").write_text('{"studentUniqueId": "1"}')
    with pytest.raises(IntakeError, match="top-level array"):
        read_file(tmp_path / "b.json", "students")
    (tmp_path / "c.json").write_text('[{"studentUniqueId": "1"}')
    with pytest.raises(IntakeError, match="expected ',' or ']'"):
        read_file(tmp_path / "c.json", "students")


def test_large_array_spans_read_blocks(tmp_path: Path) -> None:
    events = [{**s.ATTENDANCE_EVENTS[1], "eventDate": f"2023-{m:02d}-{d:02d}",
               "studentReference": {"studentUniqueId": f"{i}"}}
              for i in range(60) for m in range(1, 13) for d in range(1, 29)]
    path = s.write(tmp_path / "big.json", events)
    batch = read_file(path, "studentSchoolAttendanceEvents", chunk_rows=5000)
    assert batch.rows_read == len(events) == len(batch.content) and batch.rejections == []
    assert (tmp_path / "big.json").stat().st_size > 2 << 20  # more than one 1 MiB read block


def test_the_nodes_copy_of_a_student_without_a_birth_date_loads_with_the_age_unknown(
        tmp_path: Path) -> None:
    copies = [{"studentUniqueId": "S-1", "_ext": {"accord": {"turns18In": ""}}},
              {"studentUniqueId": "S-2", "_ext": {"accord": {"turns18In": "2032-03"}}},
              {"studentUniqueId": "S-3", "_ext": {"accord": {"turns18In": "unreadable"}}},
              {"studentUniqueId": "S-4"}]
    batch = read_file(s.write(tmp_path / "copy.json", copies), "students")
    facts = [(f.record_id, f.turns_18_in) for f in batch.students]
    assert facts == [("S-1", None), ("S-2", date(2032, 3, 1))]
    assert [(r.row, r.field) for r in batch.rejections] == [(3, "_ext.accord.turns18In"), (4, "birthDate")]


def test_the_nodes_copy_may_bound_the_month_instead(tmp_path: Path) -> None:
    # ADR 0030: a school's node sends the month only when near, else bounds as months.
    copies = [{"studentUniqueId": "S-1", "_ext": {"accord": {"turns18In": "2027-02/.."}}},
              {"studentUniqueId": "S-2", "_ext": {"accord": {"turns18In": "1900-01/2026-10"}}},
              {"studentUniqueId": "S-3", "_ext": {"accord": {"turns18In": "2027-02/2026-10"}}}]
    batch = read_file(s.write(tmp_path / "copy.json", copies), "students")
    facts = [(f.record_id, f.turns_18_in, f.turns_18_by) for f in batch.students]
    assert facts == [("S-1", date(2027, 2, 1), NO_LATER_MONTH), ("S-2", date(1900, 1, 1), date(2026, 10, 1))]
    assert [(r.row, r.field) for r in batch.rejections] == [(3, "_ext.accord.turns18In")]
