"""A shared identifier (e.g. a Social Security or Medicaid number), where agencies have one.

Separators (spaces, hyphens, dots) are dropped: '078-05-1120' and '078 05 1120' are one value. What
remains must be 4 to 30 digits; anything with letters, too short to identify anyone, or all zeros
(the usual placeholder, '000-00-0000') is missing.
"""

from __future__ import annotations

import re

_SEPARATORS = re.compile(r"[\s.\-/]+")


def normalise_national_id(value: str) -> str | None:
    """The identifier's digits, or None."""
    digits = _SEPARATORS.sub("", value)
    usable = digits.isdigit() and digits.isascii() and 4 <= len(digits) <= 30 and digits.strip("0")
    return digits if usable else None
