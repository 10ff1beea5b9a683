"""The columns each CSV kind accepts, and the header check that runs before any row."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from accord.domain.withheld import WITHHELD_FROM_HUB

from .errors import IntakeError

STUDENT_CONTENT = ("grade_level", "english_learner", "homeless", "iep_504", "directory_opt_out",
                   "meal_disclosure_opt_out", "parent_education", "household_size", "primary_language",
                   "foster_care_agency_id")
# The day the student first enrolled in a postsecondary institution (dual enrollment): the FERPA
# rights pass to the student then, whatever her age (34 CFR 99.3, 99.5(a)). Optional; an empty
# cell means not enrolled.
POSTSECONDARY = "postsecondary_enrolled_on"
CONSENT_COLUMNS = ("consent_recipient_agency_id", "consent_elements", "consent_purpose",
                   "consent_signed_on", "consent_signer_role", "consent_language")
ROSTER_PREFIX = "program_"


@dataclass(frozen=True)
class CsvSchema:
    required: tuple[str, ...]
    optional: tuple[str, ...] = ()
    # Columns that come all together or not at all (the consent captured at enrollment).
    group: tuple[str, ...] = ()
    # Any column with this prefix is accepted (a partner's program fields).
    prefix: str | None = None


SCHEMAS: dict[str, CsvSchema] = {
    # Names, sex, address and identifier never come: the agency's node sends the hub a copy without
    # them (`accord node encode --hub-copy`), their encodings apart (check_header refuses them).
    # The month the student turns 18 stands for the birth date, which the hub never holds (ADR 0016).
    "students": CsvSchema(("record_id", "turns_18_in"), (*STUDENT_CONTENT, POSTSECONDARY)),
    "enrollments": CsvSchema(("record_id", "school_id", "entry_date", "grade_level"),
                             ("exit_date", "exit_reason"), CONSENT_COLUMNS),
    "attendance": CsvSchema(("record_id", "school_id", "event_date", "event"), ("minutes",)),
    "discipline": CsvSchema(("record_id", "incident_id", "incident_date", "behavior", "school_id"),
                            ("action",)),
    "grades": CsvSchema(("record_id", "school_id", "course_code", "course_title", "term", "mark"),
                        ("credits",)),
    "programs": CsvSchema(("record_id", "program", "begin_date"), ("end_date",)),
    # A partner's people need no fact at the hub; the node's copy may carry the month all the same.
    "roster": CsvSchema(("record_id",), ("turns_18_in",), prefix=ROSTER_PREFIX),
}


def check_header(file: str, kind: str, header: Sequence[str]) -> list[str]:
    """The header's column names, stripped; IntakeError (row 1) for an unknown, repeated or
    missing column. Column names are schema, not personal data, so they may be named."""
    schema = SCHEMAS[kind]
    columns = [name.strip() for name in header]
    allowed = set(schema.required) | set(schema.optional) | set(schema.group)
    found: set[str] = set()
    for position, name in enumerate(columns, start=1):
        if not name:
            raise IntakeError(file, 1, f"(column {position})", "empty column name")
        if name in found:
            raise IntakeError(file, 1, name, "column appears more than once")
        found.add(name)
        if name in WITHHELD_FROM_HUB:
            raise IntakeError(file, 1, name, "names, birth dates, sex, addresses and identifiers reach the "
                              "hub only as encodings: load the agency node's copy (`accord node encode "
                              "--hub-copy`)")
        if name not in allowed and not (schema.prefix and name.startswith(schema.prefix)
                                        and len(name) > len(schema.prefix)):
            raise IntakeError(file, 1, name, f"unknown column for a {kind} file")
    for name in schema.required:
        if name not in found:
            raise IntakeError(file, 1, name, f"missing required column for a {kind} file")
    if found & set(schema.group):
        for name in schema.group:
            if name not in found:
                raise IntakeError(file, 1, name, "missing column: the consent columns come together")
    return columns
