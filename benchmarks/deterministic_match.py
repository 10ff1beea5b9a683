"""The deterministic rule many states use for direct certification, as the baseline Accord is held to.

A child on the enrollment is certified when a record on the program's list has exactly the same
last name, first name and birth date, compared on the clear text after trimming and upper-casing
only (no accents folded, no punctuation dropped, no nicknames), with the birth date read the way a
state's SQL would: each common format parsed to an ISO date, anything else no date (and no match).
Written apart from Accord's normalisation on purpose: it shares no code with accord.linkage.
A copy of the rule lives in tests/workflows/test_crosscheck_quality.py (tests never import
benchmarks).
"""

from __future__ import annotations

import csv
from datetime import datetime
from pathlib import Path

DATE_FORMATS = ("%Y-%m-%d", "%m/%d/%Y", "%Y%m%d", "%m-%d-%Y", "%Y/%m/%d", "%d-%b-%Y", "%m/%d/%y")
Key = tuple[str, str, str]


def iso_date(text: str, cache: dict[str, str | None] | None = None) -> str | None:
    """`text` as YYYY-MM-DD when it is a date in one of DATE_FORMATS, else None."""
    if cache is not None and text in cache:
        return cache[text]
    found = None
    for form in DATE_FORMATS:
        try:
            found = datetime.strptime(text, form).date().isoformat()
            break
        except ValueError:
            continue
    if cache is not None:
        cache[text] = found
    return found


def keys(path: Path) -> dict[str, Key]:
    """record_id -> (LAST, FIRST, ISO birth date) for every row with all three."""
    cache: dict[str, str | None] = {}
    out = {}
    with path.open(encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle):
            last, first = row["last_name"].strip().upper(), row["first_name"].strip().upper()
            born = iso_date(row["date_of_birth"].strip(), cache)
            if last and first and born:
                out[row["record_id"].strip()] = (last, first, born)
    return out


def certified(enrollment: Path, program_list: Path) -> set[str]:
    """Enrollment record ids whose key is on the program's list (every one of them, as a join would)."""
    listed = set(keys(program_list).values())
    return {record_id for record_id, key in keys(enrollment).items() if key in listed}
