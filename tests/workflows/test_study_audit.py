"""The study's audit state in its two places (workflows.study_audit): the history in the store and the
audit labels of the records in the study's DuckDB table, which follow the history one release behind
at most. The labels must count exactly the atoms the history holds, a release that never committed
must leave no trace, and labels that fell further behind are refused."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb
import pytest

from accord.disclosure import HistoryUnreadable
from accord.store.study_tables import labels_generation
from accord.workflows.study_audit import current_history
from accord.workflows.study_query import ask
from tests.attacks.study_world import ANALYST, JANUARY, MARCH, StudyHub, StudyRun, school

NO_REVIEW = {"review": "none"}  # every question answered at once (output review: test_study.py)


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> tuple[StudyHub, list[dict[str, Any]], dict[str, Any]]:
    root: Path = tmp_path_factory.mktemp("study-audit")
    rows, planted = school()
    return StudyHub(root, f"sqlite:///{root / 'accord.db'}"), rows, planted.newcomer


def _path(run: StudyRun) -> Path:
    return run.hub.files.study_dir(run.study_id) / "study.duckdb"


def _labels_in_table(run: StudyRun) -> dict[int, int]:
    with duckdb.connect(str(_path(run))) as con:  # as the store holds it open (study_files)
        found = con.execute("SELECT label, count(*) FROM study GROUP BY label").fetchall()
    return {int(a): int(b) for a, b in found}


def _atoms(run: StudyRun) -> dict[int, int]:
    with run.hub.session() as session:
        _, history = current_history(session, _path(run), run.study_id)
    return dict(zip(history.labels.tolist(), history.sizes.tolist(), strict=True))


def test_the_tables_labels_count_the_historys_atoms_after_questions_and_a_rebuild(world: Any) -> None:
    hub, rows, newcomer = world
    run = hub.study("labels", rows, NO_REVIEW)
    run.ask(["grade", "dss"])
    run.ask(["dss"], [{"dim": "grade", "op": "in", "values": ["4", "5"]}])
    run.ask(["homeless"], [{"dim": "entry_year", "op": "between", "values": ["2018", "2022"]}])
    run.rebuild([*rows, newcomer])  # one child joins: labelled 0 until the next release
    run.ask(["grade"], at=MARCH)
    assert _atoms(run) == _labels_in_table(run), "the labels, caught up, count every atom of the history"
    with run.hub.session() as session:
        _, history = current_history(session, _path(run), run.study_id)
    assert history.generation == 4 and labels_generation(_path(run)) == 4
    assert history.n_records == len(rows) + 1


def test_a_question_whose_transaction_fails_leaves_no_trace(world: Any) -> None:
    hub, rows, _ = world
    run = hub.study("rollback", rows, NO_REVIEW)
    run.ask(["grade"])
    before = _atoms(run)
    with pytest.raises(RuntimeError), run.hub.session() as session:
        ask(session, run.hub.files, run.study_id, ANALYST, {"measures": ["count"], "group_by": ["dss"]},
            "test", JANUARY)
        raise RuntimeError("the store failed before it committed")
    assert _atoms(run) == before == _labels_in_table(run)
    run.ask(["dss"])  # the next question finds history and labels in step
    assert _atoms(run) == _labels_in_table(run)


def test_labels_further_behind_than_one_release_are_refused(world: Any) -> None:
    hub, rows, _ = world
    run = hub.study("behind", rows, NO_REVIEW)
    run.ask(["grade"])
    run.ask(["dss"])
    run.ask(["homeless"])
    with duckdb.connect(str(_path(run))) as con:
        con.execute("UPDATE audit_labels SET generation = 1")
    with pytest.raises(HistoryUnreadable, match="2 releases behind"), run.hub.session() as session:
        current_history(session, _path(run), run.study_id)
