"""What names one fact among a record's facts (domain.content.natural_key): a later file's fact
with the same name corrects it (ADR 0017)."""

from __future__ import annotations

from datetime import date

import pytest

from accord.domain.content import ContentItem, natural_key

DAY = date(2026, 9, 1)


@pytest.mark.parametrize(("item", "named"), [
    (ContentItem("r", "attendance", DAY, {"event": "Tardy", "school_id": "s1"}), ("2026-09-01", "s1")),
    (ContentItem("r", "grades", None, {"school_id": "s1", "course_code": "M5", "term": "Fall", "mark": "B"}),
     ("", "s1", "M5", "Fall")),
    (ContentItem("r", "discipline", DAY, {"school_id": "s1", "incident_id": "I-1", "behavior": "Fighting",
                                          "action": None}), ("2026-09-01", "s1", "I-1", "Fighting")),
    (ContentItem("r", "enrollment_history", DAY, {"school_id": "s1", "entry_date": "2026-09-01"}),
     ("2026-09-01", "s1", "2026-09-01")),
    (ContentItem("r", "homeless_status", DAY, {"homeless": True, "program": "Homeless",
                                               "begin_date": "2026-09-01"}),
     ("2026-09-01", "Homeless", "2026-09-01")),
    (ContentItem("r", "grade_level", None, {"grade_level": "Fifth grade"}), ("",)),
])
def test_the_name_of_a_fact(item: ContentItem, named: tuple[str, ...]) -> None:
    assert natural_key(item) == named


def test_the_value_is_not_part_of_the_name() -> None:
    fall = {"school_id": "s1", "course_code": "M5", "term": "Fall"}
    b = ContentItem("r", "grades", None, {**fall, "mark": "B"})
    c = ContentItem("r", "grades", None, {**fall, "mark": "C"})
    spring = ContentItem("r", "grades", None, {"school_id": "s1", "course_code": "M5", "term": "Spring",
                                               "mark": "B"})
    assert natural_key(b) == natural_key(c) != natural_key(spring)
