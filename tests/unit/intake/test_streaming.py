"""Chunking, duplicates across chunks, the progress hook, and the attendance and students fast paths."""

from __future__ import annotations

import random
from collections.abc import Callable
from pathlib import Path

from accord.intake import iter_batches, read_file
from accord.intake.csv_events import attendance_row
from accord.intake.csv_students import student_row
from accord.intake.errors import RowIssue
from accord.intake.records import Batch
from accord.intake.values import Seen

CsvFile = Callable[[str, str], Path]
HEADER = "record_id,school_id,event_date,event,minutes\n"


def test_chunks_and_duplicates_across_chunks(csv_file: CsvFile) -> None:
    rows = [f"S{i},9,2023-09-{1 + i % 28:02d},Tardy,\n" for i in range(10)]
    path = csv_file("att.csv", HEADER + "".join(rows) + rows[0])
    batches = list(iter_batches(path, "attendance", chunk_rows=4))
    assert [b.rows_read for b in batches] == [4, 4, 3]
    assert [len(b.content) for b in batches] == [4, 4, 2]
    [rejection] = batches[-1].rejections
    assert (rejection.row, rejection.field) == (12, "record_id") and "duplicate" in rejection.reason


def test_duplicates_across_chunks_for_generic_kinds(csv_file: CsvFile) -> None:
    row = "S1,2030-03\n"
    path = csv_file("s.csv", "record_id,turns_18_in\n" + row + row.replace("S1", "S2") + row)
    batches = list(iter_batches(path, "students", chunk_rows=2))
    assert [len(b.rejections) for b in batches] == [0, 1] and batches[1].rejections[0].row == 4


def test_progress_reports_bytes_read(csv_file: CsvFile) -> None:
    path = csv_file("att.csv", HEADER + "".join(f"S{i},9,2023-09-12,Tardy,\n" for i in range(100_000)))
    seen: list[int] = []
    for _ in iter_batches(path, "attendance", on_progress=seen.append):
        pass
    assert len(seen) > 1 and seen == sorted(seen) and seen[-1] == path.stat().st_size


def test_fast_path_agrees_with_the_row_converter(csv_file: CsvFile) -> None:
    # The fast path serves rows whose values it has seen accepted before; mixing good and bad rows
    # with repeated values must give exactly what the ordinary converter gives row by row.
    rng = random.Random(7)
    choices = {"rid": ["S1", "S2", " S3", ""], "school": ["9", "10"],
               "day": ["2023-09-12", "2023-09-13", "2023-02-30", "12/09/2023"],
               "event": ["Tardy", "tardy", "Napping", "In Attendance"], "minutes": ["", "5", "x", "-1"]}
    lines = [",".join(rng.choice(choices[k]) for k in choices) + "\n" for _ in range(400)]
    path = csv_file("att.csv", HEADER + "".join(lines))
    batch = read_file(path, "attendance")
    reference = Batch("attendance", "att.csv")
    seen: Seen = set()
    expected: list[tuple[int, str, str]] = []
    for number, line in enumerate(lines, start=2):
        rec = dict(zip(HEADER.strip().split(","), line.rstrip("\n").split(","), strict=True))
        try:
            attendance_row(rec, reference, seen)
        except RowIssue as issue:
            expected.append((number, issue.field, issue.reason))
    assert [(r.row, r.field, r.reason) for r in batch.rejections] == expected
    assert batch.content == reference.content
    assert 0 < len(expected) < len(lines)


def test_students_fast_path_agrees_with_the_row_converter(csv_file: CsvFile) -> None:
    # Rows alike but for their record id are built from the first one accepted; ids that are
    # repeated, padded, empty or too long, and rows with bad values or the wrong width, must give
    # exactly the records and rejections the ordinary converter gives row by row.
    rng = random.Random(11)
    header = "record_id,grade_level,english_learner,turns_18_in,household_size"
    choices = {"rid": [f"S{n}" for n in range(60)] + [" S70", "", "S" * 65],
               "grade": ["Third grade", "Fourth grade", ""], "el": ["Y", "N", "maybe", ""],
               "month": ["2031-04", "2031-4", "2030-13", ""], "household": ["3", "", "-2"]}
    lines = [",".join(rng.choice(choices[k]) for k in choices) + "\n" for _ in range(400)]
    lines[7] = "S99,Third grade\n"  # the wrong number of fields
    path = csv_file("students.csv", header + "\n" + "".join(lines))
    batch = read_file(path, "students", chunk_rows=50)
    reference = Batch("students", "students.csv")
    seen: Seen = set()
    expected: list[tuple[int, str, str]] = []
    for number, line in enumerate(lines, start=2):
        cells = line.rstrip("\n").split(",")
        if len(cells) != len(choices):
            expected.append((number, "(row)", f"expected {len(choices)} fields, found {len(cells)}"))
            continue
        counts = len(reference.students), len(reference.content), len(reference.consents)
        try:
            student_row(dict(zip(header.split(","), cells, strict=True)), reference, seen)
        except RowIssue as issue:
            expected.append((number, issue.field, issue.reason))
        else:
            reference.note_rows(number, *counts)
    assert [(r.row, r.field, r.reason) for r in batch.rejections] == expected
    assert (batch.students, batch.content, batch.identities) == (reference.students, reference.content,
                                                                 reference.identities)
    assert (batch.student_rows, batch.content_rows) == (reference.student_rows, reference.content_rows)
    assert 0 < len(expected) < len(lines) and len(batch.students) > 20
