"""Birth dates in the formats registries actually send.

Accepted: YYYY-MM-DD, YYYY/MM/DD, compact YYYYMMDD, MM/DD/YYYY (slashes with the year last are
read the US way, month first), DD.MM.YYYY (dots with the year last are read day first, as in
Europe) and DD-Mon-YYYY with an English month name or its first three letters. Day and month may
have one digit. A date that does not exist (2013-02-30), lies in the future or before
1900 is missing, not an error: the row is still linked on its other fields; so is 1900-01-01, the
date registries enter when they know none.
"""

from __future__ import annotations

import re
from datetime import date

_ISO = re.compile(r"(\d{4})[-/](\d{1,2})[-/](\d{1,2})")
_US = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
_EUROPEAN = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")
_COMPACT = re.compile(r"(\d{4})(\d{2})(\d{2})")
_MONTH_NAME = re.compile(r"(\d{1,2})[- ]([a-z]+)\.?[- ,]+(\d{4})")
_MONTH_WORDS = ("january", "february", "march", "april", "may", "june", "july", "august", "september",
                "october", "november", "december")
_MONTHS = {**{m: str(i) for i, m in enumerate(_MONTH_WORDS, start=1)},
           **{m[:3]: str(i) for i, m in enumerate(_MONTH_WORDS, start=1)}, "sept": "9"}
EARLIEST = date(1900, 1, 1)


def normalise_date(value: str, today: date | None = None) -> date | None:
    """The date written in `value`, or None when it is empty, malformed or impossible."""
    text = value.strip()
    if match := _ISO.fullmatch(text):
        year, month, day = match.groups()
    elif match := _US.fullmatch(text):
        month, day, year = match.groups()
    elif match := _EUROPEAN.fullmatch(text):
        day, month, year = match.groups()
    elif match := _COMPACT.fullmatch(text):
        year, month, day = match.groups()
    elif (match := _MONTH_NAME.fullmatch(text.lower())) and match[2] in _MONTHS:
        day, month, year = match[1], _MONTHS[match[2]], match[3]
    else:
        return None
    try:
        parsed = date(int(year), int(month), int(day))
    except ValueError:
        return None
    if parsed <= EARLIEST or parsed > (today or date.today()):
        return None
    return parsed
