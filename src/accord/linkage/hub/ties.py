"""Pairs within one file that another field ties together: when deduplicating, the duplicates.

The u-probabilities of the salted comparisons and of the birth date are counted on pairs inside
each file that share a salt or a token (salted_u.py, exact_u.py). Within one agency's roster those
pairs are different children (twins, classmates, brothers and sisters), the population the levels
are applied to. Within a file being deduplicated they are mostly the very duplicates sought: FEBRL3
has about 6,500 duplicate pairs born on one day against about 55 strangers, so counted as
non-matches they priced the same name at u 0.55 and the same birth date 120 times too common, and
deduplication found nothing.

So when deduplicating, a comparison's u is counted among the pairs that no *other* personal field
ties together (a similar name filter under its salt, a similar first name in one household, one
identifier): strangers agree on one field by chance, independently of the others, while a duplicate
agrees on most. Street and household are not ties: twins share them, and twins are exactly the
different people born on one day whom the birth date's and the street's u must count (the names
now take their u from the nodes' chance agreement, chance_u.py). A comparison's ties also
leave out the comparisons bound up with it: the first name for the surname, whose salt holds the
first-name code (every pair compared on it shares that code), and for the household's first name,
which is the same name under another salt.
"""

from __future__ import annotations

from collections.abc import Callable, Collection

from accord.linkage.hub.model import HOUSEHOLD, SAME_DATE, SURNAME_SALT, blocking_dice, same

TIE_DICE = 0.7  # the weakest first-name level the model has: a typo still ties a duplicate
# Comparison names left out of the ties -> SQL condition on a pair (`l.` / `r.` naming).
Untie = Callable[[Collection[str]], str]
# Comparison -> the comparisons bound up with it, left out of its ties (see above).
SALT_PARTS = {"last_name": ("first_name",), "first_name_home": ("first_name",)}
# Ties that come with a comparison but are not it, so never left out with it: given and family
# names entered the wrong way round (a level of the first name's comparison) tie a duplicate that
# no name filter can, each filter being salted apart; counted as strangers, FEBRL3's swapped
# duplicates priced that level at u 0.13 and it weighed against the match.
CARRIED_WITH = {"names_swapped": "first_name"}


def _ties(words: int) -> dict[str, str]:
    """Comparison -> SQL condition (`l.` / `r.` naming) that a pair agrees on it."""
    def similar(field: str, salt: str) -> str:
        return f"{same(salt)} AND {blocking_dice(field, words, TIE_DICE)}"
    return {
        "first_name": similar("first_name", SAME_DATE),
        "last_name": similar("last_name", SURNAME_SALT),
        "middle_name": similar("middle_name", SAME_DATE),
        "first_name_home": similar("first_name_home", HOUSEHOLD),
        "national_id": same("tok_national_id"),
        "names_swapped": same("tok_swapped_names"),
    }


def untied(words: int, comparisons: Collection[str], leaving_out: Collection[str] = ()) -> str:
    """SQL condition: no comparison among `comparisons`, other than those `leaving_out` and the parts
    of their salts, ties the pair together ("TRUE" when none is left to tie)."""
    parts = {part for name in leaving_out for part in SALT_PARTS.get(name, ())}
    # A tie carried with a salt's part goes with it; one carried with the comparison itself stays.
    left_out = {*leaving_out, *parts, *(tie for tie, owner in CARRIED_WITH.items() if owner in parts)}
    conditions = [f"coalesce({sql}, false)" for name, sql in _ties(words).items()
                  if (name in comparisons or CARRIED_WITH.get(name) in comparisons) and name not in left_out]
    return f"NOT ({' OR '.join(conditions)})" if conditions else "TRUE"


def counting_all(leaving_out: Collection[str]) -> str:
    """Count every pair: linking, where the pairs within one roster are different children."""
    return "TRUE"


def untie_among(words: int, comparisons: Collection[str]) -> Untie:
    """Deduplicating: count the pairs that none of `comparisons` but those left out ties together."""
    return lambda leaving_out: untied(words, comparisons, leaving_out)
