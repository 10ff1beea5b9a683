"""The attendance hot path: a 10-million-row file must parse at hundreds of thousands of rows/s.

Each row is first tried against caches of values already validated (record ids, school ids and
dates seen before, exact event names); a row that misses any cache goes through the ordinary
converter, which produces the same records or the same rejection, and then fills the caches.
So the fast path never accepts anything the ordinary path would reject.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Iterator
from datetime import date

from accord.domain.content import ContentItem, Value

from .descriptors import ATTENDANCE_EVENTS
from .errors import Rejection, RowIssue
from .records import Batch
from .values import Seen, parse_date

Slow = Callable[[list[str], Batch, Seen], None]


def attendance_batches(rows: Iterable[list[str]], line_num: Callable[[], int], columns: list[str],
                       source: str, chunk_rows: int, slow: Slow) -> Iterator[Batch]:
    """Batches of attendance items from CSV rows; `slow` is the ordinary row converter."""
    at = {name: i for i, name in enumerate(columns)}
    i_rid, i_school, i_day, i_event = at["record_id"], at["school_id"], at["event_date"], at["event"]
    i_min = at.get("minutes")
    width = len(columns)
    events = {v: v for v in ATTENDANCE_EVENTS.values()}
    ids: dict[str, str] = {}  # exact, already-clean ids -> their interned copy
    days: dict[str, tuple[str, date]] = {}
    seen: Seen = set()
    batch = Batch("attendance", source)
    yielded = False
    for row in rows:
        if not row:
            continue
        batch.rows_read += 1
        if len(row) == width:
            rid = ids.get(row[i_rid])
            school = ids.get(row[i_school])
            day = days.get(row[i_day])
            event = events.get(row[i_event])
            minutes = row[i_min] if i_min is not None else ""
            if (rid is not None and school is not None and day is not None and event is not None
                    and (not minutes or (minutes.isascii() and minutes.isdigit()))):
                key = (rid, day[0], school)
                if key not in seen:
                    seen.add(key)
                    values: dict[str, Value] = {"event": event, "school_id": school}
                    if minutes:
                        values["minutes"] = int(minutes)
                    batch.content.append(ContentItem(rid, "attendance", day[1], values))
                    batch.content_rows.append(line_num())
                    if batch.rows_read >= chunk_rows:
                        yield batch
                        yielded = True
                        batch = Batch("attendance", source)
                    continue
        counts = len(batch.students), len(batch.content), len(batch.consents)
        try:
            slow(row, batch, seen)
        except RowIssue as issue:
            batch.rejections.append(Rejection(source, line_num(), issue.field, issue.reason))
        else:
            batch.note_rows(line_num(), *counts)
            _remember(row[i_rid], row[i_school], row[i_day], ids, days)
        if batch.rows_read >= chunk_rows:
            yield batch
            yielded = True
            batch = Batch("attendance", source)
    if batch.rows_read or not yielded:
        yield batch


def _remember(rid: str, school: str, day: str, ids: dict[str, str],
              days: dict[str, tuple[str, date]]) -> None:
    # Only values the ordinary path accepted verbatim (no surrounding spaces) enter the caches.
    for text in (rid, school):
        if text == text.strip():
            ids[text] = sys.intern(text)
    if day == day.strip() and day not in days:
        days[day] = (sys.intern(day), parse_date("event_date", day))
