"""The family's pages (issue 21) over the synthetic county (tests/web/family_world.py): a parent sees
their two children and nobody else's, reads a consent in plain words (English and Spanish), revokes
it after a confirmation and sees the effect; asks to see the records and the school's records officer
sees the request with its 45 days; other roles are refused, another family's child is "not found" as
in the API, and a form without the session's token changes nothing."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from tests.web.family_world import OFFICER, FamilyWorld, build_family_world, page_text, preview_row

NOT_OURS = "no such student among yours"  # the API's words; the page words its code (not_your_child)
NOT_OURS_ON_THE_PAGE = "No such student was found among yours."


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FamilyWorld]:
    yield build_family_world(tmp_path_factory.mktemp("family-pages"))



def test_a_parent_sees_their_two_children_and_an_eligible_student_themself(world: FamilyWorld) -> None:
    world.sign_in("parent.lea.1")
    page = world.get("/family")
    assert page.status_code == 200
    mine = sorted(world.child_of[c] for c in ("ferpa-featured-consented", "ferpa-featured-revoked"))
    assert sorted(re.findall(r'href="/family/([^"]+)"', page.text)) == mine
    assert world.child_of["ferpa-featured-dual"] not in page.text
    world.sign_in("student.lea.1")
    own = world.get("/family").text
    assert re.findall(r'href="/family/([^"]+)"', own) == [world.child_of["ferpa-featured-just18"]]
    assert "Your records" in own


def test_the_consent_reads_plainly_in_english_and_in_spanish(world: FamilyWorld) -> None:
    world.sign_in("parent.lea.1")
    child = world.child_of["ferpa-featured-revoked"]  # not revoked by any test: read-only here
    english = page_text(world.get(f"/family/{child}").text)
    assert "You said yes. Riverside Unified School District may share these records:" in english
    assert "Attendance (days at school and days missed)" in english
    assert "They may use them to plan help and services." in english
    assert "Status: Revoked on" in english and "Revoke this consent" not in english
    history = english[english.index("What was shared, and when"):]
    assert history.index("was withdrawn") < history.index("you signed a consent")  # newest first
    spanish = page_text(world.get(f"/family/{child}?lang=es").text)
    assert "Usted dijo que sí. Riverside Unified School District puede compartir estos datos:" in spanish
    assert "Los pueden usar para planear ayuda y servicios." in spanish
    assert "Anulado el" in spanish and re.search(r"Anulado el \d+ de [a-z]+ de 20\d\d", spanish)
    world.get("/family?lang=en")


def test_revoking_asks_first_then_shows_the_revocation_everywhere(world: FamilyWorld) -> None:
    world.sign_in("parent.lea.1")
    child = world.child_of["ferpa-featured-consented"]
    before = world.get(f"/family/{child}").text
    assert "Attendance" in preview_row(before, "Riverside County Health Department", "To plan help")
    path = f"/family/{child}/consents/ferpa-featured-consented/revoke"
    csrf = world.csrf(f"/family/{child}")
    entries = world.count("ledger_entries")
    asked = world.client.post(path, data={"csrf_token": csrf})
    assert asked.status_code == 200 and "Revoke this consent?" in asked.text
    assert "Records shared before today stay shared" in asked.text
    assert world.count("ledger_entries") == entries  # the confirmation changes nothing
    done = world.client.post(path, data={"csrf_token": csrf, "confirm": "yes"}, follow_redirects=False)
    assert done.status_code == 303 and world.count("ledger_entries") == entries + 1
    after = world.get(done.headers["location"]).text
    text = page_text(after)
    assert "The consent is revoked." in text and "Status: Revoked on" in text
    assert "was withdrawn; nothing more is shared under it" in text
    row = preview_row(after, "Riverside County Health Department", "To plan help")
    assert row and "Attendance" not in row and "Your written consent" not in row
    again = world.client.post(path, data={"csrf_token": csrf, "confirm": "yes"})
    assert again.status_code == 400 and world.count("ledger_entries") == entries + 1  # already revoked


def test_another_familys_child_is_not_found_as_in_the_api(world: FamilyWorld) -> None:
    world.sign_in("parent.lea.1")
    csrf = world.csrf("/family")
    other = world.child_of["ferpa-featured-dual"]
    entries, asks = world.count("ledger_entries"), world.count("inspection_requests")
    for path in (f"/family/{other}", "/family/stu-made-up"):
        got = world.get(path)
        assert got.status_code == 404 and NOT_OURS_ON_THE_PAGE in got.text and "Not found" in got.text
        api = world.get(f"/api/v1/children/{path.rsplit('/', 1)[1]}/disclosures")
        assert api.status_code == 404 and api.json()["detail"] == NOT_OURS
    for path in (f"/family/{other}/consents/ferpa-featured-dual/revoke", f"/family/{other}/inspection"):
        got = world.client.post(path, data={"csrf_token": csrf, "confirm": "yes"})
        assert got.status_code == 404, path
    mine = world.child_of["ferpa-featured-revoked"]  # a consent of another child, through my own child
    got = world.client.post(f"/family/{mine}/consents/ferpa-featured-dual/revoke", data={"csrf_token": csrf})
    assert got.status_code == 404
    assert (world.count("ledger_entries"), world.count("inspection_requests")) == (entries, asks)


def test_other_roles_are_refused(world: FamilyWorld) -> None:
    child = world.child_of["ferpa-featured-consented"]
    world.sign_in("cw.health.1")
    for path in ("/family", f"/family/{child}", "/office/inspections"):
        assert world.get(path).status_code == 403, path
    world.sign_in("parent.lea.1")
    assert world.get("/office/inspections").status_code == 403


def test_a_form_without_the_sessions_token_changes_nothing(world: FamilyWorld) -> None:
    world.sign_in("parent.lea.1")
    child = world.child_of["ferpa-featured-revoked"]
    entries, asks = world.count("ledger_entries"), world.count("inspection_requests")
    for path in (f"/family/{child}/inspection", f"/family/{child}/consents/ferpa-featured-revoked/revoke"):
        for token in ("", "not-the-token"):
            got = world.client.post(path, data={"csrf_token": token, "confirm": "yes"})
            assert got.status_code == 401, path
    assert (world.count("ledger_entries"), world.count("inspection_requests")) == (entries, asks)


def test_a_parent_asks_to_see_the_records_and_the_officer_answers(world: FamilyWorld) -> None:
    world.sign_in("parent.lea.1")
    child = world.child_of["ferpa-featured-revoked"]
    csrf = world.csrf(f"/family/{child}")
    got = world.client.post(f"/family/{child}/inspection", data={"csrf_token": csrf}, follow_redirects=False)
    assert got.status_code == 303
    page = page_text(world.get(got.headers["location"]).text)
    assert "Your request is sent." in page and "The school must let you see the records by" in page
    assert "Ask to see the records" not in page  # one open request at a time
    assert "asked to see your child's school records" in page  # the ledger's line in the history

    world.sign_in("ro.health.1")  # a records officer of another agency: not their school's student
    assert child not in world.get("/office/inspections").text
    world.sign_in(OFFICER)
    office = world.get("/office/inspections")
    assert office.status_code == 200
    row = page_text(office.text[office.text.index(child):])
    assert row.startswith(f"{child}") and "45 of 45 days left" in row
    request_id = re.search(r'action="/office/inspections/(\d+)/answered"', office.text)
    assert request_id
    csrf = world.csrf("/office/inspections")
    answer = f"/office/inspections/{request_id.group(1)}/answered"
    done = world.client.post(answer, data={"csrf_token": csrf})
    assert done.status_code == 200 and child not in done.text and "No request is waiting." in done.text
    again = world.client.post(answer, data={"csrf_token": csrf})
    assert again.status_code == 404

    world.sign_in("parent.lea.1")
    page = page_text(world.get(f"/family/{child}").text)
    assert "The school answered on" in page and "Ask to see the records" in page
