"""A study's synthetic twin (issue 19): the same schema and catalog, no real child, for analysts to try
their questions on as often as they like, with nothing recorded and no budget spent.

Built from public structure only (ADR 0025): each dimension's public values (the agreement's DP keys
where it gives them, else the study's catalog values, which `accord study catalog` shows every
analyst) drawn independently and uniformly, each measure uniform within the catalog's bounds, for a
fixed number of rows that is not the study's size. Nothing of the real table's distribution goes in,
so the twin can tell an analyst whether their specification runs and what shape its table has, never
what the real answer is. Only a question asked of the study itself touches the real data.
"""

from __future__ import annotations

import random
from typing import Any

from sqlalchemy.orm import Session

from accord.disclosure.outcome import Status
from accord.disclosure.terms import study_controls
from accord.domain.studies import MEASURE_BOUNDS, Study, StudyError
from accord.policy.studies import study_decision
from accord.store.study_files import close_held
from accord.store.study_groups import grouped
from accord.store.study_tables import domains, write_table
from accord.workflows.hub_files import HubFiles
from accord.workflows.research import require_study
from accord.workflows.study_codebook import listed_values
from accord.workflows.study_facts import refuse_unless_permitted, study_facts
from accord.workflows.study_spec import check_size, parse_spec, table_of

TWIN_ROWS = 2_000
TWIN_FILE = "twin.duckdb"


def _public_values(session: Session, hub: HubFiles, study: Study) -> dict[str, list[str]]:
    _, terms = study_controls(study.rules)
    keys = dict(terms.keys) if terms is not None else {}
    real = hub.study_dir(study.id) / "study.duckdb"
    if not real.exists():
        raise StudyError(f"study {study.id} is not built yet: its twin takes the catalog's values from it"
                         ).coded("twin_before_build", study=study.id)
    listed = listed_values(session, study, study.dimensions, ())
    catalog = dict(zip(study.dimensions, listed, strict=True))
    return {d: list(keys.get(d, catalog[d])) for d in study.dimensions}


def build_twin(session: Session, hub: HubFiles, study: Study, rows: int = TWIN_ROWS,
               seed: int | None = None) -> int:
    """Write the study's twin beside its table (replacing an earlier one); returns its rows."""
    values = _public_values(session, hub, study)
    rng = random.Random(seed)
    records: list[dict[str, Any]] = []
    for i in range(rows):
        record: dict[str, Any] = {"sid": f"twin-{i:06d}"}
        record |= {d: rng.choice(v) if v else None for d, v in values.items()}
        record |= {m: rng.uniform(*MEASURE_BOUNDS.get(m, (0.0, 1.0))) for m in study.measures}
        records.append(record)
    path = hub.study_dir(study.id) / TWIN_FILE
    close_held(path)
    path.unlink(missing_ok=True)
    return write_table(path, records, study.dimensions, study.measures, keep_rids=False)


def ask_twin(session: Session, hub: HubFiles, study_id: str, analyst: str, data: Any, source: str,
             on: Any) -> dict[str, Any]:
    """A question asked of the twin: the same checks of who asks and of the specification, every
    figure shown (no real child), nothing recorded."""
    study = require_study(session, study_id)
    decision = study_decision(study, study_facts(session, study, analyst), on, question=True)
    refuse_unless_permitted(decision, f"{analyst} may not ask study {study_id}")
    spec = parse_spec(data, study, source)
    path = hub.study_dir(study_id) / TWIN_FILE
    if not path.exists():
        build_twin(session, hub, study)
    listed = domains(path, spec.group_by, spec.filters)
    check_size(listed, spec, source)
    measured = sorted({c for _, c in spec.measures if c})
    table = table_of(spec, grouped(path, spec.group_by, measured, spec.filters, listed, 2))
    rows, cells = [], []
    for i, row in enumerate(table.rows):
        figures = {n: (None if m.value != m.value else m.value) for n, m in row.measures.items()}
        rows.append({**dict(zip(spec.group_by, row.key, strict=True)), **figures})
        cells += [{"row": i, "measure": n, "status": Status.SYNTHETIC.value, "error": None,
                   "detail": "the synthetic twin: no real child"} for n in row.measures]
    return {"rows": rows, "cells": cells, "twin": True}
