"""Names two agencies write differently: what defeats matching on exact name and birth date.

A school's enrollment and a program's list are typed by different clerks into different systems.
For a share of households (``write_eligibility_rosters``' ``name_variation``) one of these holds:

    double     a hyphenated double surname: "Castillo-Ibarra" on one side, "Castillo Ibarra" or
               only "Castillo" on the other
    particle   a surname with an apostrophe or a particle: "O'Brien" / "OBrien" / "O Brien",
               "de la Cruz" / "Delacruz", "Van Dyke" / "Vandyke", "McDonald" / "Mc Donald"
    long_first a long or uncommon first name, cut to the field length (10 or 12 characters) of one
               side's system: "Oluwafunmilayo" / "Oluwafunmi"

The surname kinds hold for the whole household (siblings share a surname); a long first name is one
child's. Nicknames on one side come from the rosters' error model (``errors``), as do typos.
"""

from __future__ import annotations

import random

from accord.synth.rosters.bulk import pick
from accord.synth.rosters.names import HISPANIC_SURNAMES, SURNAMES, weighted
from accord.synth.rosters.people import surname_parts

KINDS = ("double", "particle", "long_first")
FIELD_LENGTHS = (10, 10, 12)  # a first-name field of a legacy system; 10 is the commoner

LONG_FIRST_FEMALE = (
    "Oluwafunmilayo", "Oluwaseyifunmi", "Nkechinyerem", "Chimamandanma", "Alexandrina", "Maximiliana",
    "Christabella", "Konstantina", "Mary-Elizabeth", "Annabelle-Rose", "Marisabella", "Khadijatoulaye",
    "Thanh-Huong", "Guadalupe-Maria", "Wilhelmina-Joy", "Anastasiya-Lyn",
)
LONG_FIRST_MALE = (
    "Oluwadamilare", "Chukwuemekanma", "Maximilliano", "Bartholomew", "Konstantinos", "Jean-Christophe",
    "Abdulrahmaan", "Mohammedamin", "Oghenekaroro", "Christiansen", "Thelonious-Ray", "Juan-Sebastian",
    "Sebastiano-Luca", "Fitzwilliam", "Obadiah-Nathaniel", "Alessandrino",
)
# Surnames with an apostrophe, a particle or a "Mc": the synth tables' own, and a few more.
PARTICLE_SURNAMES = (
    *(name for name, _ in SURNAMES if "'" in name or " " in name or name.startswith(("Mc", "Mac"))),
    "St. John", "Di Maggio", "Le Blanc", "Du Pont", "Van der Berg", "La Fleur", "Da Silva",
)
_SURNAMES = weighted(SURNAMES)
_HISPANIC = weighted(tuple((n, w) for n, w in SURNAMES if n in HISPANIC_SURNAMES and " " not in n))

Names = tuple[str, str]  # (first name, last name) as one side writes them


def variant_surname(kind: str, surname: str, rng: random.Random) -> tuple[str, str, str]:
    """(the household's true surname, as the school writes it, as the program writes it)."""
    if kind == "double":
        first = surname_parts(surname)[0]  # an existing double surname keeps its first part
        table = _HISPANIC if first in HISPANIC_SURNAMES else _SURNAMES
        second = first
        while second == first or " " in second:
            second = pick(rng, table, 1)[0]
        hyphened = f"{first}-{second}"
        other = rng.choice((f"{first} {second}", first))
        return (hyphened, hyphened, other) if rng.random() < 0.5 else (hyphened, other, hyphened)
    true = rng.choice(PARTICLE_SURNAMES)
    other = _squashed(true, rng)
    return (true, true, other) if rng.random() < 0.5 else (true, other, true)


def _squashed(surname: str, rng: random.Random) -> str:
    """How a system without apostrophes or spaces writes the name: "OBrien", "Delacruz", "Mc Donald"."""
    if surname.startswith(("Mc", "Mac")) and " " not in surname:
        cut = 2 if surname.startswith("Mc") else 3
        return f"{surname[:cut]} {surname[cut:]}"
    letters = "".join(ch for ch in surname if ch.isalpha())
    if "'" in surname and rng.random() < 0.5:
        return surname.replace("'", " ")
    if rng.random() < 0.5:
        return letters  # "OBrien", "delaCruz": the letters as typed, the separators dropped
    return letters[:1].upper() + letters[1:].lower()  # "Obrien", "Delacruz"


def long_first(sex: str, rng: random.Random) -> tuple[str, str, str]:
    """(a child's long first name, as the school writes it, as the program writes it)."""
    name = rng.choice(LONG_FIRST_FEMALE if sex == "F" else LONG_FIRST_MALE)
    cut = name[:rng.choice(FIELD_LENGTHS)]
    return (name, name, cut) if rng.random() < 0.5 else (name, cut, name)
