"""Birth dates in the formats registries actually send.

Accepted: YYYY-MM-DD, YYYY/MM/DD, MM/DD/YYYY (slashes with the year last are read the US way,
month first) and DD.MM.YYYY (dots with the year last are read day first, as in Europe). Day and
month may have one digit. A date that does not exist (2013-02-30), lies in the future or before
1900 is missing, not an error: the row is still linked on its other fields.
"""

from __future__ import annotations

import re
from datetime import date

_ISO = re.compile(r"(\d{4})[-/](\d{1,2})[-/](\d{1,2})")
_US = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
_EUROPEAN = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")
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
    else:
        return None
    try:
        parsed = date(int(year), int(month), int(day))
    except ValueError:
        return None
    if parsed < EARLIEST or parsed > (today or date.today()):
        return None
    return parsed
