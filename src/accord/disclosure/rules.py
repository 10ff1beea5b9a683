"""The disclosure-control rule set of one agreement (issue 18): what every aggregate result of a
study must pass before anyone sees it.

The defaults are the established ones: a minimum cell count of 10 (as many state education agencies
publish), N-K dominance (2, 0.9) and the p% rule (0.1) for sums and means, the thresholds `acro` ships
(SACRO's `default.yaml`), zeros and negatives flagged, query auditing on. Rounding is off unless the
agreement asks for it: to a base (OpenSAFELY's redaction of small counts with rounding to 5) or
OpenSAFELY's midpoint-6 rounding.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, fields
from typing import Any

from accord.errors import AccordError


class RuleSetInvalid(AccordError, ValueError):
    """A rule set that names an unknown rule or gives a rule a value it cannot take."""

    code = "rule_set_invalid"


@dataclass(frozen=True)
class Rules:
    """The rules one agreement's studies are held to.

    - `min_count`: a count cell below it is suppressed with every measure of its row (a zero too, unless
      `suppress_zeros` is off).
    - `rounding_base`: released counts are rounded to the nearest multiple of it (halves up).
    - `midpoint_six`: OpenSAFELY's midpoint-6 rounding instead: 0 stays 0, 1-6 shows 3, 7-12 shows 9...
    - `nk`: (n, k): a sum is suppressed when its n largest contributions exceed k of its total.
    - `p_ratio`: a sum is suppressed unless its total minus its two largest contributions exceeds
      p_ratio times the largest (the p% rule: the second largest contributor cannot estimate the largest
      within p%).
    - `percent_top_bottom`: a mean of values within [0, 1] (a proportion) below t shows as "< t", above
      1 - t as "> 1 - t".
    - `suppress_zeros`: an empty cell is suppressed like a small one (the default). Every combination of
      the dimensions' values is listed, empty or not, so a shown zero would say what a missing row used
      to: "no child here", which inside a small group tells every member's value (the attack suite's
      keys channel). False shows zeros: the agreement accepts that channel.
    - `flag_zeros`, `flag_negatives`: shown zero counts and negative contributions are named in the detail.
    - `audit`: every table is checked against every table the study released before.
    - `review`: which releases wait for two reviewers before the analyst sees them (`review`):
      "flagged" (the default: those the rules cannot settle), "all", or "none".

    Dominance is judged on the absolute values of the contributions (a negative contribution dominates
    as much as a positive one of the same size).
    """

    min_count: int = 10
    rounding_base: int | None = None
    midpoint_six: bool = False
    nk: tuple[int, float] = (2, 0.9)
    p_ratio: float = 0.1
    percent_top_bottom: float | None = None
    suppress_zeros: bool = True
    flag_zeros: bool = True
    flag_negatives: bool = True
    audit: bool = True
    review: str = "flagged"

    def __post_init__(self) -> None:
        if isinstance(self.min_count, bool) or not isinstance(self.min_count, int) or self.min_count < 1:
            raise RuleSetInvalid("min_count must be a whole number of at least 1")
        if self.rounding_base is not None and (
                isinstance(self.rounding_base, bool) or not isinstance(self.rounding_base, int)
                or self.rounding_base < 2):
            raise RuleSetInvalid("rounding_base must be a whole number of at least 2, or absent")
        if self.midpoint_six and self.rounding_base is not None:
            raise RuleSetInvalid("rounding_base and midpoint_six are two roundings: choose one")
        n, k = self.nk
        if isinstance(n, bool) or not isinstance(n, int) or n < 1 or not _number(k) or not 0 < k <= 1:
            raise RuleSetInvalid("nk must be (n, k) with n a whole number >= 1 and 0 < k <= 1")
        if not _number(self.p_ratio) or not 0 <= self.p_ratio < 1:
            raise RuleSetInvalid("p_ratio must be a number in [0, 1)")
        if self.percent_top_bottom is not None and (
                not _number(self.percent_top_bottom) or not 0 < self.percent_top_bottom < 0.5):
            raise RuleSetInvalid("percent_top_bottom must be a number in (0, 0.5), or absent")
        if self.review not in ("flagged", "all", "none"):
            raise RuleSetInvalid("review must be flagged, all or none")
        for name in ("midpoint_six", "suppress_zeros", "flag_zeros", "flag_negatives", "audit"):
            if not isinstance(getattr(self, name), bool):
                raise RuleSetInvalid(f"{name} must be true or false")

    @property
    def top_needed(self) -> int:
        """How many of a sum's largest contributions the dominance rules read."""
        return max(self.nk[0], 2)

    @classmethod
    def from_dict(cls, given: dict[str, Any]) -> Rules:
        """The rules an agreement records, e.g. `{"min_count": 11, "rounding_base": 5}`; a rule left
        out keeps its default. An unknown key is refused by name (a misspelt rule must not fall back to
        a weaker default)."""
        known = {f.name for f in fields(cls)}
        for key in given:
            if key not in known:
                raise RuleSetInvalid(f"unknown disclosure rule {key!r} (known: {', '.join(sorted(known))})")
        values = dict(given)
        if "nk" in values:
            nk = values["nk"]
            if not isinstance(nk, list | tuple) or len(nk) != 2:
                raise RuleSetInvalid("nk must be (n, k) with n a whole number >= 1 and 0 < k <= 1")
            values["nk"] = (nk[0], nk[1])
        return cls(**values)

    def to_dict(self) -> dict[str, Any]:
        """The rules as plain values, `from_dict`'s inverse (for the agreement and the ledger)."""
        out = {f.name: getattr(self, f.name) for f in fields(self)}
        out["nk"] = list(self.nk)
        return out


def _number(value: object) -> bool:
    return (isinstance(value, int | float) and not isinstance(value, bool)
            and math.isfinite(float(value)))
