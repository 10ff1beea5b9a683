"""Names, field by field: accents, case, punctuation, titles, double surnames, nicknames."""

from __future__ import annotations

import pytest

from accord.linkage.normalise import normalise_given_name, normalise_name_text, normalise_surname
from accord.linkage.normalise.nicknames import NICKNAMES


@pytest.mark.parametrize(("raw", "expected"), [
    ("José", "jose"),
    ("  ZOË  ", "zoe"),
    ("Dr. Ana-Sofía", "ana sofia"),
    ("Mr  John   Smith Jr.", "john smith"),
    ("Mrs. Okafor III", "okafor"),
    ("O'Brien", "obrien"),
    ("Łukasz", "lukasz"),
    ("Søren", "soren"),
    ("ﬁona", "fiona"),  # compatibility ligature
    ("Smith 3rd", "smith"),
    ("", None),
    ("  -- . ", None),
    ("Mr.", None),
])
def test_name_text(raw: str, expected: str | None) -> None:
    assert normalise_name_text(raw) == expected


@pytest.mark.parametrize(("raw", "expected"), [
    ("Bill", "william"),
    ("BOBBY", "robert"),
    ("Liz", "elizabeth"),
    ("Beth", "elizabeth"),
    ("Pepe", "jose"),
    ("Paco", "francisco"),
    ("Lupita", "guadalupe"),
    ("Nacho", "ignacio"),
    ("Bill Bob", "william robert"),  # every word of a given name is mapped
    ("William", "william"),
    ("Alex", "alex"),  # ambiguous diminutives are left alone
    ("Ms. Peggy", "margaret"),
    ("", None),
])
def test_given_name(raw: str, expected: str | None) -> None:
    assert normalise_given_name(raw) == expected


@pytest.mark.parametrize(("raw", "full", "parts"), [
    ("García-López", "garcia lopez", ("garcia", "lopez")),
    ("GARCIA LOPEZ", "garcia lopez", ("garcia", "lopez")),
    ("García y López", "garcia lopez", ("garcia", "lopez")),
    ("de la Cruz", "de la cruz", ("cruz",)),
    ("Pérez de la Rosa", "perez de la rosa", ("perez", "rosa")),
    ("Van Der Berg", "van der berg", ("berg",)),
    ("O'Neil-Smith Jr", "oneil smith", ("oneil", "smith")),
    ("Y", "y", ("y",)),  # a one-letter surname is a name, not a connector
    ("Nguyen", "nguyen", ("nguyen",)),
])
def test_surname(raw: str, full: str, parts: tuple[str, ...]) -> None:
    surname = normalise_surname(raw)
    assert surname is not None
    assert (surname.full, surname.parts) == (full, parts)


@pytest.mark.parametrize("raw", ["", "   ", "Jr.", "--"])
def test_surname_missing(raw: str) -> None:
    assert normalise_surname(raw) is None


def test_nickname_table_is_folded_and_not_circular() -> None:
    for nick, name in NICKNAMES.items():
        assert nick == nick.casefold().strip() and name == name.casefold().strip()
        assert name not in NICKNAMES, f"{name} is both canonical and a nickname"
