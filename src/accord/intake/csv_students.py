"""CSV kinds that carry identity: the district's `students` file and a partner's `roster`."""

from __future__ import annotations

from collections.abc import Mapping

from accord.domain.content import ContentItem, Value
from accord.domain.elements import CATALOG
from accord.domain.students import UNREADABLE_BIRTH_DATE

from .chunking import Converter
from .csv_schema import POSTSECONDARY, ROSTER_PREFIX
from .errors import IntakeError, RowIssue
from .records import Batch, StudentFacts, StudentIdentity
from .values import (
    Seen,
    claim,
    optional,
    optional_date,
    optional_flag,
    optional_number,
    required_id,
    required_month_bounds,
)

_FLAG_ELEMENTS = (("english_learner", "english_learner", "english_learner"),
                  ("homeless", "homeless_status", "homeless"),
                  ("iep_504", "iep_504_status", "iep_504"))


def student_row(rec: Mapping[str, str], out: Batch, seen: Seen) -> None:
    """A `students` row: the hub's facts, and the optional status content. The hub's copy carries
    no identity column (csv_schema refuses them): the record's encodings arrive apart, from the
    agency's node, and in place of the birth date the month the student turns 18 (ADR 0016)."""
    record_id = required_id(rec, "record_id")
    month = optional(rec, "turns_18_in")
    if month == UNREADABLE_BIRTH_DATE:
        raise RowIssue("turns_18_in", "the node could not read this row's date_of_birth (impossible, "
                       "before 1900 or after today): correct it in the school's file")
    # No birth date at all: the age is unknown, which the policy reads as a minor's (the safer
    # reading, domain.students); the load report counts them.
    turns_18_in, turns_18_by = (None, None) if month is None else required_month_bounds(rec, "turns_18_in")
    items: list[ContentItem] = []
    grade = optional(rec, "grade_level")
    if grade is not None:
        items.append(ContentItem(record_id, "grade_level", None, {"grade_level": grade}))
    for column, element, key in _FLAG_ELEMENTS:
        flag = optional_flag(rec, column)
        if flag is not None:
            items.append(ContentItem(record_id, element, None, {key: flag}))
    family: dict[str, Value] = {}
    for column in ("parent_education", "primary_language"):
        if (text := optional(rec, column)) is not None:
            family[column] = text
    if (size := optional_number(rec, "household_size", integer=True)) is not None:
        family["household_size"] = size
    if family:
        items.append(ContentItem(record_id, "family_background", None, family))
    # A file with the column says what the school knows of every row: an empty cell is "not enrolled"
    # and clears a date stored before; a file without it says nothing, and the stored date stays.
    facts = StudentFacts(record_id, turns_18_in, bool(optional_flag(rec, "directory_opt_out")),
                         bool(optional_flag(rec, "meal_disclosure_opt_out")),
                         optional(rec, "foster_care_agency_id"),
                         optional_date(rec, POSTSECONDARY), POSTSECONDARY in rec, turns_18_by)
    claim(seen, (record_id,), "record_id", "record_id")
    out.identities.append(StudentIdentity(record_id, {}))
    out.students.append(facts)
    out.content.extend(items)


def check_element(file: str, element: str | None) -> str:
    """The catalogue element a roster's program fields are filed under; IntakeError otherwise."""
    if not element:
        raise IntakeError(file, 0, "element", "a roster needs the data element its program fields belong to")
    if element not in CATALOG:
        raise IntakeError(file, 0, "element", f"unknown data element {element!r}")
    return element


def roster_converter(element: str) -> Converter:
    """A converter for a partner's roster rows, filing program_* columns under `element`."""

    def roster_row(rec: Mapping[str, str], out: Batch, seen: Seen) -> None:
        record_id = required_id(rec, "record_id")
        values: dict[str, Value] = {
            name[len(ROSTER_PREFIX):]: text.strip()
            for name, text in rec.items() if name.startswith(ROSTER_PREFIX) and text.strip()
        }
        claim(seen, (record_id,), "record_id", "record_id")
        out.identities.append(StudentIdentity(record_id, {}))
        out.content.append(ContentItem(record_id, element, None, values))

    return roster_row
