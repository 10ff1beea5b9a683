"""Street addresses and cities: case, accents, punctuation and the usual abbreviations.

Street types and directions take their USPS abbreviation ('Avenue' -> 'ave', 'North' -> 'n'), so
'12 North Main Street' and '12 N. Main St' are the same text. '#' is read as a unit marker.
"""

from __future__ import annotations

from accord.linkage.normalise.placeholders import known_place
from accord.linkage.normalise.text import alnum_tokens

STREET_WORDS: dict[str, str] = {
    "street": "st", "str": "st", "avenue": "ave", "av": "ave", "avn": "ave", "road": "rd", "drive": "dr",
    "lane": "ln", "boulevard": "blvd", "blvrd": "blvd", "court": "ct", "place": "pl", "terrace": "ter",
    "circle": "cir", "highway": "hwy", "parkway": "pkwy", "square": "sq", "trail": "trl", "way": "way",
    "apartment": "apt", "suite": "ste", "unit": "unit", "building": "bldg", "floor": "fl",
    "north": "n", "south": "s", "east": "e", "west": "w",
    "northeast": "ne", "northwest": "nw", "southeast": "se", "southwest": "sw",
}
CITY_WORDS: dict[str, str] = {"saint": "st", "fort": "ft", "mount": "mt", "north": "n", "south": "s",
                              "east": "e", "west": "w"}


def _abbreviate(words: list[str], table: dict[str, str]) -> str | None:
    out: list[str] = []
    for word in words:
        word = table.get(word, word)
        if not out or out[-1] != word:  # 'Apt #4' gives 'apt apt 4' before this
            out.append(word)
    return " ".join(out) or None


def normalise_street_address(value: str) -> str | None:
    """'12 North Main Street, Apt #4' -> '12 n main st apt 4'."""
    return known_place(_abbreviate(alnum_tokens(value.replace("#", " apt ")), STREET_WORDS))


def normalise_city(value: str) -> str | None:
    """'Saint Paul' -> 'st paul', 'Española' -> 'espanola'."""
    return known_place(_abbreviate(alnum_tokens(value), CITY_WORDS))
