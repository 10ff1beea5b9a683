"""The cross-check pages' refusals in Spanish (issue 21: the Spanish pages are complete), over the
cross-check county: a run or cross-check not found among the agency's, a run before every list came, a
run from the program's side, a review not found or decided twice, and a page for another role; each
in its code's Spanish words with the ids typed or followed, and none of the workflow's English."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

import pytest

from tests.api.test_desks_api import crosscheck_desk
from tests.web.pages_client import PageClient, site_client
from tests.web.spanish_refusals import refused_in_spanish
from tests.workflows.crosscheck_county import AGREEMENT, OFFICER
from tests.workflows.test_crosscheck import DEFINITION

PEOPLE = ("ew.lea", "ew.dss", "cw.lea", OFFICER)


class World(PageClient):
    def in_spanish(self, user: str) -> World:
        self.sign_in(user)
        self.client.get("/?lang=es")  # the language is remembered in a cookie
        return self

    def post(self, path: str, **data: str) -> object:
        return self.client.post(path, data={"csrf_token": self.csrf(), **data})


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    root = tmp_path_factory.mktemp("crosscheck-refusals")
    with pytest.MonkeyPatch.context() as patch:
        county, secrets, settings = crosscheck_desk(patch, root, PEOPLE, (OFFICER,))
        strict = root / "strict.json"  # certifies only near-certain matches: some wait for review
        strict.write_text(json.dumps({**DEFINITION, "certify_from": 0.99999}), encoding="utf-8")
        county.ok("crosscheck", "define", str(strict), "--by", OFFICER)
        county.submit_both()
        county.run()  # a run deletes the lists it linked: the next needs new ones
        yield World(site_client(settings), secrets)


def test_what_is_not_among_the_agencys_is_not_found_in_spanish(world: World) -> None:
    worker = world.in_spanish("ew.lea")
    refused_in_spanish(worker.client.get("/crosschecks/runs/99999"), 404, "no_such_run",
                       "no such cross-check run", run="99999")
    refused_in_spanish(worker.client.get("/crosschecks/dsa-elsewhere"), 404, "no_such_crosscheck",
                       "no such cross-check", agreement="dsa-elsewhere")
    officer = world.in_spanish(OFFICER)
    refused_in_spanish(officer.client.get("/crosschecks/dsa-elsewhere/reviews"), 404, "no_such_crosscheck",
                       "no such cross-check", agreement="dsa-elsewhere")
    refused_in_spanish(officer.post("/crosschecks/reviews/99999", agreement=AGREEMENT, decision="accept"),
                       404, "no_such_review", "no such review", review="99999")


def test_a_run_that_cannot_be_made_says_why_in_spanish(world: World) -> None:
    worker = world.in_spanish("ew.lea")
    early = worker.post(f"/crosschecks/{AGREEMENT}/runs")
    refused_in_spanish(early, 400, "no_submission_yet", "no submission yet", agencies="dss, lea",
                       agreement=AGREEMENT)
    program_side = world.in_spanish("ew.dss")
    refused_in_spanish(program_side.post(f"/crosschecks/{AGREEMENT}/runs"), 400, "may_not_run_crosscheck",
                       "may not run the cross-check", school="lea")


def test_a_review_decided_twice_and_a_page_for_another_role_in_spanish(world: World) -> None:
    officer = world.in_spanish(OFFICER)
    queue = officer.client.get(f"/crosschecks/{AGREEMENT}/reviews").text
    review = re.findall(r'action="/crosschecks/reviews/(\d+)"', queue)[0]
    assert officer.post(f"/crosschecks/reviews/{review}", agreement=AGREEMENT, decision="reject")
    again = officer.post(f"/crosschecks/reviews/{review}", agreement=AGREEMENT, decision="accept")
    refused_in_spanish(again, 400, "review_decided_already", "already", review=review)
    caseworker = world.in_spanish("cw.lea")
    refused_in_spanish(caseworker.client.get("/crosschecks"), 403, "page_for_another_role",
                       "this page is for another role")
    forged = caseworker.client.post(f"/crosschecks/{AGREEMENT}/runs", data={"csrf_token": "forged"})
    refused_in_spanish(forged, 401, "form_out_of_date", "the form is out of date")
