"""CSV kinds of dated education records: enrollments, attendance, discipline, grades, programs."""

from __future__ import annotations

from collections.abc import Mapping

from accord.domain.content import ContentItem, Value

from .consent import consent_from_row
from .descriptors import ATTENDANCE_EVENTS, BEHAVIORS, PROGRAM_NAMES, PROGRAMS, known_code
from .errors import RowIssue
from .records import Batch
from .values import (
    Seen,
    claim,
    optional,
    optional_date,
    optional_number,
    required,
    required_date,
    required_id,
)


def enrollment_row(rec: Mapping[str, str], out: Batch, seen: Seen) -> None:
    """An enrollment spell (enrollment_history, dated on entry) and any consent signed with it."""
    record_id = required_id(rec, "record_id")
    school = required_id(rec, "school_id")
    entered = required_date(rec, "entry_date")
    exited = optional_date(rec, "exit_date")
    if exited is not None and exited < entered:
        raise RowIssue("exit_date", "exit date is before the entry date")
    entry = entered.isoformat()
    values: dict[str, Value] = {
        "school_id": school, "entry_date": entry,
        "exit_date": exited.isoformat() if exited else None,
        "grade_level": required(rec, "grade_level"), "exit_reason": optional(rec, "exit_reason"),
    }
    consent = consent_from_row(rec, record_id)
    claim(seen, (record_id, school, entry), "record_id", "enrollment (record, school, entry date)")
    out.content.append(ContentItem(record_id, "enrollment_history", entered, values))
    if consent is not None:
        out.consents.append(consent)


def attendance_row(rec: Mapping[str, str], out: Batch, seen: Seen) -> None:
    """One attendance event. This is the hot path of a 10-million-row load: keep it lean."""
    record_id = required_id(rec, "record_id")
    school = required_id(rec, "school_id")
    day_text = required(rec, "event_date")
    day = required_date(rec, "event_date")
    event = known_code("event", required(rec, "event"), ATTENDANCE_EVENTS, "attendance event")
    values: dict[str, Value] = {"event": event, "school_id": school}
    if rec.get("minutes"):
        values["minutes"] = optional_number(rec, "minutes", integer=True)
    claim(seen, (record_id, day_text, school), "record_id", "attendance event (record, date, school)")
    out.content.append(ContentItem(record_id, "attendance", day, values))


def discipline_row(rec: Mapping[str, str], out: Batch, seen: Seen) -> None:
    """One student's part in one discipline incident."""
    record_id = required_id(rec, "record_id")
    incident = required(rec, "incident_id")
    school = required_id(rec, "school_id")
    day = required_date(rec, "incident_date")
    behavior = known_code("behavior", required(rec, "behavior"), BEHAVIORS, "behavior")
    values: dict[str, Value] = {"incident_id": incident, "school_id": school, "behavior": behavior,
                                "action": optional(rec, "action")}
    claim(seen, (record_id, school, incident, behavior), "incident_id",
          "discipline entry (record, school, incident, behavior)")
    out.content.append(ContentItem(record_id, "discipline", day, values))


def grade_row(rec: Mapping[str, str], out: Batch, seen: Seen) -> None:
    """One course mark for one term (terms are names, not dates, so the item is undated)."""
    record_id = required_id(rec, "record_id")
    school = required_id(rec, "school_id")
    course = required(rec, "course_code")
    term = required(rec, "term")
    values: dict[str, Value] = {
        "school_id": school, "course_code": course, "course_title": required(rec, "course_title"),
        "term": term, "mark": required(rec, "mark"),
        "credits": optional_number(rec, "credits", integer=False),
    }
    claim(seen, (record_id, school, course, term), "course_code",
          "course mark (record, school, course, term)")
    out.content.append(ContentItem(record_id, "grades", None, values))


def program_row(rec: Mapping[str, str], out: Batch, seen: Seen) -> None:
    """Program participation, filed under the element that guards it (meals, EL, homeless, IEP/504)."""
    record_id = required_id(rec, "record_id")
    program = known_code("program", required(rec, "program"), PROGRAM_NAMES, "program")
    begun = required_date(rec, "begin_date")
    ended = optional_date(rec, "end_date")
    if ended is not None and ended < begun:
        raise RowIssue("end_date", "end date is before the begin date")
    element, fixed = PROGRAMS[program]
    values: dict[str, Value] = {**fixed, "program": program, "begin_date": begun.isoformat(),
                                "end_date": ended.isoformat() if ended else None}
    claim(seen, (record_id, program, begun.isoformat()), "program",
          "program spell (record, program, begin date)")
    out.content.append(ContentItem(record_id, element, begun, values))
