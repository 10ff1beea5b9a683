"""Disclosure control of one table of a study: what the analyst may see, cell by cell.

The order of work:
1. primary suppression (`primary.judge`): small counts (with every measure of their row), dominated
   sums and means; zeros and negatives flagged;
2. complementary suppression (`complement.complementary`, an exact MILP, only when step 1 or 3 hid
   something), so that no hidden cell can be recovered from the rest of the table and its margins;
3. query auditing (`audit.find`, when Rules.audit): the table with the study's earlier releases must
   not let a set of fewer than min_count records be counted (bounded within [1, min_count - 1]).
   When it would, the whole table is withheld (withholding only the rows the derivation used let the
   rest of the table, and the notes, still tell a child's value: the study attack suite);
4. rounding of the counts shown, top/bottom coding of proportions.

`Released.parts` keeps how each row's records fall into the audit's atoms, for the history
(`AuditHistory.after`).
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from accord.disclosure.audit import LOWER, SLACK, bounds, find, incidence
from accord.disclosure.complement import complementary, shown_always
from accord.disclosure.history import AuditHistory, Relabel
from accord.disclosure.outcome import CellOutcome, Released, ReleasedRow, Status
from accord.disclosure.primary import BoolArray, judge
from accord.disclosure.rounding import code_proportion, is_proportion, round_counts, rounding_detail
from accord.disclosure.rules import Rules
from accord.disclosure.table import IntArray, Table

NO_PATTERN = ("no suppression pattern (found within the solver's time limit) hides this table's small cells "
              "from its margins")


def control(table: Table, rules: Rules, history: AuditHistory, n_records: int) -> Released:
    table.check()
    judgement = judge(table, rules)
    counts = judgement.counts
    n = len(table.rows)
    refused = ""
    hidden = complementary(table, rules, judgement, np.zeros(n, dtype=bool))
    if hidden is None:
        refused = NO_PATTERN
    elif rules.audit:
        baseline, everyone = history.grown(n_records)
        anything_shown = np.logical_or.reduce([~hidden[m] for m in hidden]) if hidden else np.zeros(n, bool)
        shown = np.flatnonzero(anything_shown & (counts > 0)).tolist()
        trial, relabel = baseline.with_cells(everyone.applied([table.rows[i].parts for i in shown]),
                                             [float(counts[i]) for i in shown])
        if find(trial, rules.min_count, known=_already_known(baseline, trial, relabel, rules)) is not None:
            # The whole table, not the row the derivation used: withholding one row (and its
            # complements) left the rest of the table to tell the child's value, and the row's own
            # note pointed at it (tests/attacks/test_study_attacks.py).
            refused = (f"audit: with the study's earlier releases this table would let a count under "
                       f"{rules.min_count} be derived")
    if refused or hidden is None:
        hidden = {m: ~shown_always(table, rules) for m in table.measure_names()}
    return _release(table, rules, judgement.primary, judgement.details, hidden, refused, n_records)


def _already_known(baseline: AuditHistory, trial: AuditHistory, relabel: Relabel,
                   rules: Rules) -> Callable[[IntArray], bool]:
    """Whether a union of the trial's atoms is one the analyst could bound before this table (from the
    earlier releases and the study's size) and of whose records this table shows nothing: then this
    table adds nothing to it (e.g. the one child who joined the study since the last release, counted
    by the two study sizes, while this table does not cover the child)."""
    touched = set(relabel.new.tolist())
    before = dict(zip(baseline.labels.tolist(), baseline.sizes.tolist(), strict=True))

    def known(atoms: IntArray) -> bool:
        labels = trial.labels[atoms]
        # untouched atoms keep their label; the union must be whole atoms of the baseline
        if any(int(v) in touched or before.get(int(v)) != int(size)
               for v, size in zip(labels, trial.sizes[atoms], strict=True)):
            return False
        c, _ = incidence(baseline)
        union = np.isin(baseline.labels, labels).astype(np.float64)
        low, high = bounds(c, baseline.values, union)
        return bool(low >= LOWER and high <= rules.min_count - SLACK)

    return known


def _release(table: Table, rules: Rules, primary: dict[str, BoolArray], details: dict[str, list[list[str]]],
             hidden: dict[str, BoolArray], refused: str, n_records: int) -> Released:
    counts = table.counts()
    names = table.measure_names()
    rounded = round_counts(counts, rules).tolist()
    rounding = rounding_detail(rules)
    complement_note = refused or "hidden so that a suppressed cell cannot be derived from the margins"
    # plain lists, not numpy scalars: this loop visits every cell of the table
    failed = {name: primary[name].tolist() for name in names}
    covered = {name: hidden[name].tolist() for name in names}
    rows: list[ReleasedRow] = []
    cells: list[CellOutcome] = []
    for i, row in enumerate(table.rows):
        values: dict[str, float | None] = {}
        for name in names:
            m = row.measures[name]
            notes = details[name][i]
            value: float | None = None
            if failed[name][i]:
                status = Status.SUPPRESSED_PRIMARY
            elif covered[name][i]:
                status = Status.SUPPRESSED_COMPLEMENTARY
                notes = [complement_note, *notes]
            elif m.kind == "count":
                value = float(rounded[i])
                status = Status.ROUNDED if rounding else Status.RELEASED
                if rounding:
                    notes = [*notes, rounding]
            else:
                value = None if math.isnan(m.value) else float(m.value)
                status = Status.RELEASED
                if (m.kind == "mean" and value is not None and rules.percent_top_bottom is not None
                        and is_proportion(m.contributions)):
                    value, flag = code_proportion(value, rules)
                    if flag:
                        notes = [*notes, flag]
            values[name] = value
            cells.append(CellOutcome(i, name, status, "; ".join(notes)))
        rows.append(ReleasedRow(row.key, values))
    return Released(table.dims, rows, cells, [r.parts for r in table.rows], n_records)
