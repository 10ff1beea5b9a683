"""The values a study's tables list (workflows.study_codebook): a flag's and a partner's are fixed
before any child is read, a study may declare any dimension's, the others are the values its
children hold; a table lists every combination of them, and one too large to list is refused."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from accord.disclosure import RuleSetInvalid
from accord.domain.studies import StudyError
from accord.store.repositories.ledger import size
from accord.workflows.research import require_study
from accord.workflows.study_codebook import refuse_strays
from accord.workflows.study_spec import MAX_CELLS
from tests.attacks.study_world import GRADES, StudyHub, school

NO_REVIEW = {"review": "none"}


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> tuple[StudyHub, list[dict[str, Any]]]:
    root: Path = tmp_path_factory.mktemp("study-codebook")
    rows, _ = school()
    return StudyHub(root, f"sqlite:///{root / 'accord.db'}"), rows


def test_flags_and_partners_list_their_fixed_values_and_the_open_dimensions_the_childrens(world: Any) -> None:
    hub, rows = world
    no_tanf = [{**r, "dss": "snap" if r["dss"] == "tanf" else r["dss"]} for r in rows]
    run = hub.study("fixed", no_tanf, NO_REVIEW)
    catalog = run.catalog()
    assert catalog["dss"] == ["no", "snap", "tanf"], "the programs dss runs, whoever is on them"
    assert catalog["homeless"] == ["no", "not_recorded", "yes"]
    assert catalog["grade"] == list(GRADES), "an open dimension: the grades the children are in"
    shown = run.ask(["dss"])
    assert [k[0] for k in shown.counts()] == ["no", "snap", "tanf"]
    assert shown.rows[2]["count"] is None and shown.statuses[2]["count"] == "suppressed_primary"


def test_declared_categories_are_listed_in_their_order_narrowed_by_the_questions_filters(world: Any) -> None:
    hub, rows = world
    grades = ["K", *(str(g) for g in range(1, 13))]
    run = hub.study("declared", rows, {**NO_REVIEW, "categories": {"grade": grades}})
    assert run.catalog()["grade"] == grades
    shown = run.ask(["grade"], [{"dim": "grade", "op": "in", "values": ["5", "9", "10"]}])
    assert [k[0] for k in shown.counts()] == ["5", "9", "10"]
    assert [s["count"] for s in shown.statuses[1:]] == ["suppressed_primary"] * 2, "grades 9, 10: nobody"


def test_categories_that_name_no_dimension_of_the_study_or_are_malformed_are_refused(world: Any) -> None:
    hub, rows = world
    with pytest.raises(StudyError, match="its categories name surname, not among its dimensions"):
        hub.study("unknown-dim", rows, {"categories": {"surname": ["a"]}})
    with pytest.raises(RuleSetInvalid, match="categories.grade must list distinct values"):
        hub.study("duplicate", rows, {"categories": {"grade": ["3", "3"]}})
    with pytest.raises(RuleSetInvalid, match="categories maps each dimension"):
        hub.study("not-a-list", rows, {"categories": {"grade": "3"}})


def test_a_table_of_more_combinations_than_the_limit_is_refused_before_it_is_read(world: Any) -> None:
    hub, rows = world
    years = [str(y) for y in range(1900, 2101)]  # 201 declared years x 6 grades x 3 programs
    run = hub.study("too-large", rows, {**NO_REVIEW, "categories": {"entry_year": years}})
    with hub.session() as session:
        before = size(session)
    with pytest.raises(StudyError) as refused:
        run.ask(["entry_year", "grade", "dss"])
    said = str(refused.value)
    assert f"{201 * 6 * 3:,} cells" in said and f"at most {MAX_CELLS:,}" in said and "\n" not in said
    with hub.session() as session:
        assert size(session) == before, "nothing released, nothing recorded"
    recent = {"dim": "entry_year", "op": "between", "values": ["2015", "2026"]}
    narrowed = run.ask(["entry_year", "dss"], [recent])
    assert len(narrowed.rows) == 12 * 3, "filtered to twelve years, the table is answered"


def test_a_build_whose_children_hold_a_value_their_dimension_does_not_list_is_refused(world: Any) -> None:
    hub, rows = world
    run = hub.study("strays", rows, {**NO_REVIEW, "categories": {"dss": ["no", "snap"]}})
    fixed = {"dss": ("no", "snap"), "homeless": ("no", "not_recorded", "yes")}
    tanf = sum(r["dss"] == "tanf" for r in rows)
    with hub.session() as session:
        study = require_study(session, run.study_id)
    with pytest.raises(StudyError) as refused:
        refuse_strays(study, rows, fixed)
    assert f"{tanf} children's dss is tanf, not among its values (no, snap)" in str(refused.value)
    refuse_strays(study, [r for r in rows if r["dss"] != "tanf"], fixed)  # none astray: built
