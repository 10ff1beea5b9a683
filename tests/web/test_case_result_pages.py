"""A case request's own page (issue 21, ADR 0028: Post/Redirect/Get): the request form's post records
the request and redirects to /cases/{ledger entry}; that page shows the released facts on its first
view only, and on every later view (a reload) what the ledger keeps: what was released, the basis, the
redisclosure notice, the entry, and that the facts were handed over once. Reading it never adds a
ledger entry; another caseworker's request, or an entry that is no case request, is not found; every
answer (refusal, child not identified, partial release, emergency) reads back the same from the
ledger. The hand-over keeps the facts for their asker's first view only, and not past its time."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from accord.domain.agencies import Role, User
from accord.ledger.entries import EntryKind
from accord.store.repositories.ledger import entry_at
from accord.web.case_handover import HOLD, Handover
from tests.api.test_case_api import case_county
from tests.web.pages_client import read, site_client
from tests.web.test_case_pages import PEOPLE, THREAT, World, text_of


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    with pytest.MonkeyPatch.context() as patch:
        county, secrets, settings = case_county(patch, tmp_path_factory.mktemp("case-result-pages"), PEOPLE,
                                                (User("ro.lea", "lea", Role.RECORDS_OFFICER),))
        client = site_client(settings)
        client.follow_redirects = False  # each step of Post/Redirect/Get seen as the browser makes it
        yield World(county, client, secrets)


def _asked(world: World, child: str, fields: list[str], purpose: str = "supportive_services",
           **more: str) -> int:
    """Ask as the caseworker signed in; the ledger entry the post redirected to (after checking it did)."""
    before = world.ledger_size()
    posted = world.ask(child, fields, purpose, **more)
    assert posted.status_code == 303, posted.text
    assert posted.headers["location"] == f"/cases/{before + 1}"
    assert world.ledger_size() == before + 1
    return before + 1


def _view(world: World, seq: int, **params: str) -> tuple[Any, str]:
    """The request's page (its response and its words), checking that reading it recorded nothing."""
    before = world.ledger_size()
    got = world.client.get(f"/cases/{seq}", params=params)
    assert world.ledger_size() == before
    return got, text_of(got.text)


def test_the_facts_are_shown_on_the_first_view_and_a_reload_shows_what_the_ledger_keeps(world: World) -> None:
    world.sign_in("cw.health")
    seq = _asked(world, "consented", ["attendance"])
    first, words = _view(world, seq)
    assert first.status_code == 200 and "<h1>Released</h1>" in first.text
    assert words.count("Attendance 2026-09-") == 8 and "event: Tardy" in words
    assert "Shown once: Accord keeps no copy of these facts" in words
    for _ in range(2):  # reloads: the same answer, read from the ledger, and no facts
        again, words = _view(world, seq)
        assert again.status_code == 200 and "<h1>Released</h1>" in again.text
        assert "event:" not in words and "Tardy" not in words and "<table>" not in again.text
        assert f"These records were released to you. Recorded in the ledger as entry #{seq}." in words
        assert "Released Attendance The facts themselves are handed over only once" in words
        assert "To see them again, ask again." in words
        assert "no redisclosure (34 CFR 99.33)" in words and "may not disclose them to anyone else" in words
        assert "Written consent of the parent or eligible student (34 CFR 99.30)" in words
        assert "From Riverside Unified" in words and "Purpose Supportive services" in words


def test_only_the_caseworker_who_asked_opens_the_request(world: World) -> None:
    world.sign_in("cw.health")
    seq = _asked(world, "consented", ["grades"])
    kinds = read(world.county.db_url, lambda session: [getattr(entry_at(session, n), "kind", None)
                                                        for n in range(1, seq)])
    other_kind = 1 + next(i for i, kind in enumerate(kinds) if kind is not EntryKind.DISCLOSURE_DECISION)
    world.sign_in("cw.labor")
    for path in (f"/cases/{seq}", "/cases/99999", "/cases/0", "/cases/abc", "/cases/99999999999999999999"):
        got = world.client.get(path)
        assert got.status_code == 404 and "<h1>Not found</h1>" in got.text, path
    for user in ("ro.lea", "parent.1"):
        world.sign_in(user)
        assert world.client.get(f"/cases/{seq}").status_code == 403
    world.sign_in("cw.health")
    assert world.client.get(f"/cases/{other_kind}").status_code == 404  # the ledger's, but no case request
    _, words = _view(world, seq)  # the others' tries took nothing: the asker's first view has the facts
    assert "Grades and course marks – course_code:" in words and "Shown once" in words


def test_a_refusal_reads_back_its_reasons_and_what_to_do(world: World) -> None:
    world.sign_in("cw.health")
    seq = _asked(world, "no_consent", ["attendance"])
    pages = [_view(world, seq) for _ in range(2)]
    assert pages[0][1] == pages[1][1]  # nothing was handed over: the first view is the ledger's too
    got, words = pages[1]
    assert "<h1>Refused</h1>" in got.text
    assert f"Nothing was released. Recorded in the ledger as entry #{seq}." in words
    assert "FERPA has no exception for giving education records to a health agency" in words
    assert "Ask the parent (or the student, if 18 or older) to sign a written consent" in words
    assert "Shown once" not in words and "handed over" not in words and "redisclosure" not in words


def test_a_child_not_identified_reads_back_as_such(world: World) -> None:
    world.sign_in("cw.health")
    _, words = _view(world, _asked(world, "outsider", ["attendance"]))
    assert "Refused" in words and "The child was not identified:" in words
    assert "No record of the agency asked matches the child described." in words
    assert "Check the child's description at your agency's node" in words and "Withheld" not in words


def test_a_partial_release_and_an_emergency_read_back_what_was_withheld_and_who_was_told(
        world: World) -> None:
    world.sign_in("cw.health")
    seq = _asked(world, "consented", ["attendance", "discipline"])
    _view(world, seq)
    got, words = _view(world, seq)
    assert "<h1>Released in part</h1>" in got.text and "Withheld Discipline incidents" in words
    assert "no consent on file covers discipline (34 CFR 99.30)" in words
    emergency = _asked(world, "no_consent", ["iep_504_status"], "health_safety_emergency", threat=THREAT)
    _view(world, emergency)
    _, words = _view(world, emergency)
    assert "the school's records officer has been notified" in words
    assert "Health or safety emergency (34 CFR 99.31(a)(10), 99.36)" in words


def test_the_history_links_each_request_to_its_page_and_it_speaks_spanish(world: World) -> None:
    world.sign_in("cw.health")
    seq = _asked(world, "consented", ["attendance"])
    history = world.client.get("/cases")
    assert f'<a href="/cases/{seq}">#{seq}</a>' in history.text
    assert "Open an entry to read its answer again" in text_of(history.text)
    first, words = _view(world, seq, lang="es")
    assert "Se muestran una sola vez" in words and "Su solicitud" in words
    _, words = _view(world, seq)
    assert "Los datos mismos se entregan una sola vez" in words
    assert "Se le entregaron estos expedientes." in words
    world.client.get("/cases?lang=en")


def test_the_hand_over_gives_the_facts_once_to_their_asker_and_not_past_its_time() -> None:
    now = [0.0]
    handover = Handover(clock=lambda: now[0])
    facts = [{"element": "attendance", "occurred_on": "2026-09-01", "values": {"event": "Tardy"}}]
    handover.keep("cw.health", 7, facts)
    assert handover.take("cw.labor", 7) is None and handover.take("cw.health", 8) is None
    assert handover.take("cw.health", 7) == facts
    assert handover.take("cw.health", 7) is None  # once
    handover.keep("cw.health", 9, facts)
    now[0] = HOLD + 1
    assert handover.take("cw.health", 9) is None  # never collected in time: gone
