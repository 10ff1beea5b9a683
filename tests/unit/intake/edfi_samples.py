"""Small, realistic Ed-Fi ODS API v5/v7 resources about made-up students, for the intake tests."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

NS = "uri://ed-fi.org/"
SCHOOL = 255901107


def descriptor(kind: str, code: str) -> str:
    return f"{NS}{kind}#{code}"


def student_ref(uid: str) -> dict[str, Any]:
    return {"studentUniqueId": uid, "link": {"rel": "Student", "href": f"/ed-fi/students/{uid}"}}


STUDENTS: list[dict[str, Any]] = [
    {"id": "a1", "studentUniqueId": "604821", "firstName": "Zyra", "middleName": "Ondine",
     "lastSurname": "Quellwood", "birthDate": "2012-03-14",
     "birthSexDescriptor": descriptor("SexDescriptor", "Female"),
     "birthCity": "Riverside", "_etag": "5250168731208835353"},
    {"id": "a2", "studentUniqueId": "604822", "firstName": "Tobiah", "lastSurname": "Marrowfen",
     "birthDate": "2011-11-02"},
]

SCHOOL_ASSOCIATIONS: list[dict[str, Any]] = [
    {"id": "b1", "studentReference": student_ref("604821"), "schoolReference": {"schoolId": SCHOOL},
     "entryDate": "2023-08-21",
     "entryGradeLevelDescriptor": descriptor("GradeLevelDescriptor", "Sixth grade"),
     "exitWithdrawDate": "2024-05-30",
     "exitWithdrawTypeDescriptor": descriptor("ExitWithdrawTypeDescriptor", "Transferred")},
    {"id": "b2", "studentReference": student_ref("604822"), "schoolReference": {"schoolId": SCHOOL},
     "entryDate": "2023-08-21",
     "entryGradeLevelDescriptor": descriptor("GradeLevelDescriptor", "Seventh grade")},
]

ATTENDANCE_EVENTS: list[dict[str, Any]] = [
    {"id": "c1", "studentReference": student_ref("604821"), "schoolReference": {"schoolId": SCHOOL},
     "sessionReference": {"schoolId": SCHOOL, "schoolYear": 2024, "sessionName": "2023-2024 Fall Semester"},
     "eventDate": "2023-09-12",
     "attendanceEventCategoryDescriptor":
     descriptor("AttendanceEventCategoryDescriptor", "Unexcused Absence")},
    {"id": "c2", "studentReference": student_ref("604822"), "schoolReference": {"schoolId": SCHOOL},
     "eventDate": "2023-09-12",
     "attendanceEventCategoryDescriptor": descriptor("AttendanceEventCategoryDescriptor", "Tardy")},
]

DISCIPLINE_INCIDENTS: list[dict[str, Any]] = [
    {"id": "d1", "incidentIdentifier": "INC-2023-0042", "schoolReference": {"schoolId": SCHOOL},
     "incidentDate": "2023-10-05", "incidentDescription": "Altercation in the cafeteria",
     "behaviors": [{"behaviorDescriptor": descriptor("BehaviorDescriptor", "School Code of Conduct")}]},
]

BEHAVIOR_ASSOCIATIONS: list[dict[str, Any]] = [
    {"id": "e1", "studentReference": student_ref("604821"),
     "disciplineIncidentReference": {"incidentIdentifier": "INC-2023-0042", "schoolId": SCHOOL},
     "behaviorDescriptor": descriptor("BehaviorDescriptor", "School Code of Conduct")},
]

FOOD_SERVICE: list[dict[str, Any]] = [
    {"id": "f1", "studentReference": student_ref("604821"),
     "educationOrganizationReference": {"educationOrganizationId": SCHOOL},
     "programReference": {"educationOrganizationId": SCHOOL, "programName": "School Food Service",
                          "programTypeDescriptor": descriptor("ProgramTypeDescriptor", "Food Service")},
     "beginDate": "2023-08-21",
     "schoolFoodServiceProgramServices": [
         {"schoolFoodServiceProgramServiceDescriptor":
          descriptor("SchoolFoodServiceProgramServiceDescriptor", "Free Lunch")},
         {"schoolFoodServiceProgramServiceDescriptor":
          descriptor("SchoolFoodServiceProgramServiceDescriptor", "Free Breakfast")}]},
]

RESOURCES: dict[str, list[dict[str, Any]]] = {
    "students": STUDENTS,
    "studentSchoolAssociations": SCHOOL_ASSOCIATIONS,
    "studentSchoolAttendanceEvents": ATTENDANCE_EVENTS,
    "disciplineIncidents": DISCIPLINE_INCIDENTS,
    "studentDisciplineIncidentBehaviorAssociations": BEHAVIOR_ASSOCIATIONS,
    "studentSchoolFoodServiceProgramAssociations": FOOD_SERVICE,
}


def write(path: Path, objects: list[Any]) -> Path:
    """Write as a pretty-printed array (.json) or one object per line (.ndjson)."""
    if path.suffix == ".json":
        path.write_text(json.dumps(objects, indent=2), encoding="utf-8")
    else:
        path.write_text("".join(json.dumps(o) + "\n" for o in objects), encoding="utf-8")
    return path
