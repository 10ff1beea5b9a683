"""Shared text folding: accents, case, punctuation and whitespace."""

from __future__ import annotations

import re
import unicodedata

# Letters that NFKD does not decompose into base letter + accent, but that registries still
# write either way (a clerk without the key types the base letter).
_TRANSLITERATE = str.maketrans({"ø": "o", "ł": "l", "đ": "d", "ħ": "h", "ı": "i", "þ": "th", "æ": "ae",
                                "œ": "oe"})
# Apostrophes join (O'Brien -> obrien) rather than split, as clerks omit them as often as not.
_APOSTROPHES = re.compile(r"['’‘`´]")
_NON_ALNUM = re.compile(r"[^0-9a-z]+")
_NON_ALPHA = re.compile(r"[^a-z]+")


def fold(value: str) -> str:
    """NFKD, accents stripped, case-folded, transliterated: 'García' -> 'garcia'."""
    if value.isascii():  # most cells: nothing to decompose, and ASCII casefold is lower()
        return value.lower()
    decomposed = unicodedata.normalize("NFKD", value)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return stripped.casefold().translate(_TRANSLITERATE)


def alpha_tokens(value: str) -> list[str]:
    """Folded letter-only words: digits and punctuation separate words."""
    return _NON_ALPHA.sub(" ", _APOSTROPHES.sub("", fold(value))).split()


def alnum_tokens(value: str) -> list[str]:
    """Folded letter-and-digit words, for addresses (house numbers matter there)."""
    return _NON_ALNUM.sub(" ", _APOSTROPHES.sub("", fold(value))).split()
