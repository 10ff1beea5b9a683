"""An analyst's question to a study, as a specification: never SQL (issue 18).

    {"measures": ["count", "mean:attendance_rate"], "group_by": ["grade", "snap"],
     "filters": [{"dim": "school", "op": "eq", "value": "255901001"}]}

Checked against the study's catalog (`parse_spec`); its groups become the engine's table
(`table_of`), and a release becomes the answer the analyst sees (`result`): rows with null where a
figure is withheld, and each cell's status, error (a noised cell's 95% half-width) and note.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from typing import Any

from accord.disclosure.outcome import Released
from accord.disclosure.table import Contributions, Measure, Parts, Row, Table
from accord.domain.studies import Study, StudyError
from accord.store.study_tables import Filter, GroupedCell

AGGREGATES = ("count", "sum", "mean")
OPERATORS = ("eq", "neq", "in", "not_in", "between")
# Every combination of the grouped dimensions' values is listed (empty ones too, so that a row's
# presence says nothing); past this many the question is refused at once rather than left to time out.
# The complementary search checks each hidden cell by an LP: measured (ADR 0024), a table of 1,998
# cells all hidden took 66 s, one of 3,600 reached the solver's 120 s limit.
MAX_CELLS = 2_000


@dataclass(frozen=True, slots=True)
class QuerySpec:
    measures: tuple[tuple[str, str], ...]  # (aggregate, column); ("count", "") for the count
    group_by: tuple[str, ...]
    filters: tuple[Filter, ...]

    def as_json(self) -> dict[str, Any]:
        return {"measures": [a if not c else f"{a}:{c}" for a, c in self.measures],
                "group_by": list(self.group_by),
                "filters": [{"dim": f.dim, "op": f.op, "values": list(f.values)} for f in self.filters]}


def bad_spec(source: str, text: str) -> StudyError:
    return StudyError(f"{source}: {text}")


def parse_spec(data: Any, study: Study, source: str) -> QuerySpec:
    """The specification, checked against the study's catalog; one line naming what is wrong."""
    if not isinstance(data, dict) or set(data) - {"measures", "group_by", "filters"}:
        raise bad_spec(source, "a query is an object with measures, group_by and filters only").coded(
            "not_a_query")
    measures = []
    for text in data.get("measures") or []:
        aggregate, _, column = str(text).partition(":")
        if aggregate not in AGGREGATES or (aggregate == "count") != (column == ""):
            raise bad_spec(source, f"measure {text!r}: write count, sum:COLUMN or mean:COLUMN").coded(
                "measure_form", measure=str(text))
        if column and column not in study.measures:
            raise bad_spec(source, f"measure {text!r}: {column} is not among the study's measures "
                       f"({', '.join(study.measures) or 'none'})").coded("not_a_study_measure", column=column)
        measures.append((aggregate, column))
    if not measures:
        raise bad_spec(source, "name at least one measure").coded("no_measure")
    group_by = tuple(str(d) for d in data.get("group_by") or [])
    for dim in (*group_by, *(str(f.get("dim")) for f in data.get("filters") or [] if isinstance(f, dict))):
        if dim not in study.dimensions:
            raise bad_spec(source, f"dimension {dim!r} is not in the study's catalog "
                       f"({', '.join(study.dimensions)})").coded("not_in_catalog", dimension=dim)
    return QuerySpec(tuple(measures), group_by, tuple(_filter(f, source) for f in data.get("filters") or []))


def _filter(f: Any, source: str) -> Filter:
    if not isinstance(f, dict) or f.get("op") not in OPERATORS:
        raise bad_spec(source, f"filter {f!r}: give dim, op ({', '.join(OPERATORS)}) and value or values"
                       ).coded("filter_malformed")
    values = f.get("values", [f.get("value")] if "value" in f else [])
    if not isinstance(values, list) or not values or any(v is None for v in values):
        raise bad_spec(source, f"filter on {f.get('dim')}: give value, or values as a list").coded(
            "filter_value_needed", dimension=str(f.get("dim")))
    wanted = {"eq": 1, "neq": 1, "between": 2}.get(str(f["op"]))
    if wanted is not None and len(values) != wanted:
        raise bad_spec(source, f"filter on {f.get('dim')}: {f['op']} takes {wanted} value(s)").coded(
            "filter_value_count", dimension=str(f.get("dim")), operator=str(f["op"]), wanted=str(wanted))
    return Filter(str(f["dim"]), str(f["op"]), tuple(str(v) for v in values))


def check_size(listed: list[list[str]], spec: QuerySpec, source: str) -> None:
    size = math.prod(len(values) for values in listed)
    if size > MAX_CELLS:
        raise bad_spec(source, f"the table would list {size:,} cells (every combination of "
                       f"{', '.join(spec.group_by)}); at most {MAX_CELLS:,}: group by fewer dimensions, or "
                       "filter their values").coded("too_many_cells", cells=f"{size:,}",
                                                    most=f"{MAX_CELLS:,}")


def narrowed(values: list[str] | tuple[str, ...], filters: tuple[Filter, ...], dim: str) -> list[str]:
    """`values` of `dim` that the question's own filters on `dim` keep (compared as text, as the
    study table's columns are)."""
    kept = list(values)
    for f in filters:
        if f.dim != dim:
            continue
        if f.op == "eq":
            kept = [v for v in kept if v == f.values[0]]
        elif f.op == "neq":
            kept = [v for v in kept if v != f.values[0]]
        elif f.op == "in":
            kept = [v for v in kept if v in f.values]
        elif f.op == "not_in":
            kept = [v for v in kept if v not in f.values]
        else:
            kept = [v for v in kept if f.values[0] <= v <= f.values[1]]
    return kept


def table_of(spec: QuerySpec, cells: list[GroupedCell]) -> Table:
    """The engine's view of a question's groups: per row its key, its parts of the audit's atoms and
    its measures."""
    rows = []
    for cell in cells:
        parts = Parts(cell.labels, cell.counts, cell.total)
        measures: dict[str, Measure] = {}
        for aggregate, column in spec.measures:
            name = aggregate if not column else f"{aggregate}:{column}"
            if aggregate == "count":
                measures[name] = Measure("count", float(parts.total))
                continue
            m = cell.values[column]
            contributions = Contributions(m.n, m.size, m.top, m.low, m.high)
            value = m.total if aggregate == "sum" else (m.total / m.n if m.n else float("nan"))
            measures[name] = Measure("sum" if aggregate == "sum" else "mean", value, contributions)
        rows.append(Row(cell.key, parts, measures))
    return Table(spec.group_by, rows)


def _plain(value: float | None) -> float | None:
    """A released value as JSON holds it: a value no rows give (a mean of nothing) is null."""
    return None if value is None or math.isnan(value) else value


def result_of(spec: QuerySpec, released: Released) -> dict[str, Any]:
    rows = [{**dict(zip(spec.group_by, row.key, strict=True)),
             **{m: _plain(v) for m, v in row.values.items()}} for row in released.rows]
    cells = [{"row": c.row, "measure": c.measure, "status": c.status.value, "error": c.error,
              "detail": c.detail} for c in released.cells]
    return {"rows": rows, "cells": cells}


def spec_from_text(text: str, source: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as err:
        raise StudyError(f"{source}: not valid JSON (line {err.lineno}, column {err.colno})") from None
