"""`column IN (these ids)` for thousands of ids, as one bound parameter.

Twenty thousand bound parameters of an IN list took most of a second per chunk to bind and plan
(SQLAlchemy names and renders each one). So the ids go as one value: an array on PostgreSQL
(`= ANY`), a JSON array read by `json_each` on SQLite.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from typing import Any

from sqlalchemy import ColumnElement, String, any_, bindparam, func, select
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import InstrumentedAttribute, Session

CHUNK = 20_000  # ids per statement


def among(session: Session, column: ColumnElement[Any] | InstrumentedAttribute[Any], ids: Sequence[str]
          ) -> ColumnElement[bool]:
    """The condition that `column` is one of `ids`, in the session's database's own way."""
    if session.connection().dialect.name == "postgresql":
        return column == any_(bindparam(None, list(ids), type_=ARRAY(String)))
    each = func.json_each(bindparam(None, json.dumps(list(ids)))).table_valued("value")
    return column.in_(select(each.c.value))


def among_chunks(session: Session, column: ColumnElement[Any] | InstrumentedAttribute[Any],
                 ids: Sequence[str], chunk: int = CHUNK) -> Iterator[ColumnElement[bool]]:
    """`among` for `chunk` of `ids` at a time: one condition per statement to run."""
    for i in range(0, len(ids), chunk):
        yield among(session, column, ids[i:i + chunk])
