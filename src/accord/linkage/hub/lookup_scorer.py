"""Scoring a requested child against a roster with the saved model's weights, without Splink's SQL.

Splink builds a prediction's SQL anew on every call (sqlglot rewrites every level's condition):
about 0.5 s for one record, and 0.9 s more to build its `Linker`; handing DuckDB the model's
conditions directly still costs 0.1 s of planning. A case request scores one child against a few
roster records, so a `LookupScorer` asks Splink once, when it is built, what each level weighs (the
public match-weights chart: every level's log2 Bayes factor and u, untrained levels at Splink's
defaults included, and the prior's), and evaluates the model's own conditions in Python
(`sql_eval`) over the roster held in memory, with a sorted index per blocking token.

It scores as Splink's prediction does (ADR 0013):
- a pair is compared when any blocking rule holds for it (Splink's rules leave out pairs an earlier
  rule found, which changes which rule found a pair, never the pair's score);
- a comparison's level is the first whose condition holds; a null level weighs nothing;
- a level with a term-frequency adjustment adds `w * (log2(u of its exact level) - log2(tf))`, tf
  being the value's share among the non-null values of the roster and the request together;
- a pair's weight is the prior's plus the levels'; it is kept at 0 or more (probability 0.5).
`tests/workflows/test_lookup_scorer.py` compares it with Splink's `predict_between` on the same
files, pair for pair, so that a change in Splink's semantics fails a test rather than drifting.
"""

from __future__ import annotations

import json
import logging
import math
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from splink import Linker

from accord.linkage.hub.backends import DuckDBBackend
from accord.linkage.hub.encoded import EncodedLayout, common_layout, open_encoded
from accord.linkage.hub.held_roster import HeldRoster, RosterPair
from accord.linkage.hub.roster_store import roster_size
from accord.linkage.hub.sql_eval import Evaluate, compile_condition, equality_column

PRIOR = "probability_two_random_records_match"


def _weights(roster: Path, layout: EncodedLayout, settings: dict[str, Any]
             ) -> tuple[float, dict[tuple[str, str], tuple[float, float]]]:
    """The prior's match weight and, per (comparison, level condition) of every level that is not
    null, its match weight and u, as Splink's public chart of the model gives them (a linker over
    the roster and an empty table of its shape: the chart reads only the model)."""
    backend = DuckDBBackend(threads=1)
    try:
        known = backend.load(roster, "roster", layout)
        backend.execute("CREATE TABLE asked_input AS SELECT * FROM roster_input LIMIT 0")
        asked = backend.db_api.register("asked_input", dataset_display_name="asked")
        linker = Linker([known, asked], settings, log_level=logging.ERROR)
        rows = linker.visualisations.match_weights_chart().chart_dict["data"]["values"]
    finally:
        backend.close()
    prior = next(float(r["log2_bayes_factor"]) for r in rows if r["comparison_name"] == PRIOR)
    return prior, {(r["comparison_name"], r["sql_condition"]):
                   (float(r["log2_bayes_factor"]), float(r["u_probability"] or 0.0))
                   for r in rows if r["comparison_name"] != PRIOR}


@dataclass(frozen=True, slots=True)
class _Level:
    condition: Evaluate | None  # None: the ELSE level
    weight: float  # 0 for a null level
    tf_column: str | None = None  # adjusted by this token's term frequency
    tf_scale: float = 0.0
    log2_exact_u: float = 0.0


def _tf_column(level: dict[str, Any]) -> str | None:
    """The token a level adjusts by term frequency; only an exact level on it is understood."""
    column = level.get("tf_adjustment_column")
    if column is None or not level.get("tf_adjustment_weight", 1.0):
        return None
    if level["sql_condition"] != f"{column}_l = {column}_r" or level.get("tf_minimum_u_value"):
        raise ValueError(f"lookup scorer: term-frequency level {level['sql_condition']!r} is not an exact "
                         "level on its own column")
    return str(column)


def _levels(comparison: dict[str, Any], weights: dict[tuple[str, str], tuple[float, float]]) -> list[_Level]:
    found = []
    for level in comparison["comparison_levels"]:
        sql = level["sql_condition"]
        condition = None if sql == "ELSE" else compile_condition(sql)
        if level.get("is_null_level"):
            found.append(_Level(condition, 0.0))
            continue
        weight, u = weights[(comparison["output_column_name"], sql)]
        column = _tf_column(level)
        found.append(_Level(condition, weight, column, float(level.get("tf_adjustment_weight", 1.0)),
                            math.log2(u) if column else 0.0))
    return found


def _asked_records(path: Path, roster: Path, layout: EncodedLayout) -> list[dict[str, Any]]:
    """The asked file's records, each with its filters' set-bit counts as the roster has them; an
    error if the file was not encoded like the roster (same key and settings)."""
    with open_encoded(path) as (asked, asked_layout):
        if asked_layout != layout:
            common_layout([roster, path])  # refuses, naming what differs
        records: list[dict[str, Any]] = asked.read(use_threads=False).to_pylist()
    for record in records:
        for field in layout.bloom_fields:
            words = [record[f"{field}_bf_{i}"] for i in range(layout.words)]
            record[f"{field}_pop"] = (0 if any(w is None for w in words)
                                      else sum((w & ((1 << 64) - 1)).bit_count() for w in words))
    return records


class LookupScorer:
    """One roster and its lookup model, loaded once; `candidates` scores an asked file against them."""

    def __init__(self, roster: Path, model: Path) -> None:
        self.roster = roster
        self.layout: EncodedLayout = common_layout([roster])
        settings = json.loads(model.read_text(encoding="utf-8"))
        # The request names one child, who is at most one of the roster's records.
        settings[PRIOR] = 1 / max(roster_size(roster), 1)
        self._prior, weights = _weights(roster, self.layout, settings)
        self._comparisons = [_levels(c, weights) for c in settings["comparisons"]]
        self._rules: list[tuple[str, Evaluate]] = []
        for rule in (r["blocking_rule"] for r in settings["blocking_rules_to_generate_predictions"]):
            column = equality_column(rule)
            if column is None:
                raise ValueError(f"lookup scorer: blocking rule without an equal token: {rule[:80]!r}")
            self._rules.append((column, compile_condition(rule)))
        self._tf_columns = sorted({lv.tf_column for levels in self._comparisons for lv in levels
                                   if lv.tf_column})
        self._roster = HeldRoster(roster, self.layout, {c for c, _ in self._rules} | set(self._tf_columns))

    def _blocked(self, asked: dict[str, Any]) -> set[int]:
        rows: set[int] = set()
        for column, rule in self._rules:
            if asked[column] is not None:
                rows.update(int(row) for row in self._roster.equal(column, asked[column])
                            if rule(RosterPair(self._roster, int(row), asked)) is True)
        return rows

    def _weight(self, pair: RosterPair, asked: dict[str, Any], shares: dict[str, dict[int, float]]) -> float:
        total = self._prior
        for levels in self._comparisons:
            level = next(lv for lv in levels if lv.condition is None or lv.condition(pair) is True)
            total += level.weight
            if level.tf_column and (share := shares[level.tf_column].get(asked[level.tf_column])):
                total += level.tf_scale * (level.log2_exact_u - math.log2(share))
        return total

    def _shares(self, records: list[dict[str, Any]]) -> dict[str, dict[int, float]]:
        """Each asked value's share of the non-null values of roster and request together."""
        shares = {}
        for column in self._tf_columns:
            asked = Counter(r[column] for r in records if r[column] is not None)
            total = self._roster.non_null(column) + sum(asked.values())
            shares[column] = {v: (len(self._roster.equal(column, v)) + n) / total for v, n in asked.items()}
        return shares

    def candidates(self, query: Path) -> Iterator[tuple[str, str, float]]:
        """(asked record, roster record, match weight) of every pair of weight 0 or more, the asked
        records in order and each one's roster records highest first."""
        records = _asked_records(query, self.roster, self.layout)
        shares = self._shares(records)
        for asked in sorted(records, key=lambda r: str(r["record_id"])):
            pairs = ((RosterPair(self._roster, row, asked), self._roster.record_ids[row])
                     for row in self._blocked(asked))
            scored = [(self._weight(pair, asked, shares), known) for pair, known in pairs]
            for weight, known in sorted(scored, key=lambda s: (-s[0], s[1])):
                if weight >= 0:
                    yield str(asked["record_id"]), known, weight
