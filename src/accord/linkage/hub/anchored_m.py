"""m-probabilities of the date-of-birth comparison, from pairs that are one child by other evidence.

EM learns how often one child's birth date is recorded differently in two files only if, in some
pass, such pairs carry other evidence that they are one child. Between different dates the salted
name filters do not compare, and no token holds names without the whole date (ADR 0008): in the
household pass, where different dates are mostly brothers and sisters, EM filed every such pair
under "different people" and set the m of "different dates" to Splink's floor of one in a million
(measured while v4 was built), so a child whose date was mistyped could no longer be linked even
in its own household.

The anchor is instead a block that does not look at the date: one household (street and ZIP) and
one first name (the household-salted first-name filters agree at Dice >= 0.92). Brothers and
sisters differ in first name, so its pairs are one child recorded twice, and the spread of their
date comparison levels is the m of each level. Children who moved are not in it; how often a
date is mistyped does not depend on moving.
"""

from __future__ import annotations

from collections import Counter

from splink import Linker
from splink.internals.splink_dataframe import SplinkDataFrame

from accord.linkage.hub.estimates import fix_from_counts
from accord.linkage.hub.query import both_sides, comparison_inputs, level_case, query_frame


def _anchor_pairs_sql(left: str, right: str, columns: list[str], cases: list[str], anchor: str,
                      same_file: bool) -> str:
    gammas = ", ".join(f"g{i}" for i in range(len(cases)))
    levels = ", ".join(f"{case} AS g{i}" for i, case in enumerate(cases))
    distinct = " AND l.record_id < r.record_id" if same_file else ""
    return f"""
        SELECT {gammas}, count(*) AS pairs FROM (
            SELECT {levels} FROM (
                SELECT {both_sides(columns)} FROM {left} l JOIN {right} r ON {anchor}{distinct}
            ) anchored
        ) levels GROUP BY {gammas}"""


def estimate_anchored_m(linker: Linker, inputs: list[SplinkDataFrame], comparison_names: tuple[str, ...],
                        anchor: str) -> int:
    """Set m for every non-null level of the comparisons named from the pairs the SQL join condition
    `anchor` (in `l.` / `r.` naming) selects: across the files when linking, within the file when
    deduplicating. Returns the number of anchored pairs (none: m is left as it was)."""
    comparisons = [c for c in linker._settings_obj.comparisons if c.output_column_name in comparison_names]
    columns = comparison_inputs(comparisons)
    cases = [level_case(comparison) for comparison in comparisons]
    sides = [(inputs[0], inputs[0])] if len(inputs) == 1 else [
        (a, b) for i, a in enumerate(inputs) for b in inputs[i + 1:]]
    counts: list[Counter[int]] = [Counter() for _ in comparisons]
    anchored = 0
    for left, right in sides:
        frame = query_frame(linker, _anchor_pairs_sql(left.physical_name, right.physical_name, columns, cases,
                                                      anchor, same_file=left is right))
        anchored += int(frame["pairs"].sum())
        for i, tally in enumerate(counts):
            tally.update({int(g): int(n) for g, n in frame.groupby(f"g{i}")["pairs"].sum().items()})
    if anchored:
        for comparison, tally in zip(comparisons, counts, strict=True):
            fix_from_counts(comparison, tally, "m", "one household and one first name")
    return anchored
