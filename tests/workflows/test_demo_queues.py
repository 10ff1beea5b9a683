"""After `accord demo`, the records officer's queues hold work made the real way (issue 21): an uncertain
cross-check match (the department wrote one child's birth date day first, and the family moved) waits
for clerical review, and the analyst's second question waits for output review. Each can be decided
from the demo's state through the same workflows the pages call, and the dashboard counts them."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from accord.api.deps import now
from accord.cli.app import app
from accord.config import LEDGER_KEY_FILENAME
from accord.domain.agencies import Role, User
from accord.ledger.entries import EntryKind
from accord.store.db import make_engine
from accord.store.repositories.agencies import get_user, list_users
from accord.store.repositories.ledger import entries_of_kinds
from accord.workflows.crosscheck_desk import decide_for, reviews_for
from accord.workflows.demo_crosscheck import AGREEMENT, PROGRAM_AGENCY, REVIEW_FROM
from accord.workflows.demo_signins import OFFICER
from accord.workflows.demo_study import HELD_QUESTION, STUDY
from accord.workflows.office_dashboard import office_figures
from accord.workflows.study_review import release_for
from accord.workflows.study_review_desk import decide_held, held_for

ANALYST = "an.univ.1"


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = tmp_path_factory.mktemp("demo-queues") / "data"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("ACCORD_DATA_DIR", str(data))
        patch.delenv("ACCORD_DATABASE_URL", raising=False)
        result = CliRunner().invoke(app, ["demo", "--reset", "--students", "200", "--seed", "7"])
    assert result.exit_code == 0, result.output
    said = " ".join(result.output.split())  # as the terminal wraps it
    assert "1 uncertain match(es) wait for the records officer's clerical review" in said
    assert "waits for output review as release" in said
    return data


@pytest.fixture
def session(data_dir: Path) -> Iterator[Session]:
    engine = make_engine(f"sqlite:///{data_dir / 'accord.db'}")
    with Session(engine) as opened, opened.begin():
        yield opened
    engine.dispose()


def _user(session: Session, user_id: str) -> User:
    found = get_user(session, user_id)
    assert found is not None
    return found


def _department_officer(session: Session) -> User:
    return next(u for u in sorted(list_users(session, PROGRAM_AGENCY), key=lambda u: u.id)
                if u.role is Role.RECORDS_OFFICER)


def test_the_dashboard_counts_both_queues_and_the_ledger_from_the_demo_s_verification(
        session: Session, data_dir: Path) -> None:
    figures = office_figures(session, _user(session, OFFICER), data_dir / LEDGER_KEY_FILENAME, now())
    assert figures.crosscheck_reviews == 1 and figures.output_reviews == 1
    ledger = figures.ledger
    assert ledger.verifies and ledger.verified_through is not None
    assert ledger.entries == ledger.verified_through + ledger.walked


def test_the_uncertain_match_waits_between_the_floor_and_certainty_and_is_decided(session: Session) -> None:
    officer = _user(session, OFFICER)
    [waiting] = reviews_for(session, officer, AGREEMENT)
    assert REVIEW_FROM <= waiting["probability"] < 0.8  # the model's own score, not set by the demo
    decided_before = len(list(entries_of_kinds(session, [EntryKind.CROSSCHECK_REVIEW])))
    decide_for(session, officer, waiting["review"], False, now(), "another child: the dates are not hers")
    assert reviews_for(session, officer, AGREEMENT) == []
    assert len(list(entries_of_kinds(session, [EntryKind.CROSSCHECK_REVIEW]))) == decided_before + 1


def test_the_held_question_is_released_by_the_school_s_and_the_department_s_officer(session: Session) -> None:
    officer = _user(session, OFFICER)
    [held] = held_for(session, officer)
    assert (held.study.id, held.analyst, held.spec["group_by"]) == (STUDY, ANALYST, HELD_QUESTION["group_by"])
    assert held.reasons and release_for(session, STUDY, held.id, ANALYST)["rows"] == []  # not shown yet
    first = decide_held(session, officer, STUDY, held.id, True, "margins checked against release 1", now())
    assert (first.status, first.refused) == ("pending_review", "")
    second = decide_held(session, _department_officer(session), STUDY, held.id, True, "checked", now())
    assert second.status == "released"
    assert release_for(session, STUDY, held.id, ANALYST)["rows"] == held.result["rows"]
    assert held_for(session, officer) == []
