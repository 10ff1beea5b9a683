"""Parsing single field values. Failures raise RowIssue naming the field, never quoting the value."""

from __future__ import annotations

import sys
from collections.abc import Mapping
from datetime import date
from functools import lru_cache

from accord.domain.students import NO_LATER_MONTH

from .errors import RowIssue

NOT_A_DATE = "not a date (expected YYYY-MM-DD)"
IMPOSSIBLE_DATE = "impossible date (no such day in the calendar)"
OUT_OF_RANGE = "date outside the years 1900-2100"
NOT_A_MONTH = "not a month (expected YYYY-MM)"
EMPTY = "required field is empty"
_YES = frozenset({"y", "yes", "true", "1"})
_NO = frozenset({"n", "no", "false", "0"})

# The set of keys already seen in a file, for duplicate detection across chunks. A key of one
# value is kept as that value (claim): a state's students file has a million of them, and a
# tuple around each took a hundred MiB.
Seen = set[str | tuple[str, ...]]


@lru_cache(maxsize=1 << 16)
def _date_or_reason(text: str) -> date | str:
    # Cached: an attendance file repeats the same few hundred dates millions of times, and
    # the cache also remembers why a bad one is bad.
    if (
        len(text) != 10 or text[4] != "-" or text[7] != "-"
        or not (digits := text[:4] + text[5:7] + text[8:]).isascii() or not digits.isdigit()
    ):
        return NOT_A_DATE
    try:
        parsed = date.fromisoformat(text)
    except ValueError:
        return IMPOSSIBLE_DATE
    if not 1900 <= parsed.year <= 2100:
        return OUT_OF_RANGE
    return parsed


def parse_date(field: str, text: str) -> date:
    """Parse an ISO date (YYYY-MM-DD) or raise RowIssue for `field`."""
    result = _date_or_reason(text)
    if isinstance(result, str):
        raise RowIssue(field, result)
    return result


def required_month(rec: Mapping[str, str], field: str) -> date:
    """A required month (YYYY-MM), as the first day of that month."""
    text = required(rec, field)
    result = _date_or_reason(f"{text}-01") if len(text) == 7 else NOT_A_MONTH
    if isinstance(result, str):
        raise RowIssue(field, NOT_A_MONTH if result == NOT_A_DATE else result)
    return result


def required_month_bounds(rec: Mapping[str, str], field: str) -> tuple[date, date | None]:
    """A required month (YYYY-MM), or the bounds of one as an ISO 8601 interval of months
    (`2027-03/2030-01`, `2027-03/..` open after): (earliest, latest), latest None for one month."""
    text = required(rec, field)
    first, sep, last = text.partition("/")
    earliest = required_month({field: first}, field)
    if not sep:
        return earliest, None
    latest = NO_LATER_MONTH if last.strip() == ".." else required_month({field: last}, field)
    if latest < earliest:
        raise RowIssue(field, "its months are the wrong way round (expected earliest/latest)")
    return earliest, latest


def required(rec: Mapping[str, str], field: str) -> str:
    """The stripped, non-empty value of a required field."""
    value = rec.get(field, "").strip()
    if not value:
        raise RowIssue(field, EMPTY)
    return value


def optional(rec: Mapping[str, str], field: str) -> str | None:
    """The stripped value of an optional field, None when absent or blank."""
    value = rec.get(field, "").strip()
    return value or None


ID_LIMIT = 64  # the store's id columns (store.types.Id); SQLite would not enforce it


def required_id(rec: Mapping[str, str], field: str) -> str:
    """A required identifier, interned: ids repeat on every row of a student and sit in key sets."""
    text = required(rec, field)
    if len(text) > ID_LIMIT:
        raise RowIssue(field, f"longer than {ID_LIMIT} characters, the limit for an id")
    return sys.intern(text)


def required_date(rec: Mapping[str, str], field: str) -> date:
    """A required ISO date field."""
    return parse_date(field, required(rec, field))


def optional_date(rec: Mapping[str, str], field: str) -> date | None:
    """An optional ISO date field."""
    value = optional(rec, field)
    return None if value is None else parse_date(field, value)


def optional_flag(rec: Mapping[str, str], field: str) -> bool | None:
    """A Y/N column (also yes/no, true/false, 1/0), None when blank."""
    value = optional(rec, field)
    if value is None:
        return None
    lowered = value.lower()
    if lowered in _YES:
        return True
    if lowered in _NO:
        return False
    raise RowIssue(field, "not a Y/N value")


def optional_number(rec: Mapping[str, str], field: str, *, integer: bool) -> int | float | None:
    """A non-negative number (int when `integer`), None when blank."""
    value = optional(rec, field)
    if value is None:
        return None
    try:
        number: int | float = int(value) if integer else float(value)
    except ValueError:
        raise RowIssue(field, "not a whole number" if integer else "not a number") from None
    if not number >= 0:  # also rejects NaN
        raise RowIssue(field, "must not be negative")
    return number


def claim(seen: Seen, key: tuple[str, ...], field: str, what: str) -> None:
    """Record a natural key, or reject the row as a duplicate of an earlier one in the file."""
    held = key[0] if len(key) == 1 else key
    if held in seen:
        raise RowIssue(field, f"duplicate {what} (an earlier row has the same key)")
    seen.add(held)
