"""The eligibility worker's pages (issue 21) over the cross-check county
(tests/workflows/crosscheck_county.py): the cross-checks of one's agency and their runs, a run's
report as a table and an SVG chart with the same numbers, running it again from the page, and the
school's records officer's review queue (accept and reject, in the ledger); another agency's run is
"not found", other roles are refused, and a form post without the session's token changes nothing."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from tests.api.test_desks_api import crosscheck_desk
from tests.web.pages_client import PageClient, site_client
from tests.workflows.case_county import ledger_entries
from tests.workflows.crosscheck_county import AGREEMENT, OFFICER, County
from tests.workflows.test_crosscheck import DEFINITION

PEOPLE = ("ew.lea", "ew.dss", "ew.medicaid", "cw.lea", OFFICER)


class World(PageClient):
    def __init__(self, county: County, client: TestClient, secrets: dict[str, str], run: int) -> None:
        super().__init__(client, secrets)
        self.county, self.run = county, run

    def pending(self) -> list[str]:
        queue = self.client.get(f"/crosschecks/{AGREEMENT}/reviews").text
        return re.findall(r'action="/crosschecks/reviews/(\d+)"', queue)


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    root = tmp_path_factory.mktemp("crosscheck-pages")
    with pytest.MonkeyPatch.context() as patch:
        county, secrets, settings = crosscheck_desk(patch, root, PEOPLE, (OFFICER,))
        # A cross-check that certifies only near-certain matches leaves some for the officer.
        strict = root / "strict.json"
        strict.write_text(json.dumps({**DEFINITION, "certify_from": 0.99999}), encoding="utf-8")
        county.ok("crosscheck", "define", str(strict), "--by", OFFICER)
        county.ok("state-law", "set", "--by", OFFICER, "--programs", "snap,tanf")
        county.submit_both()
        run = county.run()
        yield World(county, site_client(settings), secrets, run)


def test_the_worker_sees_the_agencys_crosscheck_and_its_runs(world: World) -> None:
    world.sign_in("ew.lea")
    listed = world.client.get("/crosschecks")
    assert listed.status_code == 200 and f'href="/crosschecks/{AGREEMENT}"' in listed.text
    assert f'href="/crosschecks/runs/{world.run}"' in listed.text
    one = world.client.get(f"/crosschecks/{AGREEMENT}")
    assert one.status_code == 200 and f"Report of run {world.run}" in one.text
    assert "Run the cross-check" in one.text  # the school's side runs it
    assert "Open the review queue" not in one.text  # the officer's, not the worker's
    assert world.client.get(f"/crosschecks/{AGREEMENT}/reviews").status_code == 403
    world.sign_in("ew.dss")  # the program's side: sees the check, does not run it
    other = world.client.get(f"/crosschecks/{AGREEMENT}")
    assert other.status_code == 200 and "Run the cross-check" not in other.text


def test_the_report_is_a_table_and_a_chart_of_the_same_counts(world: World) -> None:
    world.sign_in("ew.lea")
    report = world.county.report(world.run)
    got = world.client.get(f"/crosschecks/runs/{world.run}")
    assert got.status_code == 200
    svg = got.text.split("<svg", 1)[1].split("</svg>", 1)[0]
    assert 'role="img"' in svg and '<title id="chart-title">' in svg
    certified = str(report["certified"])
    assert f"Children directly certified: {certified}." in svg  # the text alternative
    assert f'<th scope="row">Children directly certified</th><td>{certified}</td>' in got.text
    rate = report["match_rate"]
    assert isinstance(rate, dict)
    assert f"({rate['found_in_enrollment']} of {rate['snap_school_age']})" in got.text
    assert "Newly certified since the last run" not in svg  # a first run compares with nothing
    assert "first run: nothing to compare with" in got.text
    assert world.county.names.isdisjoint(re.findall(r"[A-Za-z]{4,}", got.text))  # counts, never a child


def test_another_agencys_run_is_not_found_and_other_roles_are_refused(world: World) -> None:
    world.sign_in("ew.medicaid")
    assert world.client.get(f"/crosschecks/runs/{world.run}").status_code == 404
    assert world.client.get(f"/crosschecks/{AGREEMENT}").status_code == 404
    assert AGREEMENT not in world.client.get("/crosschecks").text
    assert world.client.get("/crosschecks/runs/99999").status_code == 404
    world.sign_in("cw.lea")
    assert world.client.get("/crosschecks").status_code == 403
    assert world.client.get(f"/crosschecks/runs/{world.run}").status_code == 403


def test_the_officer_accepts_and_rejects_uncertain_matches_in_the_ledger(world: World) -> None:
    world.sign_in(OFFICER)
    queue = world.client.get(f"/crosschecks/{AGREEMENT}/reviews")
    assert queue.status_code == 200 and world.county.names.isdisjoint(re.findall(r"[A-Za-z]{4,}", queue.text))
    waiting = world.pending()
    assert len(waiting) >= 2, "the strict cross-check left too few uncertain matches"
    before = len(ledger_entries(world.county.db_url))
    forged = world.client.post(f"/crosschecks/reviews/{waiting[0]}",
                               data={"agreement": AGREEMENT, "decision": "accept"})
    assert forged.status_code == 401 and world.pending() == waiting
    token = world.csrf()
    for review, decision in zip(waiting[:2], ("accept", "reject"), strict=True):
        done = world.client.post(f"/crosschecks/reviews/{review}", follow_redirects=False,
                                 data={"csrf_token": token, "agreement": AGREEMENT, "decision": decision})
        assert done.status_code == 303, done.text
        shown = world.client.get(done.headers["location"]).text
        assert f"Review {review} {decision}ed" in shown
    assert world.pending() == waiting[2:]
    assert len(ledger_entries(world.county.db_url)) == before + 2
    again = world.client.post(f"/crosschecks/reviews/{waiting[0]}",
                              data={"csrf_token": token, "agreement": AGREEMENT, "decision": "reject"})
    assert again.status_code == 400 and "already" in again.text


def test_running_again_from_the_page_compares_with_the_last_run(world: World) -> None:
    world.sign_in("ew.lea")
    token = world.csrf()
    early = world.client.post(f"/crosschecks/{AGREEMENT}/runs", data={"csrf_token": token})
    assert early.status_code == 400 and "No list has come yet" in early.text  # each run's lists are deleted
    world.county.submit_both()
    assert world.client.post(f"/crosschecks/{AGREEMENT}/runs").status_code == 401  # no token
    ran = world.client.post(f"/crosschecks/{AGREEMENT}/runs", data={"csrf_token": token},
                            follow_redirects=False)
    assert ran.status_code == 303
    second = world.client.get(ran.headers["location"])
    assert "Newly certified since the last run" in second.text.split("</svg>")[0]
    figures = world.county.report(int(ran.headers["location"].rsplit("/", 1)[1]))
    lost = figures["lost_since_last_run"]
    assert f'<th scope="row">Lost since the last run</th><td>{lost}</td>' in second.text
