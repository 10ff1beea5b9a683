"""The records office's pages (issue 21) over a small county (tests/web/office_world.py): the
dashboard's figures and signed root, the agreement editor's list of what is missing (the same list
`accord agreements validate` gives) and its draft, a consent recorded or refused field by field, the
state-law settings changed into the ledger; other roles get the 403 page, another agency's officer
sees only theirs, and a form without its csrf_token changes nothing."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from accord.api.deps import now
from accord.store.repositories.consents import get_consent
from accord.store.repositories.ledger import size
from accord.workflows.state_law import current_state_law
from tests.web.office_world import ENDED, OTHERS, SOON, build
from tests.web.pages_client import PageClient, read, site_client

TODAY = now().date()
CONSENT = {"id": "c-new", "student_id": "stu-teen", "signer_role": "parent", "data_elements": ["attendance"],
           "purposes": ["supportive_services"], "recipient_agency_ids": ["health"],
           "signed_on": TODAY.isoformat(), "language": "es", "method": "paper_scan",
           "evidence_ref": "scan-77", "starts_on": TODAY.isoformat()}


class Site(PageClient):
    def __init__(self, root: Path, client: TestClient, secrets: dict[str, str]) -> None:
        super().__init__(client, secrets)
        self.root = root

    def as_(self, user: str) -> Site:
        self.sign_in(user)
        return self

    def csrf(self, path: str = "/office") -> str:
        return super().csrf(path)

    def post(self, path: str, data: dict[str, Any], csrf: bool = True) -> Any:
        token = {"csrf_token": self.csrf()} if csrf else {}
        return self.client.post(path, data={**data, **token}, follow_redirects=False)

    def read(self, what: Any) -> Any:
        return read(f"sqlite:///{self.root / 'accord.db'}", what)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    root = tmp_path_factory.mktemp("office")
    settings, secrets = build(root)
    yield Site(root, site_client(settings), secrets)


def test_the_dashboard_shows_what_needs_the_officer_and_the_signed_root(site: Site) -> None:
    got = site.as_("ro.lea").client.get("/office")
    assert got.status_code == 200
    html = got.text
    assert SOON in html and ENDED in html and OTHERS not in html
    assert "Verified: all 4 entries are intact" in html and "Last signed root" in html
    assert re.search(r'<code title="[0-9a-f]{64}">[0-9a-f]{16}…</code>', html)
    in_force = re.search(r"In force</th><td>(\d+)</td>", html)
    assert in_force is not None and in_force.group(1) == "2"
    pages = ("/office/agreements/new", "/office/consents/new", "/office/state-law", "/office/inspections")
    assert all(f'href="{path}"' in html for path in pages)
    spanish = site.client.get("/office?lang=es").text
    assert "Oficina de expedientes" in spanish and "Verificado" in spanish


def test_other_roles_get_the_403_page_and_another_agency_sees_only_its_own(site: Site) -> None:
    for user in ("cw.health", "parent.1"):
        site.as_(user)
        for path in ("/office", "/office/agreements/new", "/office/consents/new", "/office/state-law"):
            got = site.client.get(path)
            assert got.status_code == 403 and "Not for you" in got.text, (user, path)
    html = site.as_("ro.univ").client.get("/office").text
    assert SOON not in html and ENDED not in html and "In force</th><td>0</td>" in html
    admin = site.as_("admin.lea").client.get("/office").text
    assert OTHERS in admin and "Consents of your school" not in admin  # the API gives consents to officers
    assert site.client.get("/office/consents/new").status_code == 403


def test_the_editor_lists_what_is_missing_and_the_list_shrinks(site: Site) -> None:
    site.as_("ro.lea")
    page = site.client.get("/office/agreements/new").text
    assert 'hx-post="/office/agreements/missing"' in page and 'aria-live="polite"' in page
    typed = {"id": "dsa-new", "layer": "data_sharing_agreement", "parent_id": "em"}
    first = site.post("/office/agreements/missing", typed).text
    assert "the purpose of the disclosure" in first and "the signature of party" not in first
    more = {**typed, "source_agency_ids": "lea", "recipient_agency_ids": "health",
            "purposes": "supportive_services", "permitted_uses": "case planning"}
    second = site.post("/office/agreements/missing", more).text
    assert "the purpose of the disclosure" not in second and "the signature of party health" in second
    count = [int(re.search(r"(\d+) elements still missing", t).group(1)) for t in (first, second)]  # type: ignore[union-attr]
    assert count[1] < count[0]
    bad_date = site.post("/office/agreements/missing", {**more, "ends_on": "tomorrow"}).text
    assert "ends_on" in bad_date and "a date like" in bad_date


def test_a_draft_is_saved_only_by_a_party_and_only_with_the_token(site: Site) -> None:
    draft = {"id": "dsa-draft", "layer": "data_sharing_agreement", "source_agency_ids": "lea",
             "recipient_agency_ids": "health", "purposes": "supportive_services"}
    site.as_("ro.lea")
    refused = site.post("/office/agreements/new", draft, csrf=False)
    assert refused.status_code == 401
    saved = site.post("/office/agreements/new", draft)
    assert saved.status_code == 303 and "saved=dsa-draft" in saved.headers["location"]
    assert "Draft dsa-draft v1 saved" in site.client.get(saved.headers["location"]).text
    again = site.post("/office/agreements/new", draft)
    assert again.status_code == 400 and "exists already" in again.text
    not_party = site.as_("ro.univ").post("/office/agreements/new", {**draft, "id": "dsa-univ-try"})
    assert not_party.status_code == 400 and "party to" in not_party.text
    # The parent is looked up among the officer's own agreements only: another's reads as absent.
    parent = site.post("/office/agreements/missing", {**draft, "parent_id": "dsa-health-cws"}).text
    assert "the enterprise memorandum it falls under" in parent


def test_a_consent_is_refused_field_by_field_then_recorded(site: Site) -> None:
    site.as_("ro.lea")
    entries = site.read(size)
    unsigned = site.post("/office/consents/new", {**CONSENT, "signed_on": "", "evidence_ref": "",
                                                  "method": "electronic_signature"})
    assert unsigned.status_code == 400
    lines = re.findall(r"<li><strong>([^<]+)</strong>: ([^<]+)</li>", unsigned.text)
    fields = ["Signed on", "Reference to the signed form", "Signer's identity verified"]
    assert [f for f, _ in lines] == fields
    assert "34 CFR 99.30(d)" in lines[2][1] and site.read(size) == entries
    assert site.read(lambda s: get_consent(s, "c-new")) is None
    assert site.post("/office/consents/new", CONSENT, csrf=False).status_code == 401
    assert site.read(lambda s: get_consent(s, "c-new")) is None
    recorded = site.post("/office/consents/new", CONSENT)
    assert recorded.status_code == 303 and site.read(size) == entries + 1
    assert "Consent c-new recorded" in site.client.get(recorded.headers["location"]).text
    twice = site.post("/office/consents/new", CONSENT)
    assert twice.status_code == 400 and "already recorded" in twice.text
    other = site.as_("ro.univ").post("/office/consents/new", {**CONSENT, "id": "c-univ"})
    assert other.status_code == 400 and "No such student is registered at your school." in other.text
    assert site.read(lambda s: get_consent(s, "c-univ")) is None


def test_the_state_law_settings_change_into_the_ledger(site: Site) -> None:
    site.as_("ro.lea")
    notice = (TODAY - timedelta(days=3)).isoformat()
    change = {"medicaid_meal_status_election": "true", "medicaid_meal_notice_on": notice,
              "direct_certification_programs": ["snap", "tanf"]}
    assert site.post("/office/state-law", change, csrf=False).status_code == 401
    assert site.read(current_state_law).recorded_in is None
    missing_day = site.post("/office/state-law", {**change, "medicaid_meal_notice_on": ""})
    assert missing_day.status_code == 400 and "42 USC 1758(b)(6)(D)" in missing_day.text
    assert site.read(current_state_law).recorded_in is None
    done = site.post("/office/state-law", change)
    assert done.status_code == 303
    law = site.read(current_state_law)
    assert law.medicaid_meal_status_election and law.recorded_in == site.read(size)
    page = site.client.get(done.headers["location"]).text
    assert f"entry #{law.recorded_in}" in page and notice in page and "snap, tanf" in page
    admin = site.as_("admin.lea")
    assert "Change them" not in admin.client.get("/office/state-law").text
    assert admin.post("/office/state-law", change).status_code == 403
