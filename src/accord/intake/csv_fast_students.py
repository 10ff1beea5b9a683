"""The students hot path: a state's roster (a million rows) must parse at hundreds of thousands of
rows/s (the converter chunking runs for each students row).

A students row's facts depend on its record id only by carrying it: two rows alike in every other
column make the same student facts and the same status content, each under its own id. So the
rest of an accepted row (its grade, flags, month...) is remembered with what the ordinary
converter made of it, and a row whose rest was seen before is built from that, its record id
checked as the ordinary path checks it. A row that misses (a new combination, an id that needs
stripping, a duplicate, a wrong number of fields) goes through the ordinary converter, which
produces the same records or the same rejection. So the fast path never accepts anything the
ordinary path would reject. A state's file has a few thousand such combinations.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from accord.domain.content import ContentItem, Value

from .records import Batch, StudentFacts, StudentIdentity
from .values import ID_LIMIT, Seen

Slow = Callable[[list[str], Batch, Seen], None]
# What a row made, but for its record id: the StudentFacts' other fields and each item's
# (element, date, values). The values are shared by the rows alike, as the values they are.
Made = tuple[tuple[object, ...], tuple[tuple[str, date | None, dict[str, Value]], ...]]
SHAPES = 65_536  # combinations remembered before the memo starts over


def student_converter(columns: list[str], slow: Slow) -> Callable[[list[str], Batch, Seen], None]:
    """A converter for students rows (chunking.Converter) that builds a row alike but for its
    record id from the first one the ordinary converter `slow` accepted."""
    i_rid, width = columns.index("record_id"), len(columns)
    shapes: dict[tuple[str, ...], Made] = {}

    def convert(row: list[str], out: Batch, seen: Seen) -> None:
        if len(row) != width:
            slow(row, out, seen)  # refuses it
            return
        rid = row[i_rid]
        rest = row.copy()
        del rest[i_rid]
        shape = tuple(rest)
        made = shapes.get(shape)
        if made is not None and rid and len(rid) <= ID_LIMIT and rid == rid.strip() and rid not in seen:
            # Not interned, as the ordinary path's ids are: each id comes once, and a million
            # of them would stay in the interpreter's table.
            _build(rid, made, out, seen)
            return
        content = len(out.content)
        slow(row, out, seen)  # a RowIssue leaves the row out, as chunking does
        if len(shapes) >= SHAPES:
            shapes.clear()
        shapes[shape] = _made(out.students[-1], out.content[content:])

    return convert


def _build(rid: str, made: Made, batch: Batch, seen: Seen) -> None:
    facts, items = made
    seen.add(rid)  # as values.claim keeps a key of one value
    batch.identities.append(StudentIdentity(rid, {}))
    batch.students.append(StudentFacts(rid, *facts))  # type: ignore[arg-type]
    batch.content.extend([ContentItem(rid, element, day, values) for element, day, values in items])


def _made(facts: StudentFacts, items: list[ContentItem]) -> Made:
    return ((facts.turns_18_in, facts.directory_opt_out, facts.meal_disclosure_opt_out,
             facts.foster_care_agency_id, facts.postsecondary_enrolled_on, facts.postsecondary_in_file,
             facts.turns_18_by),
            tuple((i.element, i.occurred_on, i.values) for i in items))
