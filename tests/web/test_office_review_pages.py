"""The records officer's output-review pages (issue 21 over issue 19's review): the releases held in the
studies their agency contributes to, a release's table as it would be released, and two officers of
two contributing agencies approving it until it is released (the ledger naming both); the workflow's
refusals (a second decision, no comment) shown on the page; an officer of an agency that does not
contribute sees nothing and finds nothing; other roles are refused; a post without the session's token
changes nothing."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from accord.config import Settings
from accord.ledger.entries import EntryKind
from accord.store.repositories.ledger import entries_of_kinds
from accord.store.repositories.studies import get_release
from accord.workflows.study_query import ask
from tests.attacks.study_world import ANALYST, JANUARY, StudyHub, school
from tests.web.pages_client import PageClient, give_sign_ins, site_client
from tests.workflows.crosscheck_county import DSS_OFFICER, OFFICER

OUTSIDER = "ro.univ"  # a records officer of the university: it contributes nothing to the study
CASEWORKER = "cw.health"
STUDY = "study-office-reviews"


class World:
    def __init__(self, browser: PageClient, hub: StudyHub) -> None:
        self.browser, self.hub, self.client = browser, hub, browser.client

    def held(self, group_by: list[str]) -> int:
        """A new release of the study, held for review (the study's agreement reviews every table)."""
        spec = {"measures": ["count"], "group_by": group_by, "filters": []}
        with self.hub.session() as session:
            answer = ask(session, self.hub.files, STUDY, ANALYST, spec, "test", JANUARY)
        assert answer.result.get("review") and answer.release_id is not None
        return answer.release_id

    def decide(self, release: int, decision: str, comment: str, token: str | None = None) -> Any:
        data = {"decision": decision, "comment": comment}
        data["csrf_token"] = self.browser.csrf("/office/reviews") if token is None else token
        return self.client.post(f"/office/reviews/{STUDY}/{release}/decision", data=data,
                                follow_redirects=False)

    def status(self, release: int) -> str:
        with self.hub.session() as session:
            found = get_release(session, STUDY, release)
            assert found is not None
            return found.status

    def ledger_size(self) -> int:
        with self.hub.session() as session:
            return int(session.execute(text("SELECT count(*) FROM ledger_entries")).scalar_one())


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    root: Path = tmp_path_factory.mktemp("office-reviews")
    hub = StudyHub(root, f"sqlite:///{root / 'accord.db'}")
    hub.study("office-reviews", school()[0], {"review": "all"})
    with hub.session() as session:
        secrets = give_sign_ins(session, [OFFICER, DSS_OFFICER, OUTSIDER, CASEWORKER, ANALYST],
                                second_factor=[OFFICER, DSS_OFFICER, OUTSIDER])
    yield World(PageClient(site_client(Settings(data_dir=root, database_url=hub.url)), secrets), hub)


def test_the_officer_sees_the_held_release_with_its_question_and_why(world: World) -> None:
    release = world.held(["dss"])
    world.browser.sign_in(OFFICER)
    queue = world.client.get("/office/reviews")
    assert queue.status_code == 200
    row = re.search(rf'<a href="/office/reviews/{STUDY}/{release}">.*?</tr>', queue.text, re.S)
    assert row and "number of people by dss" in row.group(0) and f"asked by {ANALYST}" in row.group(0)
    assert "<li>" in row.group(0) and "None yet" in row.group(0)  # why it waits; no decision yet
    shown = world.client.get(f"/office/reviews/{STUDY}/{release}")
    assert shown.status_code == 200 and '<table class="result">' in shown.text
    assert re.findall(r'<th scope="row">(snap|tanf|no)</th>', shown.text)  # the table as released
    assert f"Approve release {release}" in shown.text and 'name="comment"' in shown.text
    dashboard = world.client.get("/office")
    assert '<a href="/office/reviews">Study results held for output review</a>' in dashboard.text


def test_two_officers_of_contributing_agencies_approve_and_the_release_is_released(world: World) -> None:
    release = world.held(["grade"])
    world.browser.sign_in(OFFICER)
    first = world.decide(release, "approve", "small cells checked")
    assert first.status_code == 303
    back = world.client.get(first.headers["location"])
    assert f"Your approval of release {release} is recorded: a second reviewer is needed." in back.text
    assert f"{OFFICER} approved it on" in back.text and world.status(release) == "pending_review"
    again = world.decide(release, "approve", "once more")
    assert again.status_code == 400 and "already decided" in again.text  # the workflow's refusal, shown
    mine = world.client.get(f"/office/reviews/{STUDY}/{release}")
    assert "You have decided on this release" in mine.text and 'name="decision"' not in mine.text

    world.browser.sign_in(DSS_OFFICER)
    assert "“small cells checked”" in world.client.get(f"/office/reviews/{STUDY}/{release}").text
    blank = world.decide(release, "approve", "  ")
    assert blank.status_code == 400 and "Give a comment with the decision" in blank.text
    assert world.status(release) == "pending_review"
    second = world.decide(release, "approve", "the programs' cells checked")
    back = world.client.get(second.headers["location"])
    assert f"Release {release} is released" in back.text and world.status(release) == "released"
    assert f"/office/reviews/{STUDY}/{release}" not in back.text  # no longer waiting
    with world.hub.session() as session:
        released = [e.content for e in entries_of_kinds(session, [EntryKind.STUDY_RELEASE])]
    mentions = [e for e in released if e.get("body", e).get("release") == release]
    assert len(mentions) == 1 and mentions[0].get("body", mentions[0])["reviewers"] == [DSS_OFFICER, OFFICER]

    world.browser.sign_in(ANALYST)
    table = world.client.get(f"/studies/{STUDY}/releases/{release}")
    assert '<table class="result">' in table.text


def test_one_rejection_keeps_the_table_from_the_analyst(world: World) -> None:
    release = world.held(["english_learner"])
    world.browser.sign_in(DSS_OFFICER)
    got = world.client.get(world.decide(release, "reject", "too fine a split").headers["location"])
    assert f"Release {release} is rejected" in got.text and world.status(release) == "rejected"


def test_an_officer_of_an_agency_not_contributing_sees_nothing_and_finds_nothing(world: World) -> None:
    release = world.held(["homeless"])
    world.browser.sign_in(OUTSIDER)
    queue = world.client.get("/office/reviews")
    assert queue.status_code == 200 and "No study release is waiting for your review." in queue.text
    assert world.client.get(f"/office/reviews/{STUDY}/{release}").status_code == 404
    before = world.ledger_size()
    assert world.decide(release, "approve", "not mine to approve").status_code == 404
    assert world.ledger_size() == before and world.status(release) == "pending_review"


def test_other_roles_get_the_refusal_page(world: World) -> None:
    for user in (CASEWORKER, ANALYST):
        world.browser.sign_in(user)
        got = world.client.get("/office/reviews")
        assert got.status_code == 403 and "Not for you" in got.text


def test_a_decision_without_the_sessions_token_is_refused_and_changes_nothing(world: World) -> None:
    release = world.held(["iep_504"])
    world.browser.sign_in(OFFICER)
    before = world.ledger_size()
    for token in ("", "not-the-token"):
        got = world.decide(release, "approve", "looks fine", token=token)
        assert got.status_code == 401 and "did not come from Accord" in got.text
    assert world.ledger_size() == before and world.status(release) == "pending_review"
