"""The records office's, the family's and the training desk's refusals in Spanish (issue 21: the
Spanish pages are complete), over the office county (tests/web/office_world.py): an agreement, a
notice, a study's held release or a request to see records not found among the officer's; a child or
a consent not among the family's; the training page for another role, and a form from elsewhere. Each
reads in its code's Spanish words with the ids followed, and none of the workflow's English."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from accord.api.deps import now
from accord.workflows.family import record_guardianship
from tests.web.office_world import OTHERS, build
from tests.web.pages_client import read, site_client
from tests.web.spanish_refusals import refused_in_spanish
from tests.web.test_office_pages import Site

CHILD = "stu-minor"


def spanish(site: Site, user: str) -> Site:
    site.as_(user).client.get("/?lang=es")  # the language is remembered in a cookie
    return site


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    root = tmp_path_factory.mktemp("office-refusals")
    settings, secrets = build(root)
    read(settings.database_url, lambda session: record_guardianship(session, "ro.lea", "parent.1", CHILD,
                                                                     now()))
    yield Site(root, site_client(settings), secrets)


def test_what_is_not_the_officers_is_not_found_in_spanish(site: Site) -> None:
    officer = spanish(site, "ro.lea")
    refused_in_spanish(officer.client.get(f"/office/agreements/{OTHERS}"), 404, "no_such_agreement",
                       f"no agreement {OTHERS}", agreement=OTHERS)
    refused_in_spanish(officer.post("/office/notices/99999/acknowledgement", {}), 404, "no_such_notice",
                       "no open notice", notice="99999")
    refused_in_spanish(officer.client.get("/office/reviews/study-nobody/1"), 404, "no_such_study",
                       "no study", study="study-nobody")
    refused_in_spanish(officer.post("/office/inspections/99999/answered", {}), 404,
                       "no_such_inspection_request", "no such open request", request="99999")


def test_a_child_or_consent_not_the_familys_is_not_found_in_spanish(site: Site) -> None:
    parent = spanish(site, "parent.1")
    assert parent.client.get(f"/family/{CHILD}").status_code == 200
    refused_in_spanish(parent.client.get("/family/stu-18"), 404, "not_your_child", "no such student")
    refused_in_spanish(parent.post(f"/family/{CHILD}/consents/c-of-another/revoke", {}), 404,
                       "not_your_childs_consent", "no such consent")


def test_the_training_page_for_another_role_and_a_form_from_elsewhere_in_spanish(site: Site) -> None:
    refused_in_spanish(spanish(site, "parent.1").client.get("/training"), 403, "page_for_another_role",
                       "this page is for another role")
    officer = spanish(site, "ro.lea")
    assert officer.client.get("/training").status_code == 200
    refused_in_spanish(officer.post("/training/quiz", {"q1": "a"}, csrf=False), 401, "form_out_of_date",
                       "the form is out of date")
