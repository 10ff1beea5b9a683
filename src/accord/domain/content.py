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
    {"event": "Unexcused Absence", "school_id": "255901001"}.

    `key` is what, with the record and the element, names this fact in the agency's files (an
    attendance event's date and school, a mark's school, course and term): a later file with
    the same key corrects it instead of adding it again. Status facts (one per record and
    element, e.g. grade level) have the empty key."""

    record_id: str
    element: str
    occurred_on: date | None = None
    values: dict[str, Value] = field(default_factory=dict)
    key: tuple[str, ...] = ()
