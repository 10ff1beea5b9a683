"""Common English and Spanish given-name diminutives, mapped to one canonical form.

Both agencies map through the same table, so 'Bill' at one and 'William' at the other encode
alike. The table is deliberately small and unambiguous: a diminutive shared by two canonical names
(e.g. 'alex' for alexander/alexandra, 'chris', 'sam', 'pat') is left alone, since mapping it would
merge people rather than variants. Keys and values are already folded (lower case, no accents).
"""

from __future__ import annotations

_CANONICAL: dict[str, tuple[str, ...]] = {
    # English
    "william": ("bill", "billy", "will", "willy"),
    "robert": ("bob", "bobby", "rob", "robbie"),
    "elizabeth": ("liz", "lizzie", "lizzy", "beth", "betty", "betsy", "eliza", "libby"),
    "margaret": ("maggie", "meg", "peggy", "marge", "margie"),
    "richard": ("rick", "ricky", "dick", "rich", "richie"),
    "james": ("jim", "jimmy", "jamie"),
    "john": ("johnny",),
    "joseph": ("joe", "joey"),
    "michael": ("mike", "mikey", "mick"),
    "thomas": ("tom", "tommy"),
    "charles": ("charlie", "chuck"),
    "edward": ("ed", "eddie", "ted", "teddy", "ned"),
    "anthony": ("tony",),
    "daniel": ("dan", "danny"),
    "matthew": ("matt",),
    "benjamin": ("ben", "benny"),
    "nicholas": ("nick", "nicky"),
    "jonathan": ("jon",),
    "katherine": ("kate", "katie", "kathy", "kat", "kitty"),
    "jennifer": ("jen", "jenny"),
    "rebecca": ("becky", "becca"),
    "susan": ("sue", "susie"),
    "deborah": ("debbie", "deb"),
    "abigail": ("abby",),
    "victoria": ("vicky", "tori"),
    "jessica": ("jess", "jessie"),
    # Spanish
    "jose": ("pepe", "pepito", "chepe"),
    "francisco": ("paco", "pancho", "curro", "quico"),
    "guadalupe": ("lupe", "lupita"),
    "enrique": ("quique",),
    "ignacio": ("nacho",),
    "manuel": ("manolo", "manu"),
    "antonio": ("tono", "toni"),
    "dolores": ("lola",),
    "concepcion": ("concha", "conchita"),
    "rosario": ("chayo",),
    "jesus": ("chuy", "chucho"),
    "alejandro": ("alejo",),
    "eduardo": ("lalo",),
    "roberto": ("beto",),
    "guillermo": ("memo",),
    "gregorio": ("goyo",),
    "isabel": ("chabela",),
    "mercedes": ("meche",),
}

NICKNAMES: dict[str, str] = {nick: name for name, nicks in _CANONICAL.items() for nick in nicks}


def canonical_given_name(word: str) -> str:
    """The canonical form of one folded given-name word: 'bill' -> 'william', 'anna' -> 'anna'."""
    return NICKNAMES.get(word, word)
