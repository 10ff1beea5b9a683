"""Splink's private interface as the hub uses it (ADR 0013): one test per private attribute or
behaviour, each on a tiny real linker on DuckDB, so that an upgrade of Splink that changes one of
them fails here, naming the Accord module that relies on it, instead of silently changing links.

Each docstring names the hub module that relies on the behaviour. When a test fails after a Splink
upgrade, read ADR 0013 before touching the pin: some failures mean a private write can go."""

from __future__ import annotations

import logging
import tomllib
from importlib.metadata import version
from pathlib import Path
from typing import Any

import pandas as pd  # type: ignore[import-untyped]
import pytest
from splink import DuckDBAPI, Linker
from splink.internals.comparison import Comparison
from splink.internals.comparison_level import ComparisonLevel
from splink.internals.exceptions import SplinkException
from splink.internals.settings import CoreModelSettings

ROOT = Path(__file__).resolve().parents[3]
FIRST, SURNAME = "first_name", "surname"
NEVER = "first_name_l = 'never-recorded'"  # a level no pair reaches
EM_ON_SURNAME = "l.surname = r.surname"  # trains the first name's m, holds the surname's fixed
FIXED_U = 0.0123


def _records() -> pd.DataFrame:
    """40 people, half of them recorded twice (the copy's first name sometimes mistyped)."""
    firsts = ["ann", "ben", "cara", "dev", "eli", "fay", "gus", "hal", "ida", "jo"]
    surnames = ["stone", "reed", "park", "moss"]
    rows: list[dict[str, Any]] = []
    for i in range(40):
        first, surname = firsts[i % 10], surnames[i // 10]
        rows.append({"record_id": f"a{i}", FIRST: first, SURNAME: surname})
        if i % 2 == 0:
            rows.append({"record_id": f"b{i}", FIRST: first if i % 6 else first + "x", SURNAME: surname})
    rows.append({"record_id": "n1", FIRST: None, SURNAME: "stone"})
    return pd.DataFrame(rows)


def _exact(column: str, extra: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """A comparison as model.py writes them: plain dicts, null level first, ELSE last."""
    return {"output_column_name": column, "comparison_levels": [
        {"sql_condition": f"{column}_l IS NULL OR {column}_r IS NULL", "label_for_charts": "missing",
         "is_null_level": True},
        {"sql_condition": f"{column}_l = {column}_r", "label_for_charts": "exact"},
        *(extra or []),
        {"sql_condition": "ELSE", "label_for_charts": "different"}]}


def _settings() -> dict[str, Any]:
    return {"link_type": "dedupe_only", "unique_id_column_name": "record_id",
            "comparisons": [_exact(FIRST, [{"sql_condition": NEVER, "label_for_charts": "never"}]),
                            _exact(SURNAME)],
            "blocking_rules_to_generate_predictions": [EM_ON_SURNAME],
            "retain_matching_columns": False, "retain_intermediate_calculation_columns": False,
            "probability_two_random_records_match": 0.02, "max_iterations": 5}


def _linker(settings: dict[str, Any] | None = None) -> Linker:
    db_api = DuckDBAPI()
    frame = db_api.register(_records(), dataset_display_name="people")
    return Linker(frame, settings or _settings(), log_level=logging.ERROR)


def _comparison(linker: Linker, name: str) -> Comparison:
    return next(c for c in linker._settings_obj.comparisons if c.output_column_name == name)


def _level(linker: Linker, name: str, label: str) -> ComparisonLevel:
    return next(cl for cl in _comparison(linker, name).comparison_levels if cl.label_for_charts == label)


def _em(linker: Linker) -> None:
    linker.training.estimate_parameters_using_expectation_maximisation(
        EM_ON_SURNAME, estimate_without_term_frequencies=True)


def test_splink_is_major_version_5_as_pinned() -> None:
    """Every test below describes Splink 5; pyproject.toml pins `splink>=5,<6` (ADR 0013)."""
    assert version("splink").split(".")[0] == "5"
    pins = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    assert "splink>=5,<6" in pins


def test_settings_obj_lists_the_comparisons_in_settings_order() -> None:
    """`linker._settings_obj.comparisons`: training.py, salted_u.py, exact_u.py, anchored_m.py and
    within_file_u.py find the live Comparison objects by output_column_name through it."""
    linker = _linker()
    comparisons = linker._settings_obj.comparisons
    assert isinstance(comparisons, list)
    assert all(isinstance(c, Comparison) for c in comparisons)
    assert [c.output_column_name for c in comparisons] == [FIRST, SURNAME]
    # The same objects as the model core: a level changed through one is changed in the other.
    assert comparisons[0] is linker._settings_obj.core_model_settings.comparisons[0]


def test_comparison_levels_excluding_null_drops_the_null_level_and_keeps_order() -> None:
    """`comparison._comparison_levels_excluding_null`: estimates.py, exact_u.py (its HOME_LEVEL index),
    training.py and within_file_u.py walk the levels that carry m and u, best first."""
    comparison = _comparison(_linker(), FIRST)
    levels = comparison._comparison_levels_excluding_null
    assert [cl.label_for_charts for cl in levels] == ["exact", "never", "different"]
    assert [cl.comparison_vector_value for cl in levels] == [2, 1, 0]
    assert levels == [cl for cl in comparison.comparison_levels if not cl.is_null_level]
    assert comparison.comparison_levels[0].is_null_level
    assert comparison.comparison_levels[0].comparison_vector_value == -1


def test_input_columns_used_by_sql_condition_names_the_input_columns() -> None:
    """`comparison_level._input_columns_used_by_sql_condition`: query.comparison_inputs selects, for
    the hub's own pair SQL, the columns a comparison's levels read (as `.input_name`)."""
    comparison = _comparison(_linker(), FIRST)
    by_label = {cl.label_for_charts: [c.input_name for c in cl._input_columns_used_by_sql_condition]
                for cl in comparison.comparison_levels}
    assert by_label == {"missing": [FIRST], "exact": [FIRST], "never": [FIRST], "different": []}


def test_case_statement_scores_a_hand_made_pair_as_splink_does() -> None:
    """`comparison._case_statement`: query.level_case cuts it at its last ` as ` and salted_u.py,
    exact_u.py and anchored_m.py run it over `<column>_l` / `<column>_r` (query.both_sides) to count
    pairs per level without Splink's prediction."""
    linker = _linker()
    comparison = _comparison(linker, FIRST)
    statement = comparison._case_statement
    assert isinstance(statement, str)
    assert statement.endswith(f" as gamma_{FIRST}")
    case = statement.rsplit(" as ", 1)[0]
    pairs = {"exact": ("ann", "ann"), "never": ("never-recorded", "zed"), "different": ("ann", "ben"),
             "missing": (None, "ann")}
    rows = ", ".join(f"('{label}', {_sql(left)}, {_sql(right)})" for label, (left, right) in pairs.items())
    # The public route ADR 0013 weighs: the same CASE built from public level attributes.
    public = "CASE " + " ".join(
        ("ELSE " if cl.sql_condition == "ELSE" else f"WHEN {cl.sql_condition} THEN ")
        + str(cl.comparison_vector_value) for cl in comparison.comparison_levels) + " END"
    sql = f"""SELECT label, {case} AS level, {public} AS public_level
              FROM (VALUES {rows}) AS pair(label, {FIRST}_l, {FIRST}_r)"""
    got = linker.misc.query_sql(sql, output_type="pandas")  # type: ignore[no-untyped-call]
    expected = {cl.label_for_charts: cl.comparison_vector_value for cl in comparison.comparison_levels}
    assert dict(zip(got["label"], got["level"].astype(int), strict=True)) == expected
    assert list(got["public_level"]) == list(got["level"])


def _sql(value: str | None) -> str:
    return "NULL" if value is None else f"'{value}'"


def test_m_is_trained_only_once_an_m_is_estimated() -> None:
    """`level._m_is_trained`, read from the public saved model instead: a comparison none of whose levels
    has an estimated m keeps Splink's default m, and the saved model says which (query.saved_levels)."""
    linker = _linker()
    linker.training.estimate_u_using_random_sampling(max_pairs=5_000, seed=1)
    assert not any(cl._m_is_trained for c in linker._settings_obj.comparisons
                   for cl in c._comparison_levels_excluding_null)
    _em(linker)
    first = _comparison(linker, FIRST)._comparison_levels_excluding_null
    assert [cl._m_is_trained for cl in first] == [True, False, True]  # "never" was never observed
    # The surname is in the block: EM holds it, and its m is still Splink's default.
    assert not any(cl._m_is_trained for cl in _comparison(linker, SURNAME)._comparison_levels_excluding_null)
    # The public equivalent (ADR 0013): the saved model carries an m exactly where _m_is_trained.
    saved = linker.misc.save_model_to_json()
    for comparison, as_saved in zip(linker._settings_obj.comparisons, saved["comparisons"], strict=True):
        for cl, level in zip(comparison.comparison_levels, as_saved["comparison_levels"], strict=True):
            if not cl.is_null_level:
                assert ("m_probability" in level) == cl._m_is_trained


def test_trained_u_list_holds_each_sampled_estimate_and_marks_unobserved_levels() -> None:
    """`level._trained_u_probabilities`: within_file_u._trained_u reads each level's sampled u from it,
    taking a non-numeric entry (Splink's "level not observed" text) as "no sampled pair reached it"."""
    linker = _linker()
    linker.training.estimate_u_using_random_sampling(max_pairs=5_000, seed=1)
    exact, never, _ = _comparison(linker, FIRST)._comparison_levels_excluding_null
    assert isinstance(exact._trained_u_probabilities, list)
    (entry,) = exact._trained_u_probabilities
    assert set(entry) == {"probability", "description", "m_or_u"}
    assert entry["m_or_u"] == "u"
    assert isinstance(entry["probability"], float)
    assert entry["probability"] == pytest.approx(exact.u_probability)
    (unseen,) = never._trained_u_probabilities
    assert isinstance(unseen["probability"], str)
    assert not never._u_is_trained
    # The public equivalent (ADR 0013): the saved model gives the sampled u, and none for that level.
    saved = linker.misc.save_model_to_json()["comparisons"][0]["comparison_levels"]
    assert saved[1]["u_probability"] == entry["probability"]
    assert "u_probability" not in saved[2]


def test_private_u_write_survives_em_with_fixed_u() -> None:
    """estimates.fix_probability writes the level's list of trained u and its u: Splink re-derives u
    from that list (its median) after every training step, so the hub's own estimate stands."""
    linker = _linker()
    linker.training.estimate_u_using_random_sampling(max_pairs=5_000, seed=1)
    level = _level(linker, FIRST, "exact")
    level._trained_u_probabilities = [{"probability": FIXED_U, "m_or_u": "u", "description": "test"}]
    level.u_probability = FIXED_U
    _em(linker)
    # EM puts a deep copy of the model in place: read the level afresh, as the hub always does.
    level = _level(linker, FIRST, "exact")
    assert level._m_is_trained
    assert level.u_probability == FIXED_U


def test_private_m_write_stands_and_a_later_em_estimate_is_averaged_in() -> None:
    """estimates.fix_probability writes `_trained_m_probabilities` too (anchored_m.py, the last step):
    Splink takes m as the median of that list, so the written m stands through a pass that holds the
    comparison, while a pass that estimates it adds its own estimate to the list."""
    linker = _linker()
    linker.training.estimate_u_using_random_sampling(max_pairs=5_000, seed=1)
    for name in (FIRST, SURNAME):
        level = _level(linker, name, "exact")
        level._trained_m_probabilities = [{"probability": 0.9, "m_or_u": "m", "description": "test"}]
        level.m_probability = 0.9
    _em(linker)  # blocked on the surname: holds the surname, estimates the first name
    assert _level(linker, SURNAME, "exact").m_probability == 0.9
    first = _level(linker, FIRST, "exact")
    assert len(first._trained_m_probabilities) == 2
    assert first.m_probability == pytest.approx((0.9 + first._trained_m_probabilities[1]["probability"]) / 2)


def test_public_u_write_alone_is_undone_by_the_next_training_step() -> None:
    """Why estimates.fix_probability writes Splink's private list as well as the public u_probability:
    a u set only through the public setter is replaced by the median of the trained list at the next
    step. If this fails, Splink keeps a publicly set u: the private write in estimates.py can go."""
    linker = _linker()
    linker.training.estimate_u_using_random_sampling(max_pairs=5_000, seed=1)
    level = _level(linker, FIRST, "exact")
    sampled = level.u_probability
    assert sampled != FIXED_U
    level.u_probability = FIXED_U
    _em(linker)
    level = _level(linker, FIRST, "exact")
    assert level.u_probability == sampled, (
        "Splink now keeps a u set through the public ComparisonLevel.u_probability across training: "
        "the private _trained_u_probabilities write in accord/linkage/hub/estimates.py can go")


def test_public_route_fix_u_probability_in_the_settings_survives_training() -> None:
    """The public alternative ADR 0013 weighs: a level given `u_probability` and `fix_u_probability`
    in the settings dictionary keeps that u through sampling and EM. It exists only when a Linker is
    built, so using it means rebuilding the linker from the saved model after each estimate."""
    settings = _settings()
    settings["comparisons"][0]["comparison_levels"][1].update(u_probability=FIXED_U, fix_u_probability=True)
    linker = _linker(settings)
    linker.training.estimate_u_using_random_sampling(max_pairs=5_000, seed=1)
    _em(linker)
    saved = linker.misc.save_model_to_json()["comparisons"][0]["comparison_levels"][1]
    assert saved["u_probability"] == FIXED_U
    assert saved["fix_u_probability"] is True
    # There is no public setter to fix a level of a live linker.
    assert not hasattr(ComparisonLevel, "fix_u_probability")
    assert not hasattr(ComparisonLevel, "fix_m_probability")


def test_failed_em_pass_leaves_the_model_cut_and_a_copy_restores_it() -> None:
    """`linker._settings_obj.core_model_settings` `.copy()` and re-assignment: training._Steps.run keeps
    a copy before each step and puts it back when the step fails, because Splink's EM session drops
    the blocked comparisons (and swaps the prior) in the live model and restores it only on success."""
    linker = _linker()
    settings = linker._settings_obj
    model = settings.core_model_settings.copy()  # type: ignore[no-untyped-call]
    assert isinstance(model, CoreModelSettings)
    assert model is not settings.core_model_settings
    assert model.comparisons[0] is not settings.core_model_settings.comparisons[0]  # a deep copy
    with pytest.raises(SplinkException):
        linker.training.estimate_parameters_using_expectation_maximisation(
            "l.surname = r.surname AND l.first_name = 'nobody'", estimate_without_term_frequencies=True)
    # The failed pass left the surname and first name out of the live model, and the prior changed.
    assert settings.comparisons == []
    assert settings.core_model_settings.probability_two_random_records_match != 0.02
    settings.core_model_settings = model
    assert [c.output_column_name for c in linker._settings_obj.comparisons] == [FIRST, SURNAME]
    assert linker._settings_obj.core_model_settings.probability_two_random_records_match == 0.02


def test_prior_is_read_from_the_core_model_settings() -> None:
    """`linker._settings_obj.core_model_settings.probability_two_random_records_match`: training's
    prior step reads it afresh to judge an estimate sound (strictly between 0 and 1). The saved model
    carries the same number (the public route)."""
    linker = _linker()
    linker.training.estimate_probability_two_random_records_match([EM_ON_SURNAME], recall=0.8)
    prior = linker._settings_obj.core_model_settings.probability_two_random_records_match
    assert isinstance(prior, float)
    assert 0.0 < prior < 1.0
    assert prior != 0.02
    assert linker._settings_obj._probability_two_random_records_match == prior
    assert linker.misc.save_model_to_json()["probability_two_random_records_match"] == prior


def test_load_chart_libraries_gives_the_offline_chart_bundles() -> None:
    """report.py embeds Splink's own Vega, Vega-Lite and Vega-Embed bundles so that the report opens
    offline; `splink.internals.html_utils.load_chart_libraries` is where Splink keeps them."""
    from splink.internals.html_utils import load_chart_libraries

    bundles = load_chart_libraries()  # type: ignore[no-untyped-call]
    assert isinstance(bundles, dict) and len(bundles) == 3
    assert all(isinstance(source, str) and len(source) > 10_000 for source in bundles.values())
    assert "vegaEmbed" in "".join(bundles.values())
