"""The caseworker's pages (issue 21), over the case-release county (tests/workflows/case_county.py):
the request form, a release with its notice and basis, a refusal with its reasons and what to do,
a partial release, an emergency, one's own history only; other roles refused; a form post without
the session's token changes nothing; a file that names no child is said on the form again."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from accord.domain.agencies import Role, User
from accord.domain.elements import CATALOG
from accord.ledger.intake_events import UNMATCHED_REASONS
from accord.store.repositories.ledger import size
from accord.web import case_words, i18n
from tests.api.test_case_api import case_county
from tests.web.pages_client import PageClient, read, site_client
from tests.workflows.case_county import County, agreement_of

PEOPLE = {"cw.health": None, "cw.labor": None, "parent.1": None, "ro.lea": "2fa"}
THREAT = "the child collapsed in class and the clinic needs the care plan to treat her"


class World(PageClient):
    def __init__(self, county: County, client: TestClient, secrets: dict[str, str]) -> None:
        super().__init__(client, secrets)
        self.county = county

    def ledger_size(self) -> int:
        return read(self.county.db_url, size)

    def ask(self, child: str, fields: list[str], purpose: str = "supportive_services",
            token: str | None = None, **more: str) -> Any:
        ref = Path(self.county.encoded(self.county.describe(child), agreement_of("cw.health")))
        data = {"csrf_token": self.csrf() if token is None else token, "source": "lea", "purpose": purpose,
                "fields": fields, **more}
        return self.client.post("/cases/new", data=data,
                                files={"student_ref": ("child.parquet", ref.read_bytes())})


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    with pytest.MonkeyPatch.context() as patch:
        county, secrets, settings = case_county(patch, tmp_path_factory.mktemp("case-pages"), PEOPLE,
                                                (User("ro.lea", "lea", Role.RECORDS_OFFICER),))
        yield World(county, site_client(settings), secrets)


def text_of(html: str) -> str:
    """The page's words, without tags, on one line (so a test reads what a person reads)."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_the_form_uploads_the_childs_description_and_offers_every_element(world: World) -> None:
    world.sign_in("cw.health")
    got = world.client.get("/cases/new")
    assert got.status_code == 200
    assert 'enctype="multipart/form-data"' in got.text and 'type="file"' in got.text
    assert "names never leave your node" in got.text
    assert '<option value="lea"' in got.text and '<option value="health"' not in got.text
    for code, element in CATALOG.items():
        assert f'value="{code}"' in got.text and element.label in text_of(got.text), code
    assert 'value="health_safety_emergency"' in got.text
    assert 'value="eligibility_verification"' not in got.text  # not a case request: another page's


def test_a_consented_request_shows_the_records_notice_basis_and_ledger_entry(world: World) -> None:
    world.sign_in("cw.health")
    before = world.ledger_size()
    got = world.ask("consented", ["attendance"])
    words = text_of(got.text)
    assert got.status_code == 200 and "<h1>Released</h1>" in got.text, words
    assert world.ledger_size() == before + 1
    assert f"Recorded in the ledger as entry #{before + 1}." in words
    assert "no redisclosure (34 CFR 99.33)" in words and "may not disclose them to anyone else" in words
    assert "Written consent of the parent or eligible student (34 CFR 99.30)" in words
    assert words.count("Attendance 2026-09-") == 8 and "event: Tardy" in words


def test_a_refusal_gets_its_reasons_citations_and_what_to_do(world: World) -> None:
    world.sign_in("cw.health")
    got = world.ask("no_consent", ["attendance"])
    words = text_of(got.text)
    assert "<h1>Refused</h1>" in got.text and "Nothing was released." in words
    # In English the policy's own text, which names what is at fault; in Spanish its code's words.
    assert "FERPA has no exception for giving education records to a health agency" in words
    assert "(34 CFR 99.30)" in words and "What you can do" in words
    assert "Ask the parent (or the student, if 18 or older) to sign a written consent" in words
    assert "2026-09-" not in words and "redisclosure" not in words


def test_a_child_the_school_does_not_know_is_refused_as_not_identified(world: World) -> None:
    world.sign_in("cw.health")
    before = world.ledger_size()
    words = text_of(world.ask("outsider", ["attendance"]).text)
    assert "Refused" in words and "The child was not identified:" in words
    assert "No record of the agency asked matches the child described." in words
    assert "Check the child's description at your agency's node" in words
    assert world.ledger_size() == before + 1  # a request that named no child is on the ledger too


def test_a_partial_release_says_what_was_withheld_and_why(world: World) -> None:
    world.sign_in("cw.health")
    words = text_of(world.ask("consented", ["attendance", "discipline"]).text)
    assert "Released in part" in words and "Withheld Discipline incidents" in words
    assert "no consent on file covers discipline (34 CFR 99.30)" in words
    assert "Attendance 2026-09-01" in words


def test_an_emergency_says_the_records_officer_was_told(world: World) -> None:
    world.sign_in("cw.health")
    words = text_of(world.ask("no_consent", ["iep_504_status"], "health_safety_emergency",
                              threat=THREAT).text)
    assert "Released" in words and "the school's records officer has been notified" in words
    assert "Health or safety emergency (34 CFR 99.31(a)(10), 99.36)" in words


def test_the_history_lists_ones_own_requests_newest_first(world: World) -> None:
    world.sign_in("cw.health")
    world.ask("no_consent", ["attendance"])
    world.ask("consented", ["grades"])
    got = world.client.get("/cases")
    entries = [int(n) for n in re.findall(r'<th scope="row"><a href="/cases/\d+">#(\d+)</a></th>', got.text)]
    assert len(entries) >= 2 and entries == sorted(entries, reverse=True)
    assert "Released : Grades and course marks" in text_of(got.text).replace("Released:", "Released :")
    assert "Refused" in text_of(got.text) and "Riverside Unified Supportive services" in text_of(got.text)
    world.sign_in("cw.labor")
    mine = world.client.get("/cases")
    assert mine.status_code == 200 and "You have not asked for any records yet." in mine.text
    assert '<th scope="row">' not in mine.text


@pytest.mark.parametrize("user", ["ro.lea", "parent.1"])
def test_other_roles_get_the_not_for_you_page(world: World, user: str) -> None:
    world.sign_in(user)
    for path in ("/cases/new", "/cases"):
        got = world.client.get(path)
        assert got.status_code == 403 and "<h1>Not for you</h1>" in got.text, (user, path)
    assert "/cases/new" not in world.client.get("/").text  # and no link to it


def test_a_post_without_the_form_token_is_refused_and_records_nothing(world: World) -> None:
    world.sign_in("cw.health")
    before = world.ledger_size()
    for token in ("", "not-the-token"):
        got = world.ask("consented", ["attendance"], token=token)
        assert got.status_code == 401 and "did not come from Accord" in got.text
    assert world.ledger_size() == before


def test_a_file_that_is_no_description_is_said_on_the_form_again(world: World) -> None:
    world.sign_in("cw.health")
    before = world.ledger_size()
    got = world.client.post("/cases/new", data={"csrf_token": world.csrf(), "source": "lea",
                                                "purpose": "supportive_services", "fields": ["grades"]},
                            files={"student_ref": ("child.parquet", b"not a parquet file")})
    assert got.status_code == 400 and 'role="alert"' in got.text and 'type="file"' in got.text
    assert 'value="grades" checked' in got.text  # what was chosen is kept
    nothing = world.ask("consented", [])
    assert nothing.status_code == 400 and "Choose at least one kind of record." in nothing.text
    assert world.ledger_size() == before


def test_the_form_speaks_spanish_down_to_the_records_names(world: World) -> None:
    spanish = i18n.translations("es")
    missing = [e.label for e in CATALOG.values() if spanish.gettext(e.label) == e.label]
    assert not missing, missing
    world.sign_in("cw.health")
    got = world.client.get("/cases/new?lang=es")
    assert "Asistencia" in got.text and "Pedir los expedientes de un niño" in got.text
    world.client.get("/cases/new?lang=en")


def test_in_spanish_a_refusal_and_the_history_say_why_in_spanish(world: World) -> None:
    world.sign_in("cw.health")
    world.client.get("/cases/new?lang=es")
    try:
        refused = text_of(world.ask("no_consent", ["attendance"]).text)
        assert "Ninguna excepción de la ley permite esta entrega: hace falta un consentimiento" in refused
        assert "(34 CFR 99.30)" in refused and "FERPA has no exception" not in refused
        unknown = text_of(world.ask("outsider", ["attendance"]).text)
        assert "No se identificó al niño: Ningún registro de la agencia a la que se pidió coincide" in unknown
        assert "no record of the source agency" not in unknown
        history = text_of(world.client.get("/cases").text)
        assert "Ninguna excepción de la ley permite esta entrega" in history
        assert "FERPA has no exception" not in history and "no record of the source agency" not in history
    finally:
        world.client.get("/cases/new?lang=en")


def test_every_way_a_child_goes_unidentified_has_words() -> None:
    assert case_words.UNIDENTIFIED.keys() == UNMATCHED_REASONS.keys()
