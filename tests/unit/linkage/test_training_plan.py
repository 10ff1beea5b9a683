"""The EM passes the hub runs (training_plan.em_passes, ADR 0012 "Later (stop 35)")."""

from __future__ import annotations

from accord.linkage.hub.carried import Carried
from accord.linkage.hub.model import HOUSEHOLD
from accord.linkage.hub.training_plan import em_passes

TOKENS = frozenset({"tok_dob", "tok_dob_first", "tok_dob_postcode", HOUSEHOLD, "first_name", "last_name"})


def _carrying(*columns: str) -> Carried:
    return Carried(frozenset(columns), ())


def test_linking_ends_with_one_date_and_holds_no_name_there() -> None:
    passes = em_passes(_carrying(*TOKENS), linking=True)
    assert [label for label, _ in passes] == ["tok_dob_first", HOUSEHOLD, "tok_dob"]
    # Splink holds fixed every comparison whose columns a block names: the last pass must name the
    # date alone, so that one pass trains the names on a block that holds neither.
    _, rule = passes[-1]
    assert "tok_dob" in rule
    assert not any(name in rule for name in ("first_name", "last_name", "tok_dob_first"))


def test_deduplicating_leaves_the_household_out() -> None:
    labels = [label for label, _ in em_passes(_carrying(*TOKENS), linking=False)]
    assert labels == ["tok_dob_first", "tok_dob"]


def test_only_the_passes_the_files_carry() -> None:
    assert [label for label, _ in em_passes(_carrying(HOUSEHOLD), linking=True)] == [HOUSEHOLD]
    assert em_passes(_carrying("first_name"), linking=False) == []
