"""Rounding of released counts and top/bottom coding of proportions, the last step of a release.

- Rounding to a base b (Rules.rounding_base): the nearest multiple of b, halves up (OpenSAFELY's
  "redact small counts, round the rest to 5" is min_count=8 with rounding_base=5).
- Midpoint-6 (Rules.midpoint_six), OpenSAFELY's `roundmid_any(x, 6)`: 0 stays 0, 1-6 shows 3, 7-12
  shows 9, 13-18 shows 15: every shown value is the middle of the six counts it stands for.
- Top/bottom coding (Rules.percent_top_bottom = t): a mean whose contributions all lie in [0, 1] is a
  proportion; below t it shows t ("< t"), above 1 - t it shows 1 - t ("> 1 - t"), so that "none" and
  "all" of a group are never shown.

Rounding and coding only ever widen what a figure says: they run after suppression and auditing, which
are judged on the exact values (so the guarantees there hold for the rounded release as well).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from accord.disclosure.rules import Rules
from accord.disclosure.table import Contributions, FloatArray


def round_counts(counts: npt.NDArray[np.int64] | FloatArray, rules: Rules) -> FloatArray:
    """The counts as released under `rules` (unchanged when no rounding is set)."""
    values = np.asarray(counts, dtype=np.float64)
    if rules.midpoint_six:
        return np.where(values == 0, 0.0, np.ceil(values / 6) * 6 - 3)
    if rules.rounding_base is not None:
        base = float(rules.rounding_base)
        return np.floor(values / base + 0.5) * base
    return values


def rounding_detail(rules: Rules) -> str:
    if rules.midpoint_six:
        return "midpoint-6 rounding"
    if rules.rounding_base is not None:
        return f"rounded to a multiple of {rules.rounding_base}"
    return ""


def is_proportion(contributions: Contributions) -> bool:
    return contributions.n > 0 and contributions.low >= 0 and contributions.high <= 1


def code_proportion(value: float, rules: Rules) -> tuple[float, str]:
    """(shown value, flag) for a proportion under top/bottom coding; the flag is empty when the value
    shows as it is."""
    t = rules.percent_top_bottom
    if t is None:
        return value, ""
    if value < t:
        return t, f"bottom-coded: < {t:.0%}"
    if value > 1 - t:
        return 1 - t, f"top-coded: > {1 - t:.0%}"
    return value, ""
