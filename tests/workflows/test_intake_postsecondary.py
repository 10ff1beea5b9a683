"""A dual-enrolled student's postsecondary enrolment date crosses from the school's file, through the
node's copy, to the hub's students (34 CFR 99.3, 99.5(a): her rights are hers from that day), and
a later students file without the column leaves it as it was."""

from __future__ import annotations

import csv
from datetime import date

from accord.domain.students import Student
from accord.domain.withheld import WITHHELD_FROM_HUB
from accord.store.db import make_engine, make_session_factory, session_scope
from accord.store.repositories.students import get_student
from tests.workflows.intake_hub import IDS, STUDENT_COLUMNS, STUDENTS, Hub

COLUMN = "postsecondary_enrolled_on"
ENROLLED = "2026-08-24"
ON = date(2026, 11, 2)


def _student(hub: Hub, record_id: str) -> Student:
    engine = make_engine(hub.db_url)
    try:
        with session_scope(make_session_factory(engine)) as session:
            found = get_student(session, record_id)
    finally:
        engine.dispose()
    assert found is not None
    return found


def _load(hub: Hub, header: list[str], rows: list[list[str]]) -> None:
    result = hub.load("lea", "students", hub.write_csv("students.csv", header, rows))
    assert result.exit_code == 0, result.output
    assert "0 rejected" in " ".join(result.output.split()), result.output


def _with_column(first: str) -> tuple[list[str], list[list[str]]]:
    """The school's students file with the column: `first` for the first student, empty for the rest."""
    return [*STUDENT_COLUMNS, COLUMN], [[*row, first if n == 0 else ""] for n, row in enumerate(STUDENTS)]


def test_the_date_reaches_the_hub_and_a_file_without_the_column_keeps_it(hub: Hub) -> None:
    _load(hub, *_with_column(ENROLLED))
    with (hub.root / "to-hub" / "students.csv").open(encoding="utf-8", newline="") as handle:
        header = next(csv.reader(handle))
    assert COLUMN in header and not set(header) & set(WITHHELD_FROM_HUB)  # what the node sent the hub
    dual, other = _student(hub, IDS[0]), _student(hub, IDS[1])
    assert dual.postsecondary_enrolled_on == date(2026, 8, 24) and dual.is_eligible_student(ON)
    assert other.postsecondary_enrolled_on is None and not other.is_eligible_student(ON)

    # An older extract without the column (its grade changed, so it is a new file) knows nothing of
    # college classes: the date stays, and she keeps her rights.
    _load(hub, STUDENT_COLUMNS, [[*row[:-1], "Sixth grade"] for row in STUDENTS])
    assert _student(hub, IDS[0]).postsecondary_enrolled_on == date(2026, 8, 24)
    assert _student(hub, IDS[0]).is_eligible_student(ON)


def test_an_empty_cell_in_the_column_clears_the_date(hub: Hub) -> None:
    _load(hub, *_with_column(ENROLLED))
    _load(hub, *_with_column(""))  # the school says she is not enrolled (a correction)
    assert _student(hub, IDS[0]).postsecondary_enrolled_on is None
    assert not _student(hub, IDS[0]).is_eligible_student(ON)
