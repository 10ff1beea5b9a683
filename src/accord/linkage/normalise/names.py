"""Names: honorifics, suffixes, particles, double surnames and nicknames.

A given name keeps all its words (a second given name written in the first-name column stays),
each mapped through the nickname table. A surname keeps its full normalised form and also exposes
its parts, so a hyphenated or double surname ('García-López', 'García y López') can later be
compared part by part when one agency records only the first surname.
"""

from __future__ import annotations

from dataclasses import dataclass

from accord.linkage.normalise.nicknames import canonical_given_name
from accord.linkage.normalise.placeholders import unknown_name
from accord.linkage.normalise.text import alpha_tokens

# Dropped only from the start of a name: 'dr', 'ms' and so on are titles, not names.
HONORIFICS = frozenset({"mr", "mrs", "ms", "miss", "mx", "master", "dr", "prof", "rev", "sir", "dame",
                        "sra", "srta", "don", "dona"})
# Dropped only from the end of a name. Digit suffixes ('3rd') are already gone with the digits.
SUFFIXES = frozenset({"jr", "sr", "junior", "senior", "ii", "iii", "iv", "v", "rd", "nd", "th", "esq"})
# Surname particles stay in the full surname but are not parts in their own right.
PARTICLES = frozenset({"de", "del", "la", "las", "los", "da", "das", "do", "dos", "di", "du", "van", "von",
                       "der", "den", "le", "st"})
# Spanish joins two surnames with 'y' ('García y López'); it is a connector, not a name.
CONNECTORS = frozenset({"y", "e", "i"})


@dataclass(frozen=True, slots=True)
class Surname:
    """A normalised surname: the full form, and its meaningful parts in order."""

    full: str
    parts: tuple[str, ...]


def _strip_titles(words: list[str]) -> list[str]:
    start, end = 0, len(words)
    while start < end and words[start] in HONORIFICS:
        start += 1
    while end > start and words[end - 1] in SUFFIXES:
        end -= 1
    return words[start:end]


def normalise_name_text(value: str) -> str | None:
    """Folded words without honorifics or suffixes, single-spaced: 'Dr. José  Pérez Jr.' -> 'jose perez'."""
    words = _strip_titles(alpha_tokens(value))
    return " ".join(words) or None


def normalise_given_name(value: str) -> str | None:
    """A first or middle name, each word mapped to its canonical form: 'Bill' -> 'william'."""
    words = _strip_titles(alpha_tokens(value))
    if unknown_name(words):
        return None
    return " ".join(canonical_given_name(w) for w in words) or None


def normalise_surname(value: str) -> Surname | None:
    """A last name: 'García-López' -> Surname('garcia lopez', ('garcia', 'lopez'))."""
    words = _strip_titles(alpha_tokens(value))
    # A connector between two words joins surnames; at either end it would be a name itself.
    words = [w for i, w in enumerate(words) if not (w in CONNECTORS and 0 < i < len(words) - 1)]
    if not words or unknown_name(words):
        return None
    parts = tuple(w for w in words if w not in PARTICLES) or tuple(words)
    return Surname(" ".join(words), parts)
