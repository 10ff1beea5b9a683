"""An analyst's question to a study: a declarative specification, never SQL (issue 18).

    {"measures": ["count", "mean:attendance_rate"], "group_by": ["grade", "snap"],
     "filters": [{"dim": "school", "op": "eq", "value": "255901001"}]}

The specification is checked against the study's catalog, run on its table, and the result goes
through disclosure control (accord.disclosure) before anyone sees it: small cells suppressed,
with complementary suppression and the audit against everything the study released before,
rounding, dominance. The release, its cells' outcomes and the released table's hash are written
to the ledger, and the audit's record of what was released is kept with the study, in the same
transaction: nothing is shown that is not recorded.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from accord.disclosure.control import control
from accord.disclosure.outcome import Released
from accord.disclosure.rules import Rules
from accord.disclosure.table import Contributions, Measure, Parts, Row, Table
from accord.domain.studies import Study, StudyError
from accord.ledger.entries import canonical_json
from accord.ledger.study_events import release_draft
from accord.policy.studies import study_decision
from accord.store.repositories import studies as repo
from accord.store.study_tables import Filter, GroupedCell, domains, grouped
from accord.workflows.hub_files import HubFiles
from accord.workflows.ledger import record
from accord.workflows.research import require_study
from accord.workflows.study_audit import current_history
from accord.workflows.study_facts import study_facts

AGGREGATES = ("count", "sum", "mean")
OPERATORS = ("eq", "neq", "in", "not_in", "between")
# Every combination of the grouped dimensions' values is listed (empty ones too, so that a row's
# presence says nothing); past this many the question is refused rather than left to time out.
MAX_CELLS = 5_000


@dataclass(frozen=True, slots=True)
class QuerySpec:
    measures: tuple[tuple[str, str], ...]  # (aggregate, column); ("count", "") for the count
    group_by: tuple[str, ...]
    filters: tuple[Filter, ...]

    def as_json(self) -> dict[str, Any]:
        return {"measures": [a if not c else f"{a}:{c}" for a, c in self.measures],
                "group_by": list(self.group_by),
                "filters": [{"dim": f.dim, "op": f.op, "values": list(f.values)} for f in self.filters]}


@dataclass(frozen=True, slots=True)
class Answer:
    release_id: int
    ledger_seq: int
    result: dict[str, Any]


def _bad(source: str, text: str) -> StudyError:
    return StudyError(f"{source}: {text}")


def parse_spec(data: Any, study: Study, source: str) -> QuerySpec:
    """The specification, checked against the study's catalog; one line naming what is wrong."""
    if not isinstance(data, dict) or set(data) - {"measures", "group_by", "filters"}:
        raise _bad(source, "a query is an object with measures, group_by and filters only")
    measures = []
    for text in data.get("measures") or []:
        aggregate, _, column = str(text).partition(":")
        if aggregate not in AGGREGATES or (aggregate == "count") != (column == ""):
            raise _bad(source, f"measure {text!r}: write count, sum:COLUMN or mean:COLUMN")
        if column and column not in study.measures:
            raise _bad(source, f"measure {text!r}: {column} is not among the study's measures "
                       f"({', '.join(study.measures) or 'none'})")
        measures.append((aggregate, column))
    if not measures:
        raise _bad(source, "name at least one measure")
    group_by = tuple(str(d) for d in data.get("group_by") or [])
    for dim in (*group_by, *(str(f.get("dim")) for f in data.get("filters") or [] if isinstance(f, dict))):
        if dim not in study.dimensions:
            raise _bad(source, f"dimension {dim!r} is not in the study's catalog "
                       f"({', '.join(study.dimensions)})")
    return QuerySpec(tuple(measures), group_by, tuple(_filter(f, source) for f in data.get("filters") or []))


def _filter(f: Any, source: str) -> Filter:
    if not isinstance(f, dict) or f.get("op") not in OPERATORS:
        raise _bad(source, f"filter {f!r}: give dim, op ({', '.join(OPERATORS)}) and value or values")
    values = f.get("values", [f.get("value")] if "value" in f else [])
    if not isinstance(values, list) or not values or any(v is None for v in values):
        raise _bad(source, f"filter on {f.get('dim')}: give value, or values as a list")
    wanted = {"eq": 1, "neq": 1, "between": 2}.get(str(f["op"]))
    if wanted is not None and len(values) != wanted:
        raise _bad(source, f"filter on {f.get('dim')}: {f['op']} takes {wanted} value(s)")
    return Filter(str(f["dim"]), str(f["op"]), tuple(str(v) for v in values))


def table_of(spec: QuerySpec, cells: list[GroupedCell]) -> Table:
    """The engine's view of a question's groups: per row its key, its parts of the audit's atoms and
    its measures."""
    rows = []
    for cell in cells:
        parts = Parts(cell.labels, cell.counts)
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


def _result(spec: QuerySpec, released: Released) -> dict[str, Any]:
    rows = [{**dict(zip(spec.group_by, row.key, strict=True)),
             **{m: _plain(v) for m, v in row.values.items()}} for row in released.rows]
    cells = [{"row": c.row, "measure": c.measure, "status": c.status.value, "error": c.error,
              "detail": c.detail} for c in released.cells]
    return {"rows": rows, "cells": cells}


def ask(session: Session, hub: HubFiles, study_id: str, analyst: str, data: Any, source: str,
        at: datetime) -> Answer:
    """Check, run, control, release and record one question of `analyst` to the study."""
    study = require_study(session, study_id)
    decision = study_decision(study, study_facts(session, study, analyst), at.date(), question=True)
    if not decision.permitted:
        raise StudyError(f"{analyst} may not ask study {study_id}: "
                         + "; ".join(f"{r.text} ({r.citation})" for r in decision.failures))
    spec = parse_spec(data, study, source)
    measured = sorted({c for _, c in spec.measures if c})
    path = hub.study_dir(study_id) / "study.duckdb"
    listed = domains(path, spec.group_by, spec.filters)
    size = math.prod(len(values) for values in listed)
    if size > MAX_CELLS:
        raise _bad(source, f"the table would list {size:,} cells (every combination of "
                   f"{', '.join(spec.group_by)}); at most {MAX_CELLS:,}: group by fewer dimensions, or "
                   "filter their values")
    rules = Rules.from_dict(study.rules)
    records, history = current_history(session, path, study_id)
    cells = grouped(path, spec.group_by, measured, spec.filters, listed, rules.top_needed)
    released = control(table_of(spec, cells), rules, history, records)
    result = _result(spec, released)
    table_hash = hashlib.sha256(canonical_json(result["rows"]).encode("utf-8")).hexdigest()
    outcomes = dict(sorted(Counter(c.status.value for c in released.cells).items()))
    entry = record(session, release_draft(study, analyst, at, spec.as_json(), outcomes, table_hash))
    release_id = repo.add_release(session, study_id, analyst, at, spec.as_json(), result, table_hash,
                                  entry.seq)
    repo.save_audit(session, study_id, history.after(released).to_bytes())
    return Answer(release_id, entry.seq, result)


def catalog_values(session: Session, hub: HubFiles, study_id: str) -> dict[str, list[str]]:
    """Each dimension's values (what every question lists, empty or not), once the study is built;
    public to the study's analysts like a codebook."""
    study = require_study(session, study_id)
    path = hub.study_dir(study_id) / "study.duckdb"
    if not path.exists():
        return {}
    return dict(zip(study.dimensions, domains(path, study.dimensions, ()), strict=True))


def spec_from_text(text: str, source: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as err:
        raise StudyError(f"{source}: not valid JSON (line {err.lineno}, column {err.colno})") from None
