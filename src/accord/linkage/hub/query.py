"""Running the hub's own SQL through Splink's backend, typed once here, and the SQL pieces that
score pairs with a comparison's own case statement outside Splink's prediction (salted_u,
exact_u, anchored_m)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from splink import Linker
from splink.internals.comparison import Comparison
from splink.internals.comparison_level import ComparisonLevel


def query_frame(linker: Linker, sql: str) -> Any:
    """The result of `sql` on the linker's backend, as a pandas frame."""
    return linker.misc.query_sql(sql, output_type="pandas")  # type: ignore[no-untyped-call]


def count_rows(linker: Linker, table: str) -> int:
    """The number of rows of one of the linker's tables."""
    return int(query_frame(linker, f"SELECT count(*) AS n FROM {table}")["n"].iloc[0])


def pairs_sharing(linker: Linker, table: str, columns: tuple[str, ...], also_present: tuple[str, ...] = (),
                  where: str = "TRUE") -> int:
    """Pairs of records of `table` sharing every one of `columns` (none of them null, nor any of
    `also_present`) that meet `where` (SQL in `l.` / `r.` naming). Without a condition they are
    counted from the group sizes, without listing a pair."""
    if where != "TRUE":
        on = " AND ".join(f"l.{c} = r.{c}" for c in columns)
        present = "".join(f" AND l.{c} IS NOT NULL AND r.{c} IS NOT NULL" for c in also_present)
        sql = f"""SELECT count(*) AS pairs FROM {table} l JOIN {table} r
                    ON {on} AND l.record_id < r.record_id{present} WHERE {where}"""
        return int(query_frame(linker, sql)["pairs"].iloc[0])
    present = " AND ".join(f"{c} IS NOT NULL" for c in (*columns, *also_present))
    sql = f"""SELECT coalesce(sum(n * (n - 1) / 2), 0) AS pairs FROM (
                SELECT count(*) AS n FROM {table} WHERE {present} GROUP BY {", ".join(columns)}) groups"""
    return int(query_frame(linker, sql)["pairs"].iloc[0])


def scored_levels(comparison: Comparison) -> list[ComparisonLevel]:
    """The comparison's levels that carry m and u (all but the null level), strongest first."""
    return [level for level in comparison.comparison_levels if not level.is_null_level]


def saved_levels(linker: Linker) -> dict[str, list[dict[str, Any]]]:
    """Each comparison's levels that carry m and u, as Splink's public saved model gives them: an
    `m_probability` or `u_probability` key only once that probability was estimated or set."""
    saved = linker.misc.save_model_to_json()
    return {c["output_column_name"]: [lv for lv in c["comparison_levels"] if not lv.get("is_null_level")]
            for c in saved["comparisons"]}


def saved_prior(linker: Linker) -> float:
    """The model's share of matching pairs, from Splink's public saved model."""
    return float(linker.misc.save_model_to_json()["probability_two_random_records_match"])


def comparison_inputs(comparisons: Iterable[Comparison]) -> list[str]:
    """The input columns the comparisons' levels read."""
    return sorted({c.input_name for comparison in comparisons for cl in comparison.comparison_levels
                   for c in cl._input_columns_used_by_sql_condition})


def level_case(comparison: Comparison) -> str:
    """The comparison's CASE expression giving a pair's level, over `<column>_l` / `<column>_r`."""
    return str(comparison._case_statement.rsplit(" as ", 1)[0])


def both_sides(columns: Iterable[str]) -> str:
    """Select list naming each column of a pair's two records as Splink's case statements expect."""
    return ", ".join(f"l.{c} AS {c}_l, r.{c} AS {c}_r" for c in columns)
