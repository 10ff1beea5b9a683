"""The redisclosure notice (34 CFR 99.33) on the caseworker's result page, in Spanish (issue 21): a
translation that says it is one, then the English notice the law's notice is given in (lang="en");
in English the notice alone. The catalog's English is the policy's notice to the letter, so a changed
notice goes untranslated (English only) rather than mistranslated. A request not found among the
caseworker's reads in Spanish too."""

from __future__ import annotations

from accord.policy.obligations import REDISCLOSURE_NOTICE
from accord.web import i18n
from accord.web.legal_notices import NOTICES
from tests.web import test_case_result_pages
from tests.web.spanish_refusals import refused_in_spanish, text_of
from tests.web.test_case_pages import World

world = test_case_result_pages.world  # the result pages' county (a fixture), built again for this module
TRANSLATION = i18n.gettext("es", NOTICES[REDISCLOSURE_NOTICE])


def test_the_catalogs_notice_is_the_policys_to_the_letter() -> None:
    assert list(NOTICES.items()) == [(REDISCLOSURE_NOTICE, REDISCLOSURE_NOTICE)]
    assert TRANSLATION != REDISCLOSURE_NOTICE and "34 CFR 99.33(b)" in TRANSLATION


def test_in_spanish_the_notice_is_translated_and_the_english_follows(world: World) -> None:
    world.sign_in("cw.health")
    posted = world.ask("consented", ["attendance"])
    assert posted.status_code == 303, posted.text
    spanish = world.client.get(posted.headers["location"], params={"lang": "es"})
    notice = spanish.text.split('id="notice-heading"', 1)[1].split("</section>", 1)[0]
    words = text_of(notice)
    assert words.index("Traducción del aviso.") < words.index(TRANSLATION) < words.index(REDISCLOSURE_NOTICE)
    assert f'<p lang="en"><strong>{REDISCLOSURE_NOTICE.replace(chr(39), "&#39;")}</strong></p>' in notice
    english = world.client.get(posted.headers["location"], params={"lang": "en"})
    shown = text_of(english.text)
    assert REDISCLOSURE_NOTICE in shown and TRANSLATION not in shown
    assert "Translation of the notice" not in shown


def test_a_request_not_among_the_caseworkers_is_not_found_in_spanish(world: World) -> None:
    world.sign_in("cw.labor")
    world.client.get("/cases?lang=es")
    refused_in_spanish(world.client.get("/cases/99999"), 404, "no_such_case_request", "there is no request",
                       request="99999")
