"""Which releases wait for human review (issue 19): those the rules cannot settle, or every release
where the agreement says so (Rules.review).

What the rules cannot settle, under "flagged":
- a sum or mean with a dominant contributor: the rules hide it, but whether the rest of the table
  still says too much about that contributor is a judgement (the n,k and p% notes name it);
- a table with many small cells: more than SMALL_SHARE of its counts under the minimum, where the
  pattern of what is hidden can itself tell (and the table says little);
- the first release of a new kind: the first table grouped by this set of dimensions in the study.
"""

from __future__ import annotations

from accord.disclosure.outcome import Released, Status
from accord.disclosure.rules import Rules

SMALL_SHARE = 0.5


def review_reasons(released: Released, rules: Rules, first_of_kind: bool) -> list[str]:
    """Why this release waits for two reviewers; empty when it need not."""
    if rules.review == "none":
        return []
    if rules.review == "all":
        return ["the agreement sends every release to review"]
    reasons = []
    if any(("dominance" in c.detail or "p% rule" in c.detail) for c in released.cells):
        reasons.append("a sum or mean has a dominant contributor")
    counts = [c for c in released.cells if c.measure == "count"]
    small = sum(1 for c in counts if c.status is Status.SUPPRESSED_PRIMARY)
    if counts and small / len(counts) > SMALL_SHARE:
        reasons.append(f"{small} of {len(counts)} counts are under the minimum")
    if first_of_kind:
        reasons.append("the first table of its kind in the study (grouped by these dimensions)")
    return reasons
