"""An analyst's question to a study, answered (issue 18, 19): the specification (`study_spec`) is
checked against the study's catalog and run on its table, and the result passes disclosure control
before anyone sees it: under the agreement's rules (small cells suppressed, with complementary
suppression and the audit against everything the study released before, rounding, dominance), or,
where the agreement sets differential-privacy terms, noised under the study's budget (`study_dp`).
The release, its cells' outcomes and the released table's hash are written to the ledger, with the
audit's record of what was released or the budget's charge, in the same transaction: nothing is
shown that is not recorded.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import Any

from sqlalchemy.orm import Session

from accord.disclosure.control import control
from accord.disclosure.primary import may_be_dominated
from accord.disclosure.review import review_reasons
from accord.disclosure.terms import study_controls
from accord.domain.agencies import Role, User
from accord.domain.studies import Study, StudyError
from accord.ledger.entries import canonical_json
from accord.ledger.study_events import release_draft
from accord.policy.studies import study_decision
from accord.store.repositories import studies as repo
from accord.store.repositories import study_budgets as budgets
from accord.store.repositories.study_budgets import Balance
from accord.store.study_groups import grouped
from accord.workflows.hub_files import HubFiles
from accord.workflows.ledger import record
from accord.workflows.research import require_study
from accord.workflows.study_audit import current_history
from accord.workflows.study_codebook import listed_values
from accord.workflows.study_dp import answer_privately
from accord.workflows.study_facts import refuse_unless_permitted, study_facts
from accord.workflows.study_review import PENDING, first_of_kind, held
from accord.workflows.study_spec import QuerySpec, check_size, parse_spec, result_of, table_of


@dataclass(frozen=True, slots=True)
class Answer:
    release_id: int
    ledger_seq: int
    result: dict[str, Any]


def ask(session: Session, hub: HubFiles, study_id: str, analyst: str, data: Any, source: str,
        at: datetime) -> Answer:
    """Check, run, control, release and record one question of `analyst` to the study."""
    study = require_study(session, study_id)
    decision = study_decision(study, study_facts(session, study, analyst), at.date(), question=True)
    refuse_unless_permitted(decision, f"{analyst} may not ask study {study_id}")
    spec = parse_spec(data, study, source)
    rules, terms = study_controls(study.rules)
    path = hub.study_dir(study_id) / "study.duckdb"
    if terms is not None:
        dp = answer_privately(session, path, study, analyst, spec, terms, source, at)
        if dp.repeat_of is not None:  # the stored answer, shown again: a disclosure, no new noise
            return _recorded(session, study, analyst, at, spec, dp.result, {"repeat_of": dp.repeat_of})
        if rules.review == "all":
            return _held(session, study, analyst, at, spec, dp.result, ["the agreement sends every release "
                                                                        "to review"], json.loads(dp.note))
        return _recorded(session, study, analyst, at, spec, dp.result, {"spent": dp.spent}, dp.note)
    listed = listed_values(session, study, spec.group_by, spec.filters)
    check_size(listed, spec, source)
    records, history = current_history(session, path, study_id)
    measured = sorted({c for _, c in spec.measures if c})
    cells = grouped(path, spec.group_by, measured, spec.filters, listed, rules.top_needed,
                    partial(may_be_dominated, rules=rules))
    released = control(table_of(spec, cells), rules, history, records)
    repo.save_audit(session, study_id, history.after(released).to_bytes())  # counted, held or not
    reasons = review_reasons(released, rules, first_of_kind(session, study_id, spec.group_by))
    if reasons:
        return _held(session, study, analyst, at, spec, result_of(spec, released), reasons, {})
    return _recorded(session, study, analyst, at, spec, result_of(spec, released), {})


def _held(session: Session, study: Study, analyst: str, at: datetime, spec: QuerySpec, result: dict[str, Any],
          reasons: list[str], marks: dict[str, Any]) -> Answer:
    """The release stored for its two reviewers (workflows.study_review); the analyst sees why."""
    table_hash = hashlib.sha256(canonical_json(result["rows"]).encode("utf-8")).hexdigest()
    release_id = repo.add_release(session, study.id, analyst, at, spec.as_json(), result, table_hash, 0,
                                  json.dumps({**marks, "review": reasons}), PENDING)
    return Answer(release_id, 0, held(release_id, reasons))


def _recorded(session: Session, study: Study, analyst: str, at: datetime, spec: QuerySpec,
              result: dict[str, Any], extra: dict[str, Any], note: str = "") -> Answer:
    """The release in the ledger (query, cells' outcomes, the table's hash) and in the study's list."""
    table_hash = hashlib.sha256(canonical_json(result["rows"]).encode("utf-8")).hexdigest()
    outcomes = dict(sorted(Counter(str(c["status"]) for c in result["cells"]).items()))
    entry = record(session, release_draft(study, analyst, at, spec.as_json(), outcomes, table_hash, extra))
    release_id = repo.add_release(session, study.id, analyst, at, spec.as_json(), result, table_hash,
                                  entry.seq, note)
    return Answer(release_id, entry.seq, result)


def catalog_values(session: Session, hub: HubFiles, study_id: str) -> dict[str, list[str]]:
    """Each dimension's values (what every question lists, empty or not: `study_codebook`), once the
    study is built; public to the study's analysts like a codebook."""
    study = require_study(session, study_id)
    path = hub.study_dir(study_id) / "study.duckdb"
    if not path.exists():
        return {}
    return dict(zip(study.dimensions, listed_values(session, study, study.dimensions, ()), strict=True))


def study_budget(session: Session, study_id: str) -> list[Balance]:
    """The study's privacy balances (none for a study under disclosure rules)."""
    require_study(session, study_id)
    return budgets.balances(session, study_id)


def study_budget_for(session: Session, study_id: str, user: User) -> list[Balance]:
    """The balances, for a named analyst of the study or a records officer of a contributing agency."""
    study = require_study(session, study_id)
    if user.id not in study.analysts and not (user.role is Role.RECORDS_OFFICER
                                              and user.agency_id in study.contributors):
        raise StudyRefused(f"{user.id} is neither an analyst of study {study_id} nor a records officer "
                           "of an agency contributing to it")
    return budgets.balances(session, study_id)


def catalog_for(session: Session, hub: HubFiles, study_id: str, analyst: str) -> dict[str, Any]:
    """What a named analyst of the study may use in its questions, with each dimension's values."""
    study = require_study(session, study_id)
    if analyst not in study.analysts:
        raise StudyRefused(f"{analyst} is not one of study {study_id}'s named analysts")
    values = catalog_values(session, hub, study_id) or {d: [] for d in study.dimensions}
    return {"dimensions": values, "measures": list(study.measures),
            "aggregates": ["count", *(f"{a}:{m}" for m in study.measures for a in ("sum", "mean"))]}


class StudyRefused(StudyError, PermissionError):
    """A study's data asked for by someone the study does not name."""
