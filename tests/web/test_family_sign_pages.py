"""A family gives a new consent on its page (issue 21; 34 CFR 99.30, 99.30(d)): the form offers only
what the school's agreements in force allow, in English and Spanish; a wrong choice is shown beside the
form and nothing recorded; the confirmation shows the consent as the child's page will show it; signing
records it (a CONSENT_RECORDED ledger entry), the child's page shows it in force with its Revoke button,
the history shows it given, and the preview lists the recipient on the family's written consent.
Another family's child is not found, another role is refused, a post without the session's token
changes nothing."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest

from accord.api.deps import now
from tests.web.family_world import FamilyWorld, build_family_world, page_text, preview_row

NOT_OURS = "No such student was found among yours."  # the page's words of the refusal's code
CHOICE = {"recipient_agency_ids": ["health"], "purposes": ["supportive_services"],
          "data_elements": ["attendance", "grades"]}


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FamilyWorld]:
    yield build_family_world(tmp_path_factory.mktemp("family-sign-pages"))



def _post(world: FamilyWorld, child: str, csrf: str, **fields: Any) -> Any:
    ends_on = (now().date() + timedelta(days=200)).isoformat()
    data = {"csrf_token": csrf, **CHOICE, "ends_on": ends_on, **fields}
    return world.client.post(f"/family/{child}/consents/new", data=data, follow_redirects=False)


def test_the_form_offers_the_agreements_choices_in_english_and_spanish(world: FamilyWorld) -> None:
    world.sign_in("parent.lea.1")
    child = world.child_of["ferpa-featured-consented"]
    page = world.get(f"/family/{child}")
    assert f'href="/family/{child}/consents/new"' in page.text and "Give a new consent" in page.text
    form = world.get(f"/family/{child}/consents/new")
    assert form.status_code == 200
    text = page_text(form.text)
    assert "Who may receive them?" in text and "Riverside County Health Department" in text
    assert "State University Education Research Center" not in text  # research rests on its agreement
    assert "Attendance (days at school and days missed)" in text and "Drug or alcohol" not in text
    assert "To plan help and services" in text and "For research" not in text
    default = re.search(r'name="ends_on" type="date" value="([^"]+)"', form.text)
    assert default and default.group(1) == (now().date() + timedelta(days=365)).isoformat()
    spanish = page_text(world.get(f"/family/{child}/consents/new?lang=es").text)
    assert "¿Quién los puede recibir?" in spanish and "Dar un nuevo permiso" in spanish
    world.get("/family?lang=en")


def test_problems_are_shown_beside_the_form_and_nothing_recorded(world: FamilyWorld) -> None:
    world.sign_in("parent.lea.1")
    child = world.child_of["ferpa-featured-consented"]
    csrf = world.csrf(f"/family/{child}")
    consents, entries = world.count("consents"), world.count("ledger_entries")
    yesterday = (now().date() - timedelta(days=1)).isoformat()
    for step in ("", "sign"):
        got = _post(world, child, csrf, recipient_agency_ids=[], data_elements=[], ends_on=yesterday,
                    step=step)
        assert got.status_code == 400
        text = page_text(got.text)
        assert "Choose at least one agency from the list." in text
        assert "Choose at least one kind of record from the list." in text
        assert "Choose an end date from today up to the last date shown." in text
        assert 'aria-describedby="problem-recipient_agency_ids"' in got.text
    made_up = _post(world, child, csrf, recipient_agency_ids=["made-up-agency"], step="sign")
    assert made_up.status_code == 400 and "Choose at least one agency" in made_up.text
    assert (world.count("consents"), world.count("ledger_entries")) == (consents, entries)


def test_a_parent_reads_the_consent_then_signs_it_and_sees_its_effect(world: FamilyWorld) -> None:
    world.sign_in("parent.lea.1")
    child = world.child_of["ferpa-featured-revoked"]  # its consent is revoked: no consent to health today
    before = world.get(f"/family/{child}").text
    assert "Your written consent" not in preview_row(before, "Riverside County Health Department", "To plan")
    csrf = world.csrf(f"/family/{child}")
    consents, entries = world.count("consents"), world.count("ledger_entries")
    shown = _post(world, child, csrf)
    assert shown.status_code == 200
    text = page_text(shown.text)
    assert "You said yes. Riverside Unified School District may share these records:" in text
    assert "Attendance (days at school and days missed)" in text and "Grades and marks" in text
    assert "It may share them with: Riverside County Health Department" in text
    assert "They may use them to plan help and services." in text and "Status: Not started yet." in text
    assert "Sign this consent" in text
    assert (world.count("consents"), world.count("ledger_entries")) == (consents, entries)  # only shown
    changed = _post(world, child, csrf, step="change")
    assert changed.status_code == 200 and re.search(r'value="grades" checked', changed.text)

    signed = _post(world, child, csrf, step="sign")
    assert signed.status_code == 303
    assert (world.count("consents"), world.count("ledger_entries")) == (consents + 1, entries + 1)
    consent_id = signed.headers["location"].rsplit("#consent-", 1)[1]
    after = world.get(signed.headers["location"]).text
    card = page_text(after[after.index(f'id="consent-{consent_id}"'):])
    assert "You signed the consent." in page_text(after)
    assert card.index("Status: In force.") < card.index("Revoke this consent")
    assert f"/consents/{consent_id}/revoke" in after
    assert "you signed a consent" in page_text(after[after.index('id="history"'):])
    row = preview_row(after, "Riverside County Health Department", "To plan help")
    assert "Attendance" in row and "Grades and marks" in row and "Your written consent" in row


def test_a_spanish_signature_is_recorded_in_spanish(world: FamilyWorld) -> None:
    world.sign_in("student.lea.1")
    me = world.child_of["ferpa-featured-just18"]
    csrf = world.csrf(f"/family/{me}")
    world.get(f"/family/{me}?lang=es")
    shown = page_text(_post(world, me, csrf).text)
    assert "Usted dijo que sí." in shown and "Firmar este permiso" in shown
    signed = _post(world, me, csrf, step="sign")
    assert signed.status_code == 303
    page = page_text(world.get(signed.headers["location"]).text)
    assert "Usted firmó el permiso." in page
    languages = world.count("consents WHERE language = 'es' AND method = 'electronic_signature' "
                            "AND signer_role = 'student'")
    assert languages == 1
    world.get("/family?lang=en")


def test_another_familys_child_is_not_found_and_another_role_refused(world: FamilyWorld) -> None:
    world.sign_in("parent.lea.1")
    csrf = world.csrf("/family")
    other = world.child_of["ferpa-featured-dual"]
    consents = world.count("consents")
    for child in (other, "stu-made-up"):
        got = world.get(f"/family/{child}/consents/new")
        assert got.status_code == 404 and NOT_OURS in got.text
        for step in ("", "sign", "change"):
            assert _post(world, child, csrf, step=step).status_code == 404
    world.sign_in("cw.health.1")
    mine = world.child_of["ferpa-featured-consented"]
    assert world.get(f"/family/{mine}/consents/new").status_code == 403
    assert _post(world, mine, world.csrf("/"), step="sign").status_code == 403
    assert world.count("consents") == consents


def test_a_signature_without_the_sessions_token_records_nothing(world: FamilyWorld) -> None:
    world.sign_in("parent.lea.1")
    child = world.child_of["ferpa-featured-consented"]
    consents, entries = world.count("consents"), world.count("ledger_entries")
    for token in ("", "not-the-token"):
        assert _post(world, child, token, step="sign").status_code == 401
    assert (world.count("consents"), world.count("ledger_entries")) == (consents, entries)
