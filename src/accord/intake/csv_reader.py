"""Streaming a CSV file of one kind into Batches."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from .chunking import Converter, chunked
from .csv_events import attendance_row, discipline_row, enrollment_row, grade_row, program_row
from .csv_fast import attendance_batches
from .csv_fast_students import student_converter
from .csv_schema import SCHEMAS, check_header
from .csv_students import check_element, roster_converter, student_row
from .errors import IntakeError, RowIssue
from .records import Batch
from .source import Progress, iter_lines
from .values import Seen

CSV_KINDS = tuple(SCHEMAS)
_CONVERTERS: dict[str, Converter] = {
    "students": student_row, "enrollments": enrollment_row, "attendance": attendance_row,
    "discipline": discipline_row, "grades": grade_row, "programs": program_row,
}


def _rows(path: Path, kind: str, reader: Any) -> Iterator[tuple[int, list[str]]]:
    try:
        header = next(reader, None)
        if header is None:
            raise IntakeError(path.name, 1, "(header)", "file is empty (no header row)")
        yield 1, check_header(path.name, kind, header)
        for row in reader:
            if row:  # a blank line is not a row
                yield reader.line_num, row
    except csv.Error as exc:
        # A broken quote can swallow the rest of the file, so the rows after it cannot be trusted.
        raise IntakeError(path.name, reader.line_num, "(row)", f"malformed CSV: {exc}") from None


def iter_csv_batches(path: Path, kind: str, *, chunk_rows: int, element: str | None,
                     max_bytes: int, on_progress: Progress | None) -> Iterator[Batch]:
    """Validated Batches of `chunk_rows` rows from a CSV file of `kind` (see csv_schema.SCHEMAS).

    The header is checked before any row: an unknown or missing column raises IntakeError."""
    convert = (roster_converter(check_element(path.name, element)) if kind == "roster"
               else _CONVERTERS[kind])
    reader = csv.reader(iter_lines(path, max_bytes=max_bytes, on_progress=on_progress), strict=True)
    rows = _rows(path, kind, reader)
    _, columns = next(rows)
    width = len(columns)

    def by_name(row: list[str], out: Batch, seen: Seen) -> None:
        if len(row) != width:
            raise RowIssue("(row)", f"expected {width} fields, found {len(row)}")
        convert(dict(zip(columns, row, strict=True)), out, seen)

    if kind == "attendance":
        try:  # the reader itself, not the numbered rows: no Python frame per row on the hot path
            yield from attendance_batches(reader, lambda: reader.line_num, columns, path.name, chunk_rows,
                                          by_name)
        except csv.Error as exc:
            raise IntakeError(path.name, reader.line_num, "(row)", f"malformed CSV: {exc}") from None
        return
    data: Iterator[tuple[int, Any]] = rows
    yield from chunked(kind, path.name, data, student_converter(columns, by_name) if kind == "students"
                       else by_name, chunk_rows)
