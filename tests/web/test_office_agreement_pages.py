"""The records officer's agreements and notices on pages (issue 21) over a small county
(tests/web/office_world.py, with two drafts and three notices added): the list of the agency's
agreements, an agreement's page (what data, for what use, for how long, signatures, what is missing),
signing for the officer's own agency, activating and terminating (after a confirmation), each step's
refusal in words and in Spanish; acknowledging a notice; another agency's agreement or notice is not
found; only records officers use these pages; a post without the session's token changes nothing."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.orm import Session

from accord.api.deps import now
from accord.domain.agreements import Agreement, AgreementStatus
from accord.store.repositories.agreements import get_agreement
from accord.store.repositories.content import notify_officer, open_notifications
from accord.store.repositories.ledger import size
from accord.workflows.governance import draft_agreement
from tests.spec import world
from tests.web.office_world import ENDED, OTHERS, SOON, build
from tests.web.pages_client import PageClient, read, site_client

# Drafts of the school (lea) and the health department: signed by health only, and one also lacking
# its safeguards (so that it cannot be activated whoever signs).
TO_SIGN, INCOMPLETE = "dsa-to-sign", "dsa-incomplete"
SUMMARY = "cw.health of health received emergency_contacts under 34 CFR 99.36; the threat is recorded"


def _drafts(session: Session) -> None:
    base = world.AGREEMENTS["dsa-health"]
    signed_by_health = tuple(s for s in base.signatures if s.agency_id == "health")
    draft = replace(base, id=TO_SIGN, title="To sign", status=AgreementStatus.DRAFT, activated_on=None,
                    signatures=signed_by_health, effective_on=now().date())
    draft_agreement(session, draft)
    draft_agreement(session, replace(draft, id=INCOMPLETE, title="Incomplete", safeguards=()))


def _notices(session: Session) -> dict[str, int]:
    """Two notices to the school's officer, one to the university's, each about ledger entry 1."""
    return {"first": notify_officer(session, "lea", 1, "emergency_disclosure", SUMMARY),
            "second": notify_officer(session, "lea", 1, "emergency_disclosure", SUMMARY + " (again)"),
            "univ": notify_officer(session, "univ", 1, "emergency_disclosure", SUMMARY)}


class Office(PageClient):
    def __init__(self, root: Path, secrets: dict[str, str], client: Any) -> None:
        super().__init__(client, secrets)
        self.url = f"sqlite:///{root / 'accord.db'}"
        self.notices: dict[str, int] = read(self.url, _notices)
        read(self.url, _drafts)

    def as_(self, user: str) -> Office:
        self.sign_in(user)
        return self

    def get(self, path: str) -> Any:
        return self.client.get(path, follow_redirects=False)

    def post(self, path: str, data: dict[str, str] | None = None, csrf: bool = True) -> Any:
        token = {"csrf_token": self.csrf("/office")} if csrf else {}
        return self.client.post(path, data={**(data or {}), **token}, follow_redirects=False)

    def agreement(self, agreement_id: str) -> Agreement:
        found = read(self.url, lambda s: get_agreement(s, agreement_id))
        assert found is not None
        return found

    def ledger(self) -> int:
        return int(read(self.url, size))


@pytest.fixture(scope="module")
def office(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Office]:
    root = tmp_path_factory.mktemp("office-agreements")
    settings, secrets = build(root)
    yield Office(root, secrets, site_client(settings))


def text_of(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_the_list_shows_the_agencys_agreements_each_linking_to_its_page(office: Office) -> None:
    got = office.as_("ro.lea").get("/office/agreements")
    assert got.status_code == 200
    for mine in (SOON, ENDED, TO_SIGN, "em"):
        assert f'href="/office/agreements/{mine}"' in got.text, mine
    assert OTHERS not in got.text
    row = re.search(rf'<tr>\s*<th scope="row"><a href="/office/agreements/{ENDED}">.*?</tr>', got.text, re.S)
    assert row is not None
    words = text_of(row.group(0))
    assert "Riverside Unified" in words and "County Health Dept" in words and "Terminated" in words
    assert "To plan help and services" in words and "2028-09-30" in words  # a purpose; destroy by
    assert got.text.count('<th scope="col">') == 6
    assert 'href="/office/notices"' in got.text  # the header's menu offers both pages
    spanish = office.get("/office/agreements?lang=es").text
    assert "Acuerdos" in spanish and "Rescindido" in spanish and "Partes" in spanish
    office.get("/office/agreements?lang=en")
    assert 'hx-post="/office/agreements/missing"' in office.get("/office/agreements/new").text


def test_the_dashboard_links_its_agreements_and_notices(office: Office) -> None:
    html = office.as_("ro.lea").get("/office").text
    assert f'href="/office/agreements/{SOON}"' in html and 'href="/office/agreements"' in html
    notices = re.search(r'<a href="/office/notices">Open notices of emergency releases</a></th><td>(\d+)<',
                        html)
    assert notices is not None and notices.group(1) == "2"
    admin = office.as_("admin.lea").get("/office").text  # an administrator may not open these pages
    assert f'href="/office/agreements/{SOON}"' not in admin and SOON in admin


def test_an_agreements_page_says_what_for_what_and_how_long(office: Office) -> None:
    page = text_of(office.as_("ro.lea").get(f"/office/agreements/{SOON}").text)
    soon = office.agreement(SOON)
    assert "attendance — Attendance" in page and "grades — Grades" in page
    assert "snap_participation" not in page  # only the agreement's own elements
    assert "services planning for the named child" in page and "consent (34 CFR 99.30)" in page
    assert str(soon.ends_on) in page and "2028-09-30" in page and "NIST 800-88 purge" in page
    assert "Riverside Unified Director 2025-06-01" in page and "Status today Active" in page
    assert "Terminate this agreement" in page and "Sign for" not in page and "Still missing" not in page
    draft = text_of(office.get(f"/office/agreements/{INCOMPLETE}").text)
    assert "2 elements still missing" in draft and "the signature of party lea" in draft
    assert "the safeguards against redisclosure and misuse" in draft and "Activate" not in draft
    assert "Riverside Unified Not signed yet" in draft
    spanish = office.get(f"/office/agreements/{INCOMPLETE}?lang=es").text
    assert "las medidas contra la redivulgación y el mal uso" in spanish and "Firmar por" in spanish
    office.get("/office?lang=en")


def test_activation_is_refused_in_words_while_something_is_missing(office: Office) -> None:
    office.as_("ro.lea")
    entries = office.ledger()
    refused = office.post(f"/office/agreements/{INCOMPLETE}/activation")
    assert refused.status_code == 400 and 'role="alert"' in refused.text
    assert "Not activated: what is listed under" in refused.text
    assert "the safeguards against redisclosure and misuse" in refused.text
    assert office.agreement(INCOMPLETE).status is AgreementStatus.DRAFT and office.ledger() == entries
    spanish = office.client.post(f"/office/agreements/{INCOMPLETE}/activation?lang=es",
                                 data={"csrf_token": office.csrf("/office")})
    assert spanish.status_code == 400 and "No se activó" in spanish.text
    office.get("/office?lang=en")


def test_the_officer_signs_for_their_own_agency_then_activates(office: Office) -> None:
    office.as_("ro.lea")
    entries = office.ledger()
    assert "Activate this agreement" not in office.get(f"/office/agreements/{TO_SIGN}").text
    signed = office.post(f"/office/agreements/{TO_SIGN}/signature", {"title": "Superintendent"})
    assert signed.status_code == 303
    page = office.get(signed.headers["location"]).text
    assert "Your agency's signature is recorded." in page and "Nothing is missing" in page
    signatures = {s.agency_id: s.signatory_title for s in office.agreement(TO_SIGN).signatures}
    assert signatures == {"health": "Director", "lea": "Superintendent"}
    assert office.ledger() == entries  # a signature is on the draft; the ledger records activation
    activated = office.post(f"/office/agreements/{TO_SIGN}/activation")
    assert activated.status_code == 303
    assert office.agreement(TO_SIGN).status is AgreementStatus.ACTIVE and office.ledger() == entries + 1
    assert "The agreement is active" in office.get(activated.headers["location"]).text
    again = office.post(f"/office/agreements/{TO_SIGN}/signature", {"title": "Clerk"})
    assert again.status_code == 400
    assert "Not signed: only a draft can be signed, and this agreement's status is “Active”" in again.text
    assert dict(signatures) == {s.agency_id: s.signatory_title for s in office.agreement(TO_SIGN).signatures}


def test_termination_asks_first_then_ends_the_agreement(office: Office) -> None:
    office.as_("ro.lea")
    entries = office.ledger()
    asked = office.post(f"/office/agreements/{SOON}/termination")
    assert asked.status_code == 200 and f"Yes, terminate agreement {SOON}" in asked.text
    assert 'name="confirm" value="yes"' in asked.text and "No, go back and keep it" in asked.text
    assert office.agreement(SOON).status is AgreementStatus.ACTIVE and office.ledger() == entries
    done = office.post(f"/office/agreements/{SOON}/termination", {"confirm": "yes"})
    assert done.status_code == 303
    ended = office.agreement(SOON)
    assert ended.status is AgreementStatus.TERMINATED and ended.terminated_on == now().date()
    assert office.ledger() == entries + 1
    assert "The agreement is terminated" in office.get(done.headers["location"]).text
    twice = office.post(f"/office/agreements/{SOON}/termination", {"confirm": "yes"})
    assert twice.status_code == 400 and "only an active agreement can be terminated" in twice.text
    assert office.ledger() == entries + 1


def test_another_agencys_agreement_or_an_unknown_one_is_not_found(office: Office) -> None:
    office.as_("ro.lea")
    entries = office.ledger()
    for agreement_id in (OTHERS, "no-such-agreement"):
        assert office.get(f"/office/agreements/{agreement_id}").status_code == 404
        for step, data in (("signature", {"title": "Director"}), ("activation", {}),
                           ("termination", {}), ("termination", {"confirm": "yes"})):
            got = office.post(f"/office/agreements/{agreement_id}/{step}", data)
            assert got.status_code == 404 and "Not found" in got.text, (agreement_id, step)
    assert office.agreement(OTHERS).status is AgreementStatus.ACTIVE and office.ledger() == entries
    assert office.as_("ro.univ").get(f"/office/agreements/{ENDED}").status_code == 404


def test_only_records_officers_use_these_pages(office: Office) -> None:
    for user in ("admin.lea", "cw.health", "parent.1"):
        office.as_(user)
        for path in ("/office/agreements", f"/office/agreements/{ENDED}", "/office/notices"):
            got = office.get(path)
            assert got.status_code == 403 and "Not for you" in got.text, (user, path)


def test_a_post_without_the_sessions_token_changes_nothing(office: Office) -> None:
    office.as_("ro.lea")
    entries, before = office.ledger(), office.agreement(INCOMPLETE)
    posts = [(f"/office/agreements/{INCOMPLETE}/signature", {"title": "Superintendent"}),
             (f"/office/agreements/{ENDED}/termination", {"confirm": "yes"}),
             (f"/office/agreements/{INCOMPLETE}/activation", {}),
             (f"/office/notices/{office.notices['second']}/acknowledgement", {})]
    for path, data in posts:
        got = office.post(path, data, csrf=False)
        assert got.status_code == 401 and "did not come from Accord" in got.text, path
    assert office.agreement(INCOMPLETE) == before and office.ledger() == entries
    opened = read(office.url, lambda s: [n.id for n in open_notifications(s, "lea")])
    assert office.notices["second"] in opened


def test_a_notice_is_acknowledged_and_stays_listed_as_recent(office: Office) -> None:
    first, second, univ = (office.notices[k] for k in ("first", "second", "univ"))
    page = office.as_("ro.lea").get("/office/notices").text
    assert f"Acknowledge notice {first}" in page and f"Acknowledge notice {second}" in page
    assert f"Acknowledge notice {univ}" not in page and "No notice was acknowledged" in page
    assert "Emergency release of your agency's records (34 CFR 99.36)" in page and SUMMARY in page
    done = office.post(f"/office/notices/{first}/acknowledgement")
    assert done.status_code == 303
    after = office.get(done.headers["location"]).text
    assert f"Notice {first} is acknowledged." in after and f"Acknowledge notice {first}" not in after
    recent = after.split('id="recent"')[1]
    assert re.search(rf'<th scope="row">{first}</th>', recent) and "by ro.lea on " in recent
    assert [n.id for n in read(office.url, lambda s: open_notifications(s, "lea"))] == [second]
    assert office.post(f"/office/notices/{first}/acknowledgement").status_code == 404  # once only
    assert office.post(f"/office/notices/{univ}/acknowledgement").status_code == 404
    assert [n.id for n in read(office.url, lambda s: open_notifications(s, "univ"))] == [univ]
    spanish = office.get("/office/notices?lang=es").text
    assert "Leídos en los últimos 30 días" in spanish and "Confirmar la lectura del aviso" in spanish
    office.get("/office?lang=en")
