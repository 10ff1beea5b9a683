"""Values registries write where they know nothing: they are missing, not a name or a place.

Two records that both say "unknown" (or FNU, "first name unknown", as courts and police write it)
agree on nothing; read as a name, the placeholder would make strangers look alike. These are
compared after folding (lower case, letters and digits only, single spaces).
"""

from __future__ import annotations

UNKNOWN_NAMES = frozenset({
    "unknown", "unk", "not known", "not stated", "not given", "none", "null", "nil", "na", "n a",
    "fnu", "lnu", "mnu", "nfn", "nln", "nmn", "no name", "xxx", "xx", "x",
})
UNKNOWN_PLACES = frozenset({
    "unknown", "unk", "not known", "not stated", "none", "null", "nil", "na", "n a", "nfa",
    "no fixed abode", "no fixed address", "homeless", "general delivery", "xxx", "x",
})
UNKNOWN_ZIPS = frozenset({"00000", "99999"})


def unknown_name(words: list[str]) -> bool:
    """The folded words of a name (titles stripped) are a placeholder."""
    return " ".join(words) in UNKNOWN_NAMES


def known_place(words: str | None) -> str | None:
    """`words` (a folded street or city), or None when it is a placeholder."""
    return None if words is None or words in UNKNOWN_PLACES else words
