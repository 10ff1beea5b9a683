"""Converters for Ed-Fi ODS API (v5/v7) resources, by their API field names.

Each converter flattens the fields it needs into {dotted.path: text} first, so the same value
parsers as for CSV apply and a rejection names the Ed-Fi field path, e.g. studentReference.studentUniqueId.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from accord.domain.content import ContentItem, Value
from accord.domain.students import UNREADABLE_BIRTH_DATE, month_turning_18

from .chunking import Converter
from .descriptors import (
    ATTENDANCE_EVENTS,
    BEHAVIORS,
    EXIT_WITHDRAW_TYPES,
    FOOD_SERVICES,
    GRADE_LEVELS,
    NO_MAP,
    SEXES,
    DescriptorMap,
    descriptor_code,
)
from .errors import RowIssue
from .records import Batch, StudentFacts, StudentIdentity
from .values import (
    Seen,
    claim,
    optional,
    optional_date,
    required,
    required_date,
    required_id,
    required_month_bounds,
)

STUDENT = "studentReference.studentUniqueId"
SCHOOL = "schoolReference.schoolId"


@dataclass(frozen=True, slots=True)
class Incident:
    """A discipline incident, keyed in Ed-Fi by (incidentIdentifier, schoolId)."""

    incident_id: str
    school_id: str
    incident_date: date


def flatten(obj: Mapping[str, Any], *paths: str) -> dict[str, str]:
    """The text at each dotted path ('' when absent); a nested object or list where text belongs
    is a rejection."""
    flat: dict[str, str] = {}
    for path in paths:
        current: Any = obj
        for part in path.split("."):
            current = current.get(part) if isinstance(current, dict) else None
        if isinstance(current, dict | list | bool):
            raise RowIssue(path, "expected a string or number")
        flat[path] = "" if current is None else str(current).strip()
    return flat


def _descriptor(rec: Mapping[str, str], field: str, descriptor: str, known: Mapping[str, str],
                mapped: DescriptorMap) -> str | None:
    text = optional(rec, field)
    return None if text is None else descriptor_code(field, text, descriptor, known, mapped)


TURNS_18_IN = "_ext.accord.turns18In"  # the node's copy's fact in place of birthDate (ADR 0016)


def _node_copy(obj: Mapping[str, Any]) -> bool:
    """Whether `obj` is the node's copy of a student (it carries the month, empty or not)."""
    ext = obj.get("_ext")
    accord = ext.get("accord") if isinstance(ext, dict) else None
    return isinstance(accord, dict) and "turns18In" in accord


def student(obj: Mapping[str, Any], out: Batch, seen: Seen, *, descriptors: DescriptorMap = NO_MAP) -> None:
    """`students`: identity for the encoder; for the hub, the month the student turns 18, which
    the node's copy carries in place of the birth date (ADR 0016)."""
    rec = flatten(obj, "studentUniqueId", "firstName", "middleName", "middleSurname", "lastSurname",
                  "birthDate", "birthSexDescriptor", TURNS_18_IN)
    record_id = required_id(rec, "studentUniqueId")
    # Names are read for the agency's node, which encodes them; the hub's copy has none, and the hub
    # refuses a resource that still carries them (workflows.intake_file).
    identity = {key: value for key, field in (("first_name", "firstName"), ("last_name", "lastSurname"))
                if (value := optional(rec, field))}
    # middleName is the Ed-Fi field; some extracts call it middleSurname.
    middle = optional(rec, "middleName") or optional(rec, "middleSurname")
    if middle:
        identity["middle_name"] = middle
    month = optional(rec, TURNS_18_IN)
    turns_18_in: date | None = None  # the node's copy of a student with no birth date: age unknown
    turns_18_by: date | None = None
    if month == UNREADABLE_BIRTH_DATE:
        raise RowIssue(TURNS_18_IN, "the node could not read this student's birthDate (impossible, before "
                       "1900 or after today): correct it in the school's system")
    if month is not None and optional(rec, "birthDate") is None:
        turns_18_in, turns_18_by = required_month_bounds(rec, TURNS_18_IN)
    elif optional(rec, "birthDate") is not None or not _node_copy(obj):
        born = required_date(rec, "birthDate")
        identity["date_of_birth"] = born.isoformat()
        turns_18_in = month_turning_18(born)
    sex = _descriptor(rec, "birthSexDescriptor", "SexDescriptor", SEXES, descriptors)
    if sex:
        identity["sex"] = sex
    claim(seen, (record_id,), "studentUniqueId", "studentUniqueId")
    out.identities.append(StudentIdentity(record_id, identity))
    # Ed-Fi's Student has no day of a first postsecondary enrolment: the facts say nothing of it
    # (postsecondary_in_file is false), and a load keeps the date a CSV students file stored.
    out.students.append(StudentFacts(record_id, turns_18_in, False, False, turns_18_by=turns_18_by))


def school_association(obj: Mapping[str, Any], out: Batch, seen: Seen, *,
                       descriptors: DescriptorMap = NO_MAP) -> None:
    """`studentSchoolAssociations`: an enrollment spell, dated on entry."""
    rec = flatten(obj, STUDENT, SCHOOL, "entryDate", "exitWithdrawDate", "entryGradeLevelDescriptor",
                  "exitWithdrawTypeDescriptor")
    record_id, school = required_id(rec, STUDENT), required_id(rec, SCHOOL)
    entered = required_date(rec, "entryDate")
    exited = optional_date(rec, "exitWithdrawDate")
    if exited is not None and exited < entered:
        raise RowIssue("exitWithdrawDate", "exit date is before the entry date")
    grade = descriptor_code("entryGradeLevelDescriptor", required(rec, "entryGradeLevelDescriptor"),
                            "GradeLevelDescriptor", GRADE_LEVELS, descriptors)
    reason = _descriptor(rec, "exitWithdrawTypeDescriptor", "ExitWithdrawTypeDescriptor", EXIT_WITHDRAW_TYPES,
                         descriptors)
    entry = entered.isoformat()
    values: dict[str, Value] = {"school_id": school, "entry_date": entry,
                                "exit_date": exited.isoformat() if exited else None,
                                "grade_level": grade, "exit_reason": reason}
    claim(seen, (record_id, school, entry), STUDENT, "enrollment (student, school, entry date)")
    out.content.append(ContentItem(record_id, "enrollment_history", entered, values))


def attendance_event(obj: Mapping[str, Any], out: Batch, seen: Seen, *,
                     descriptors: DescriptorMap = NO_MAP) -> None:
    """`studentSchoolAttendanceEvents`: one attendance event."""
    rec = flatten(obj, STUDENT, SCHOOL, "eventDate", "attendanceEventCategoryDescriptor",
                  "sessionReference.sessionName")
    record_id, school = required_id(rec, STUDENT), required_id(rec, SCHOOL)
    day = required_date(rec, "eventDate")
    category = "attendanceEventCategoryDescriptor"
    event = descriptor_code(category, required(rec, category), "AttendanceEventCategoryDescriptor",
                            ATTENDANCE_EVENTS, descriptors)
    values: dict[str, Value] = {"event": event, "school_id": school}
    if session := optional(rec, "sessionReference.sessionName"):
        values["session"] = session
    claim(seen, (record_id, rec["eventDate"], school), STUDENT, "attendance event (student, date, school)")
    out.content.append(ContentItem(record_id, "attendance", day, values))


def incident_converter(incidents: dict[tuple[str, str], Incident]) -> Converter:
    """`disciplineIncidents` carry no student: the converter fills `incidents` for the join."""

    def incident(obj: Mapping[str, Any], out: Batch, seen: Seen) -> None:
        rec = flatten(obj, "incidentIdentifier", "incidentDate", SCHOOL)
        ident, school = required(rec, "incidentIdentifier"), required_id(rec, SCHOOL)
        day = required_date(rec, "incidentDate")
        claim(seen, (ident, school), "incidentIdentifier", "discipline incident (identifier, school)")
        incidents[(ident, school)] = Incident(ident, school, day)

    return incident


def behavior_converter(incidents: Mapping[tuple[str, str], Incident],
                       descriptors: DescriptorMap = NO_MAP) -> Converter:
    """`studentDisciplineIncidentBehaviorAssociations`, joined to their incidents for date and school."""

    def behavior(obj: Mapping[str, Any], out: Batch, seen: Seen) -> None:
        ref = "disciplineIncidentReference."
        rec = flatten(obj, STUDENT, ref + "incidentIdentifier", ref + "schoolId", "behaviorDescriptor")
        record_id = required_id(rec, STUDENT)
        ident, school = required(rec, ref + "incidentIdentifier"), required_id(rec, ref + "schoolId")
        code = descriptor_code("behaviorDescriptor", required(rec, "behaviorDescriptor"),
                               "BehaviorDescriptor", BEHAVIORS, descriptors)
        found = incidents.get((ident, school))
        if found is None:
            raise RowIssue(ref + "incidentIdentifier", "no such incident in the disciplineIncidents file")
        values: dict[str, Value] = {"incident_id": ident, "school_id": school, "behavior": code}
        claim(seen, (record_id, school, ident, code), STUDENT, "behavior (student, incident, behavior)")
        out.content.append(ContentItem(record_id, "discipline", found.incident_date, values))

    return behavior


def food_service(obj: Mapping[str, Any], out: Batch, seen: Seen, *,
                 descriptors: DescriptorMap = NO_MAP) -> None:
    """`studentSchoolFoodServiceProgramAssociations`: meal eligibility status over a period."""
    rec = flatten(obj, STUDENT, "programReference.programName", "beginDate", "endDate")
    record_id = required_id(rec, STUDENT)
    program = required(rec, "programReference.programName")
    begun, ended = required_date(rec, "beginDate"), optional_date(rec, "endDate")
    if ended is not None and ended < begun:
        raise RowIssue("endDate", "end date is before the begin date")
    services = obj.get("schoolFoodServiceProgramServices") or []
    if not isinstance(services, list):
        raise RowIssue("schoolFoodServiceProgramServices", "expected a list")
    codes = []
    for entry in services:
        field = "schoolFoodServiceProgramServices.schoolFoodServiceProgramServiceDescriptor"
        text = entry.get("schoolFoodServiceProgramServiceDescriptor") if isinstance(entry, dict) else None
        if not isinstance(text, str):
            raise RowIssue(field, "expected a descriptor")
        codes.append(descriptor_code(field, text, "SchoolFoodServiceProgramServiceDescriptor", FOOD_SERVICES,
                                     descriptors))
    # The status a release hands out is the most generous level of service received.
    status: str | None = ("free" if any(c.startswith("Free") for c in codes)
              else "reduced" if any(c.startswith("Reduced") for c in codes)
              else "paid" if codes else None)
    begin = begun.isoformat()
    values: dict[str, Value] = {"status": status, "program": program, "services": ";".join(codes),
                                "begin_date": begin, "end_date": ended.isoformat() if ended else None}
    claim(seen, (record_id, program, begin), STUDENT, "program spell (student, program, begin date)")
    out.content.append(ContentItem(record_id, "meal_eligibility_status", begun, values))
