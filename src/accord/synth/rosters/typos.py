"""Single-keystroke mistakes: what a person typing a name, a date or a ZIP code actually gets wrong."""

from __future__ import annotations

import random
from datetime import date

_ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm")
_STAGGER = (0.0, 0.25, 0.75)  # how far each keyboard row sits to the right of the one above
_DIGITS = "0123456789"
_EARLIEST = date(1990, 1, 1)  # a year typo like 0214 is caught on entry; 2041 or 2004 slips through
ADJACENT_SHARE = 0.75  # of substitutions: a neighbouring key rather than any letter


def _neighbours() -> dict[str, str]:
    """Keys touching each letter on a QWERTY keyboard (same row and the rows above and below)."""
    where = {ch: (r, c + _STAGGER[r]) for r, row in enumerate(_ROWS) for c, ch in enumerate(row)}
    return {ch: "".join(other for other, (r2, x2) in where.items()
                        if other != ch and abs(r2 - r) <= 1 and abs(x2 - x) <= 1)
            for ch, (r, x) in where.items()}


NEIGHBOURS = _neighbours()


def _near_key(ch: str, rng: random.Random) -> str:
    """A key next to ``ch`` (same case), or any letter for keys off the map (accents, hyphens)."""
    lower = ch.lower()
    if lower in NEIGHBOURS and rng.random() < ADJACENT_SHARE:
        new = rng.choice(NEIGHBOURS[lower])
    else:
        new = rng.choice("abcdefghijklmnopqrstuvwxyz".replace(lower, ""))
    return new.upper() if ch.isupper() else new


def typo(text: str, rng: random.Random) -> str:
    """``text`` with one insertion, deletion, substitution or transposition of adjacent letters.

    Substitutions mostly hit a neighbouring key. Short texts (one letter) only get substitutions,
    so a typo never empties a field; a transposition of two equal letters becomes a substitution.
    """
    if not text:
        return text
    i = rng.randrange(len(text))
    kind = rng.choice(("insert", "delete", "substitute", "transpose")) if len(text) > 1 else "substitute"
    if kind == "insert":
        return text[:i] + _near_key(text[i], rng).lower() + text[i:]
    if kind == "delete":
        return text[:i] + text[i + 1:]
    if kind == "transpose" and i + 1 < len(text) and text[i] != text[i + 1]:
        return text[:i] + text[i + 1] + text[i] + text[i + 2:]
    return text[:i] + _near_key(text[i], rng) + text[i + 1:]


def digit_typo(digits: str, rng: random.Random) -> str:
    """One digit replaced by another, or two neighbouring different digits swapped."""
    places = [i for i, ch in enumerate(digits) if ch.isdigit()]
    if not places:
        return digits
    i = rng.choice(places)
    if i + 1 < len(digits) and digits[i + 1].isdigit() and digits[i] != digits[i + 1] and rng.random() < 0.3:
        return digits[:i] + digits[i + 1] + digits[i] + digits[i + 2:]
    return digits[:i] + rng.choice(_DIGITS.replace(digits[i], "")) + digits[i + 1:]


def date_typo(iso: str, rng: random.Random, latest: date) -> str:
    """An ISO date with one digit mistyped, still a real date in 1990 .. ``latest``.

    Invalid results (a 13th month, 31 February) are redrawn: those are caught by any form, while a
    plausible wrong date is the error that actually survives into a roster. After a few failed tries
    the date is returned unchanged.
    """
    for _ in range(10):
        candidate = digit_typo(iso, rng)
        try:
            parsed = date.fromisoformat(candidate)
        except ValueError:
            continue
        if candidate != iso and _EARLIEST <= parsed <= latest:
            return candidate
    return iso


def swap_day_month(iso: str) -> str:
    """YYYY-MM-DD read the other way round: 2014-03-07 becomes 2014-07-03 (callers ensure day <= 12)."""
    return f"{iso[:4]}-{iso[8:10]}-{iso[5:7]}"
