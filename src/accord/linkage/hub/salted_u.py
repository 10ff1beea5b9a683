"""u-probabilities for comparisons of salted filters, which only mean something within one salt.

First name, middle name and street filters are salted with the full date of birth, the last name
with the date and the first-name code, and first_name_home with the household; a pair is compared
on them only when both records share the salt (otherwise it falls in the null level). Random pairs
rarely share a salt, so Splink's random sampling sees too few of them to estimate these levels'
u-probabilities. They are estimated instead from pairs of different records within one file that
share the salt's sampling token (`tok_dob_pair`, `tok_dob_first`, the household), which are almost
all non-matches (twins, classmates, brothers and sisters): the population these levels are
actually applied to. When the file is being deduplicated, they are counted among the pairs no
other field ties together (ties.py)."""

from __future__ import annotations

from collections import Counter, defaultdict

from splink import Linker
from splink.internals.comparison import Comparison
from splink.internals.splink_dataframe import SplinkDataFrame

from accord.linkage.hub.estimates import fix_from_counts
from accord.linkage.hub.query import both_sides, comparison_inputs, level_case, pairs_sharing, query_frame
from accord.linkage.hub.ties import Untie, counting_all

MAX_PAIRS = 500_000


def salted_comparisons(linker: Linker, sampling_tokens: dict[str, str]) -> list[tuple[Comparison, str]]:
    """The comparisons named in `sampling_tokens` (output column -> token), with their token."""
    return [(c, sampling_tokens[c.output_column_name]) for c in linker._settings_obj.comparisons
            if c.output_column_name in sampling_tokens]


def _pairs_sql(table: str, token: str, columns: list[str], cases: list[str], counted: list[str],
               modulus: int) -> str:
    """Each pair's level of every comparison (g<i>) and whether it counts for that comparison (c<i>)."""
    gammas = ", ".join(f"{case} AS g{i}, c{i}" for i, case in enumerate(cases))
    flags = ", ".join(f"{condition} AS c{i}" for i, condition in enumerate(counted))
    return f"""
        SELECT {gammas} FROM (
            SELECT {both_sides(columns)}, {flags} FROM {table} l JOIN {table} r
              ON l.{token} = r.{token} AND l.record_id < r.record_id
            WHERE abs(l.{token} % {modulus}) = 0
        ) pairs"""


def estimate_salted_u(linker: Linker, inputs: list[SplinkDataFrame], sampling_tokens: dict[str, str],
                      untie: Untie = counting_all) -> None:
    """Set u for every non-null level of the salted comparisons, from within-file same-salt pairs
    that `untie` lets count for that comparison (ties.py: all of them unless deduplicating).

    Comparisons sampled on the same token are scored together, in one query per file."""
    by_token: dict[str, list[Comparison]] = defaultdict(list)
    for comparison, token in salted_comparisons(linker, sampling_tokens):
        by_token[token].append(comparison)
    for token, comparisons in by_token.items():
        columns = comparison_inputs(comparisons)
        cases = [level_case(comparison) for comparison in comparisons]
        conditions = [untie((comparison.output_column_name,)) for comparison in comparisons]
        counts: list[Counter[int]] = [Counter() for _ in comparisons]
        for frame in inputs:
            modulus = max(1, pairs_sharing(linker, frame.physical_name, (token,)) // MAX_PAIRS)
            gammas = query_frame(linker, _pairs_sql(frame.physical_name, token, columns, cases, conditions,
                                                    modulus))
            for i, tally in enumerate(counts):
                kept = gammas.loc[gammas[f"c{i}"].astype(bool), f"g{i}"]
                tally.update({int(g): int(n) for g, n in kept.value_counts().items()})
        for comparison, tally in zip(comparisons, counts, strict=True):
            fix_from_counts(comparison, tally, "u", f"pairs sharing {token} within each file")
