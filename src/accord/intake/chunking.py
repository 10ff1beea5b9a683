"""Turning a stream of numbered rows into Batches of at most `chunk_rows` rows each."""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from typing import Any

from .errors import Rejection, RowIssue
from .records import Batch
from .values import Seen

# A converter validates one row completely, then appends its records to the batch; on any
# problem it raises RowIssue before appending anything, so a rejected row leaves no trace.
Converter = Callable[[Any, Batch, Seen], None]


def chunked(kind: str, source: str, rows: Iterator[tuple[int, Any]], convert: Converter,
            chunk_rows: int) -> Iterator[Batch]:
    """Convert numbered rows, yielding a Batch every `chunk_rows` rows (at least one Batch).

    The duplicate-key set lives for the whole file, so a duplicate is caught across chunks."""
    if chunk_rows < 1:
        raise ValueError("chunk_rows must be at least 1")
    seen: Seen = set()
    batch = Batch(kind, source)
    yielded = False
    for number, row in rows:
        batch.rows_read += 1
        counts = len(batch.students), len(batch.content), len(batch.consents)
        try:
            convert(row, batch, seen)
        except RowIssue as issue:
            batch.rejections.append(Rejection(source, number, issue.field, issue.reason))
        else:
            batch.note_rows(number, *counts)
        if batch.rows_read >= chunk_rows:
            yield batch
            yielded = True
            batch = Batch(kind, source)
    if batch.rows_read or not yielded:
        yield batch


def without_gc(batches: Iterator[Batch]) -> Iterator[Batch]:
    """Run the reader with the cyclic garbage collector paused, resuming it at every yield.

    Parsing makes no reference cycles, but its millions of new objects set the collector off
    again and again, which halves the throughput; the caller's code between chunks runs normally."""
    collecting = gc.isenabled()
    while True:
        gc.disable()
        try:
            batch = next(batches, None)
        finally:
            if collecting:
                gc.enable()
        if batch is None:
            return
        yield batch
