"""u-probabilities of levels that are equalities of tokens, counted exactly rather than sampled.

Every level of the date-of-birth comparison is an equality of keyed tokens, so how many pairs of
different children within one file fall in each level follows from the sizes of the groups of
equal tokens.
Random sampling cannot measure the levels that also require both name codes or one household:
one pair in tens of millions reaches them, a million sampled pairs see none, and the level is then
priced at one in a million, twenty times too common, which cost every child with day and month
transposed their link.

Within one file, with C(t) the pairs sharing token t and E the pairs sharing the date and both
name codes (tok_dob and tok_swapped_names):
- exact: C(tok_dob);
- day and month swapped, with the name codes: C(tok_swapped_names) - E (same date: exact);
- day and month swapped: C(tok_dob_swapped) - exact - the level above (those tokens' pairs include
  both);
- two of three parts, in one household: counted on the pairs of each household, which are few
  (brothers and sisters), by the comparison's own SQL, and priced among the pairs of one household
  (with a date on both sides), not among all pairs: the household comparison already counts "one
  household" for the same pairs, and pricing the level among all pairs counted it twice, so that
  brothers and sisters whose dates share two parts looked like one child (deduplicating 20,000
  synthetic students: precision 0.79 that way, 0.99 this way);
- different: the rest of the pairs with a date on both sides.

The shared identifier's exact level is counted the same way: C(tok_national_id) pairs of the pairs
with an identifier on both sides, nearly none, where sampling put the floor at one in a million and
so capped the weight of two equal identifiers below that of a replaced birth date and a move.

When the file is being deduplicated, the pairs of every level but "different" are counted among
those no other field ties together (`untie`, ties.py); otherwise those pairs are its duplicates.
"""

from __future__ import annotations

from splink import Linker
from splink.internals.comparison import Comparison
from splink.internals.comparison_level import ComparisonLevel
from splink.internals.splink_dataframe import SplinkDataFrame

from accord.linkage.hub.estimates import fix_probability
from accord.linkage.hub.model import HOUSEHOLD
from accord.linkage.hub.query import (
    both_sides,
    comparison_inputs,
    level_case,
    pairs_sharing,
    query_frame,
    scored_levels,
)
from accord.linkage.hub.ties import Untie, counting_all

HOME_LEVEL = 3  # the date comparison's "two of three parts equal, in one household" (model.py)
DATE_TIES_LEFT_OUT = ("date_of_birth",)  # the household is no tie (ties.py), so this serves its level too


def _present(linker: Linker, table: str, column: str) -> int:
    """Records of `table` with a value in `column`."""
    return int(query_frame(linker, f"SELECT count({column}) AS n FROM {table}")["n"].iloc[0])


def _household_pairs_at(linker: Linker, table: str, comparison: Comparison, gamma: int, where: str) -> int:
    """Pairs of one household within `table`, meeting `where`, whose date comparison lands at level
    `gamma`."""
    sql = f"""SELECT count(*) AS pairs FROM (
                SELECT {both_sides(comparison_inputs([comparison]))} FROM {table} l JOIN {table} r
                  ON l.{HOUSEHOLD} = r.{HOUSEHOLD} AND l.record_id < r.record_id WHERE {where}) pairs
              WHERE {level_case(comparison)} = {gamma}"""
    return int(query_frame(linker, sql)["pairs"].iloc[0])


def date_level_pairs(linker: Linker, table: str, comparison: Comparison, untie: Untie = counting_all
                     ) -> list[int]:
    """Within-file pairs per non-null level of the date comparison, strongest level first."""
    where = untie(DATE_TIES_LEFT_OUT)
    exact = pairs_sharing(linker, table, ("tok_dob",), where=where)
    same_date_and_names = pairs_sharing(linker, table, ("tok_dob", "tok_swapped_names"), where=where)
    swapped_names = pairs_sharing(linker, table, ("tok_swapped_names",), where=where) - same_date_and_names
    swapped = pairs_sharing(linker, table, ("tok_dob_swapped",), where=where) - exact - swapped_names
    home_level = scored_levels(comparison)[HOME_LEVEL]
    at_home = _household_pairs_at(linker, table, comparison, int(home_level.comparison_vector_value), where)
    dated = _present(linker, table, "tok_dob")
    counted = [exact, swapped_names, swapped, at_home]
    return [*counted, dated * (dated - 1) // 2 - sum(counted)]


def _comparison(linker: Linker, name: str) -> Comparison:
    return next(c for c in linker._settings_obj.comparisons if c.output_column_name == name)


def _set_u(level: ComparisonLevel, pairs: int, total: int) -> None:
    # Half a pair where none was counted: rare, not impossible.
    fix_probability(level, "u", max(pairs, 0.5) / total, "pairs counted exactly within each file")


def estimate_date_u(linker: Linker, inputs: list[SplinkDataFrame], comparison_name: str,
                    untie: Untie = counting_all) -> None:
    """Set u for every non-null level of the date comparison from the exact within-file counts,
    pooled over the files, of the pairs `untie` lets count."""
    comparison = _comparison(linker, comparison_name)
    levels = scored_levels(comparison)
    counts = [0] * len(levels)
    for frame in inputs:
        per_level = date_level_pairs(linker, frame.physical_name, comparison, untie)
        if len(per_level) != len(levels):
            raise ValueError(f"{comparison_name} has {len(levels)} levels, not {len(per_level)}")
        counts = [a + b for a, b in zip(counts, per_level, strict=True)]
    total = sum(counts)
    # The household level is priced among the pairs of one household (see above).
    households = sum(pairs_sharing(linker, frame.physical_name, (HOUSEHOLD,), also_present=("tok_dob",),
                                   where=untie(DATE_TIES_LEFT_OUT)) for frame in inputs)
    for i, (level, n) in enumerate(zip(levels, counts, strict=True)):
        among = households if i == HOME_LEVEL else total
        if among:
            _set_u(level, n, among)


def estimate_identifier_u(linker: Linker, inputs: list[SplinkDataFrame], comparison_name: str,
                          token: str, untie: Untie = counting_all) -> None:
    """Set u of the identifier comparison's exact level (its first) from the within-file pairs
    sharing `token` that `untie` lets count, pooled over the files; its other levels keep their
    sampled u."""
    shared = present = 0
    for frame in inputs:
        shared += pairs_sharing(linker, frame.physical_name, (token,), where=untie((comparison_name,)))
        n = _present(linker, frame.physical_name, token)
        present += n * (n - 1) // 2
    if present:
        _set_u(scored_levels(_comparison(linker, comparison_name))[0], shared, present)
