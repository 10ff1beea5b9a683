"""One language's words for the plain-language history: its frames, its tables, and the three
things whose form differs between languages (a date, a list, a record's label). plain_language has
one sentence logic; it reads every word from the `Words` of the reader's language. Pure."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from types import MappingProxyType

from accord.ledger import plain_frames
from accord.ledger import plain_words as en
from accord.ledger import plain_words_es as es


@dataclass(frozen=True, slots=True)
class Words:
    frames: Mapping[str, str]
    people: Mapping[str, str]  # "you", "parent", "child", "someone" -> who, as the reader says it
    owners: Mapping[str, str]  # the same keys -> whose consent
    readers: Mapping[str, Mapping[str, str]]  # reader -> {child}, {poss}, {records}
    purposes: Mapping[str, str]
    bases: Mapping[str, str]
    because: Mapping[str, str]
    needs_consent: Mapping[str, str]
    consent_problems: Sequence[tuple[str, str]]
    forms: Mapping[str, str]
    languages: Mapping[str, str]
    kinds: Mapping[str, str]  # entry kinds without a sentence of their own; absent: the code's words
    the_nouns: frozenset[str]  # names read with an article ("the County TANF Office")
    long_date: Callable[[date], str]
    listed: Callable[[Sequence[str]], str]
    label: Callable[[str], str]
    role: Callable[[str], str]


def _en_role(code: str) -> str:
    return f"any {code.replace('_', ' ')}"


ENGLISH = Words(
    frames=MappingProxyType(plain_frames.EN), people=plain_frames.PEOPLE["en"],
    owners=plain_frames.OWNERS["en"], readers=plain_frames.READERS["en"], purposes=en.PURPOSES,
    bases=en.BASES, because=en.BECAUSE, needs_consent=en.NEEDS_CONSENT,
    consent_problems=en.CONSENT_PROBLEMS, forms=en.FORMS, languages=en.LANGUAGES, kinds={},
    the_nouns=frozenset(en.THE_NOUNS), long_date=en.long_date, listed=en.listed,
    label=en.element_label, role=_en_role)

# Agency names keep no article in Spanish ("County Health Dept recibió..."): they are names as
# registered, and "el/la" would have to guess the gender of an English noun.
SPANISH = Words(
    frames=MappingProxyType(plain_frames.ES), people=plain_frames.PEOPLE["es"],
    owners=plain_frames.OWNERS["es"], readers=plain_frames.READERS["es"],
    purposes=es.PURPOSES, bases=es.BASES, because=es.BECAUSE,
    needs_consent=es.NEEDS_CONSENT, consent_problems=es.CONSENT_PROBLEMS,
    forms=es.FORMS, languages=es.LANGUAGES, kinds=es.KINDS,
    the_nouns=frozenset(), long_date=es.long_date, listed=es.listed,
    label=es.element_label, role=es.role)

WORDS: Mapping[str, Words] = MappingProxyType({"en": ENGLISH, "es": SPANISH})
HISTORY_LANGUAGES = tuple(WORDS)
assert en.READERS == tuple(plain_frames.READERS["en"]) == tuple(plain_frames.READERS["es"])


def words_for(language: str) -> Words:
    """The words of `language` ("en", "es"); any other is refused rather than shown in English."""
    try:
        return WORDS[language]
    except KeyError:
        raise ValueError(f"the history is written in {', '.join(WORDS)}, not {language!r}") from None
