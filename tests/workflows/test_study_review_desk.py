"""The records officer's output-review desk (accord.workflows.study_review_desk): the held releases of
the studies their agency contributes to, across studies and never their own questions; a study it does
not contribute to is not found; a refused decision is reported in the workflow's words and changes
nothing."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import text

from accord.domain.agencies import Role, User
from accord.store.repositories import studies as repo
from accord.workflows.study_query import ask
from accord.workflows.study_review import PENDING
from accord.workflows.study_review_desk import ReviewNotFound, decide_held, held_for, held_release
from tests.attacks.study_world import ANALYST, JANUARY, MARCH, StudyHub, school
from tests.workflows.crosscheck_county import DSS_OFFICER, OFFICER

LEA, DSS, UNIV = User(OFFICER, "lea", Role.RECORDS_OFFICER), User(DSS_OFFICER, "dss", Role.RECORDS_OFFICER), \
    User("ro.univ", "univ", Role.RECORDS_OFFICER)


@pytest.fixture(scope="module")
def hub(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StudyHub]:
    root: Path = tmp_path_factory.mktemp("review-desk")
    hub = StudyHub(root, f"sqlite:///{root / 'accord.db'}")
    rows = school()[0]
    hub.study("desk-a", rows, {"review": "all"})
    hub.study("desk-b", rows, {"review": "all"})
    yield hub


def held(hub: StudyHub, study: str, group_by: str, at: datetime = JANUARY) -> int:
    spec = {"measures": ["count"], "group_by": [group_by], "filters": []}
    with hub.session() as session:
        answer = ask(session, hub.files, study, ANALYST, spec, "test", at)
    assert answer.release_id is not None
    return answer.release_id


def ledger_size(hub: StudyHub) -> int:
    with hub.session() as session:
        return int(session.execute(text("SELECT count(*) FROM ledger_entries")).scalar_one())


def test_the_desk_gathers_every_contributed_studys_held_releases_oldest_first(hub: StudyHub) -> None:
    later = held(hub, "study-desk-a", "grade", MARCH)
    earlier = held(hub, "study-desk-b", "dss")
    with hub.session() as session:
        mine = [(h.study.id, h.id) for h in held_for(session, LEA)]
        assert mine == [("study-desk-b", earlier), ("study-desk-a", later)]
        shown = held_release(session, DSS, "study-desk-b", earlier)
        assert shown.result["cells"] and shown.reasons and shown.decisions == []
        assert held_for(session, UNIV) == []
        with pytest.raises(ReviewNotFound):
            held_release(session, UNIV, "study-desk-b", earlier)
        with pytest.raises(ReviewNotFound):
            decide_held(session, UNIV, "study-desk-b", earlier, True, "not ours", JANUARY)


def test_a_refused_decision_says_why_and_changes_nothing(hub: StudyHub) -> None:
    release = held(hub, "study-desk-a", "homeless")
    with hub.session() as session:
        assert decide_held(session, LEA, "study-desk-a", release, True, "checked", JANUARY).status == PENDING
    before = ledger_size(hub)
    with hub.session() as session:
        again = decide_held(session, LEA, "study-desk-a", release, False, "changed my mind", JANUARY)
        blank = decide_held(session, DSS, "study-desk-a", release, True, " ", JANUARY)
    assert again.status == "" and "already decided" in again.refused
    assert "give a comment" in blank.refused
    with hub.session() as session:
        decisions = held_release(session, DSS, "study-desk-a", release).decisions
    assert [d.reviewer for d in decisions] == [OFFICER]
    assert ledger_size(hub) == before


def test_the_author_of_a_release_neither_sees_it_nor_decides_it(hub: StudyHub) -> None:
    """An officer who asked a question themselves (stored here as if they had) is not its reviewer."""
    release = held(hub, "study-desk-b", "english_learner")
    with hub.session() as session:
        r = repo.get_release(session, "study-desk-b", release)
        assert r is not None
        own = repo.add_release(session, "study-desk-b", OFFICER, r.released_at, r.spec, r.result,
                               r.table_hash, r.ledger_seq, r.note, r.status)
    with hub.session() as session:
        assert own not in [h.id for h in held_for(session, LEA)]
        assert own in [h.id for h in held_for(session, DSS)]
        refused = decide_held(session, LEA, "study-desk-b", own, True, "mine, fine", JANUARY)
    assert "its author cannot review it" in refused.refused
