"""Sex: one of 'f', 'm', 'x' (another recorded sex), or missing.

Numeric codes follow ISO/IEC 5218 (1 male, 2 female; 0 and 9 are 'unknown' and 'not applicable',
which are missing here). Anything not in the table is missing, never guessed.
"""

from __future__ import annotations

from accord.linkage.normalise.text import fold

_CODES: dict[str, str] = {
    "f": "f", "female": "f", "girl": "f", "woman": "f", "2": "f", "mujer": "f", "femenino": "f",
    "m": "m", "male": "m", "boy": "m", "man": "m", "1": "m", "hombre": "m", "masculino": "m",
    "x": "x", "nonbinary": "x", "non-binary": "x", "non binary": "x", "other": "x",
}


def normalise_sex(value: str) -> str | None:
    """'Female' -> 'f', ' M ' -> 'm', 'unknown' -> None."""
    return _CODES.get(" ".join(fold(value).split()))
