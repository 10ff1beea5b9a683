"""The values a study's tables list (workflows.study_codebook): every dimension's are fixed before any
child is read (public structure, or the study's declared categories); a table lists every combination
of them, one too large to list is refused, and so is a build whose children hold a value not listed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from accord.disclosure import RuleSetInvalid
from accord.domain.studies import ABSENT, GRADE_SCALE, StudyError
from accord.store.repositories.ledger import size
from accord.synth.agencies import SCHOOL
from accord.workflows.research import require_study
from accord.workflows.study_codebook import fixed_values, refuse_strays
from accord.workflows.study_spec import MAX_CELLS
from tests.attacks.study_world import StudyHub, school

NO_REVIEW = {"review": "none"}


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> tuple[StudyHub, list[dict[str, Any]]]:
    root: Path = tmp_path_factory.mktemp("study-codebook")
    rows, _ = school()
    return StudyHub(root, f"sqlite:///{root / 'accord.db'}"), rows


def test_every_dimension_lists_public_values_whoever_the_children_are(world: Any) -> None:
    hub, rows = world
    no_tanf = [{**r, "dss": "snap" if r["dss"] == "tanf" else r["dss"]} for r in rows]
    run = hub.study("fixed", no_tanf, NO_REVIEW)
    catalog = run.catalog()
    assert catalog["dss"] == ["no", "snap", "tanf"], "the programs dss runs, whoever is on them"
    assert catalog["homeless"] == ["no", "not_recorded", "yes"]
    assert catalog["grade"] == list(GRADE_SCALE), "the K-12 scale, not the children's grades 3-8"
    assert catalog["school"] == [SCHOOL], "the schools the district registered"
    assert catalog["entry_year"] == [str(y) for y in range(2011, 2028)], \
        "the years a child of a study running 2026-27 can have entered, not only the children's"
    assert {r["entry_year"] for r in rows} < set(catalog["entry_year"])
    shown = run.ask(["dss"])
    assert [k[0] for k in shown.counts()] == ["no", "snap", "tanf"]
    assert shown.rows[2]["count"] is None and shown.statuses[2]["count"] == "suppressed_primary"


def test_a_child_at_an_unregistered_school_ungraded_or_entered_too_early_is_refused(world: Any) -> None:
    hub, rows = world
    run = hub.study("public-strays", rows, NO_REVIEW)
    with hub.session() as session:
        study = require_study(session, run.study_id)
        fixed = fixed_values(session, study)
    moved = [{**r, "school": "999999999"} if i < 2 else r for i, r in enumerate(rows)]
    with pytest.raises(StudyError) as refused:
        refuse_strays(study, moved, fixed)
    said = str(refused.value)
    assert f"2 children's school is 999999999, not among its values ({SCHOOL})" in said
    assert "accord agencies add --school" in said and "\n" not in said
    ungraded = [{**rows[0], "grade": ABSENT}, *rows[1:]]
    with pytest.raises(StudyError, match="1 children's grade is not_recorded, not among its values"):
        refuse_strays(study, ungraded, fixed)
    early = [{**rows[0], "entry_year": "2009"}, *rows[1:]]
    with pytest.raises(StudyError, match="1 children's entry_year is 2009, not among its values") as refused:
        refuse_strays(study, early, fixed)
    assert "--school" not in str(refused.value)
    refuse_strays(study, rows, fixed)  # none astray: built


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
    years = [str(y) for y in range(1900, 2101)]  # 201 declared years x 13 grades (K-12) x 3 programs
    run = hub.study("too-large", rows, {**NO_REVIEW, "categories": {"entry_year": years}})
    with hub.session() as session:
        before = size(session)
    with pytest.raises(StudyError) as refused:
        run.ask(["entry_year", "grade", "dss"])
    said = str(refused.value)
    assert f"{201 * 13 * 3:,} cells" in said and f"at most {MAX_CELLS:,}" in said and "\n" not in said
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
