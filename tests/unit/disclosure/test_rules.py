"""The rule set of an agreement: defaults, reading it from the agreement, refusing what it cannot be."""

from __future__ import annotations

import pytest

from accord.disclosure import Rules, RuleSetInvalid
from accord.errors import AccordError


def test_the_defaults_are_the_established_ones() -> None:
    r = Rules()
    assert (r.min_count, r.nk, r.p_ratio) == (10, (2, 0.9), 0.1)
    assert r.rounding_base is None and not r.midpoint_six and r.percent_top_bottom is None
    assert r.flag_zeros and r.flag_negatives and r.audit


def test_from_dict_keeps_defaults_for_what_it_omits_and_round_trips() -> None:
    r = Rules.from_dict({"min_count": 11, "rounding_base": 5, "nk": [3, 0.8]})
    assert (r.min_count, r.rounding_base, r.nk, r.p_ratio) == (11, 5, (3, 0.8), 0.1)
    assert Rules.from_dict(r.to_dict()) == r


def test_an_unknown_rule_is_refused_by_name() -> None:
    with pytest.raises(RuleSetInvalid, match="'min_cout'") as caught:
        Rules.from_dict({"min_cout": 5})
    assert isinstance(caught.value, AccordError)


@pytest.mark.parametrize("bad", [
    {"min_count": 0}, {"min_count": 2.5}, {"min_count": True}, {"rounding_base": 1},
    {"rounding_base": 5, "midpoint_six": True}, {"nk": [0, 0.9]}, {"nk": [2, 1.5]}, {"nk": [2]},
    {"p_ratio": -0.1}, {"p_ratio": 1}, {"percent_top_bottom": 0.5}, {"audit": "yes"},
])
def test_values_a_rule_cannot_take_are_refused(bad: dict[str, object]) -> None:
    with pytest.raises(RuleSetInvalid):
        Rules.from_dict(bad)
