"""Record content an agency loads into the hub: facts about one record, keyed by the agency's id.

Identity (names, birth date, address) never travels as content: it is encoded at the agency and
reaches the hub only as keyed encodings. Content is what a release hands out (attendance days,
discipline incidents, course marks, program participation), grouped by the catalogue's data
element so that the policy's decision on elements decides which items leave.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TypeAlias

Value: TypeAlias = str | int | float | bool | None


@dataclass(frozen=True, slots=True)
class ContentItem:
    """One fact of one record: its data element (a catalogue code), when it happened, and values.

    `values` holds plain JSON values under short descriptive keys, e.g. for attendance
    {"event": "Unexcused Absence", "school_id": "255901001"}."""

    record_id: str
    element: str
    occurred_on: date | None = None
    values: dict[str, Value] = field(default_factory=dict)


# The values that, with the record, the element and the date, name one fact in an agency's files,
# so that a later file's fact with the same name corrects it instead of adding it again: an
# attendance event by its date and school, a mark by school, course and term. A program spell
# (under whichever element guards it) is named by program and begin date; a status fact (grade
# level, a roster's program fields) by its record and element alone.
FACT_NAMES: dict[str, tuple[str, ...]] = {
    "attendance": ("school_id",),
    "enrollment_history": ("school_id", "entry_date"),
    "discipline": ("school_id", "incident_id", "behavior"),
    "grades": ("school_id", "course_code", "term"),
}
PROGRAM_SPELL = ("program", "begin_date")


def natural_key(item: ContentItem) -> tuple[str, ...]:
    """What names `item` among its record's facts of its element (FACT_NAMES): the date, then the
    naming values as text ("" where absent)."""
    names = FACT_NAMES.get(item.element) or (PROGRAM_SPELL if "program" in item.values else ())
    day = "" if item.occurred_on is None else item.occurred_on.isoformat()
    return (day, *("" if item.values.get(n) is None else str(item.values.get(n)) for n in names))
