"""The differential-privacy terms an agreement sets for a study (issue 19), and the split of a
study's recorded rules into its rule set and those terms (`study_controls`). See `privacy`."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from accord.disclosure.rules import Rules, RuleSetInvalid

Accounting = Literal["rho", "epsilon"]


def _no_keys() -> dict[str, tuple[str, ...]]:
    return {}


@dataclass(frozen=True)
class PrivacyTerms:
    """The agreement's differential-privacy terms for a study: which accounting, the study's total
    budget, each analyst's share (None: the study's total), what one table spends, and each
    groupable dimension's public values."""

    accounting: Accounting
    total: float
    per_table: float
    per_analyst: float | None = None
    keys: dict[str, tuple[str, ...]] = field(default_factory=_no_keys)

    def __post_init__(self) -> None:
        if self.accounting not in ("rho", "epsilon"):
            raise RuleSetInvalid("dp.accounting must be rho (zero-concentrated DP) or epsilon (pure DP)")
        for name in ("total", "per_table") + (("per_analyst",) if self.per_analyst is not None else ()):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value < math.inf:
                raise RuleSetInvalid(f"dp.{name} must be a positive number")
        if self.per_table > self.total:
            raise RuleSetInvalid("dp.per_table cannot exceed dp.total")
        for dim, values in self.keys.items():
            if not values or len(set(values)) != len(values):
                raise RuleSetInvalid(f"dp.keys.{dim} must list distinct values")

    @classmethod
    def from_dict(cls, given: Mapping[str, Any]) -> PrivacyTerms:
        known = {"accounting", "total", "per_table", "per_analyst", "keys"}
        unknown = sorted(set(given) - known)
        if unknown:
            raise RuleSetInvalid(f"unknown differential-privacy term(s) {', '.join(unknown)} "
                                 f"(known: {', '.join(sorted(known))})")
        keys = given.get("keys") or {}
        if not isinstance(keys, Mapping) or not all(isinstance(v, list | tuple) for v in keys.values()):
            raise RuleSetInvalid("dp.keys maps each dimension to the list of its public values")
        try:
            return cls(given["accounting"], given["total"], given["per_table"], given.get("per_analyst"),
                       {str(d): tuple(str(v) for v in vs) for d, vs in keys.items()})
        except KeyError as missing:
            raise RuleSetInvalid(f"dp needs {missing.args[0]}") from None

    def to_dict(self) -> dict[str, Any]:
        return {"accounting": self.accounting, "total": self.total, "per_table": self.per_table,
                "per_analyst": self.per_analyst, "keys": {d: list(v) for d, v in self.keys.items()}}

    def name(self) -> str:
        return "rho" if self.accounting == "rho" else "epsilon"


def study_controls(given: Mapping[str, Any]) -> tuple[Rules, PrivacyTerms | None]:
    """A study's disclosure settings as its agreement records them: the rule set, and under "dp" the
    differential-privacy terms (a study with them answers in DP mode). Refuses what is malformed
    (`categories` too, read by `study_categories`)."""
    study_categories(given)
    rest = {k: v for k, v in given.items() if k not in ("dp", "categories")}
    dp = given.get("dp")
    if dp is not None and not isinstance(dp, Mapping):
        raise RuleSetInvalid("dp holds the differential-privacy terms as an object")
    return Rules.from_dict(rest), (PrivacyTerms.from_dict(dp) if dp is not None else None)


def study_categories(given: Mapping[str, Any]) -> dict[str, tuple[str, ...]]:
    """The values the study declares for some of its dimensions (`"categories": {dim: [values]}`, like
    a codebook): a table grouped by such a dimension lists these, in this order, whatever the
    children hold; a child whose value is not among them is in no row."""
    declared = given.get("categories") or {}
    if not isinstance(declared, Mapping) or not all(isinstance(v, list | tuple) for v in declared.values()):
        raise RuleSetInvalid("categories maps each dimension to the list of its values")
    out = {str(d): tuple(str(v) for v in vs) for d, vs in declared.items()}
    for dim, values in out.items():
        if not values or len(set(values)) != len(values):
            raise RuleSetInvalid(f"categories.{dim} must list distinct values")
    return out
