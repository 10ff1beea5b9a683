"""An analyst's desk (issue 21): the studies that name them, what each can be asked (its catalog, its
measures' bounds, its disclosure rule in words), their privacy balance, their own releases, and a
question put from the page (`put_question`: the API's `ask`, or `ask_twin` for the synthetic twin).

A study that does not name the analyst is "not found", in the words of one that does not exist: an
analyst learns nothing of the studies of others. A refused question (a specification the catalog does
not allow, a table that would overspend the budget, the study no longer in force) changes nothing: it
is put inside a savepoint that is rolled back, and the refusal's own words come back to be shown.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from accord.disclosure.terms import study_controls
from accord.domain.studies import MEASURE_BOUNDS, Study, StudyError
from accord.policy.decision import Reason
from accord.store.repositories import studies as repo
from accord.store.repositories import study_budgets as budgets
from accord.store.repositories.study_budgets import Balance
from accord.workflows.hub_files import HubFiles
from accord.workflows.study_facts import StudyDenied
from accord.workflows.study_query import ask, catalog_values
from accord.workflows.study_review import RELEASED, reasons_of
from accord.workflows.study_twin import ask_twin

STUDY_HOLDER = "*"  # the study's own balance, beside each analyst's (store.repositories.study_budgets)


class StudyNotFound(StudyError, LookupError):
    """No such study, or none that names this analyst."""


@dataclass(frozen=True, slots=True)
class MeasureChoice:
    name: str  # as the specification writes it: count, sum:COLUMN, mean:COLUMN
    aggregate: str
    column: str = ""
    bounds: tuple[float, float] | None = None  # the catalog's public bounds of the column


@dataclass(frozen=True, slots=True)
class ReleaseLine:
    id: int
    asked_at: datetime
    spec: dict[str, Any]
    status: str  # released, pending_review, rejected
    reasons: list[str]


@dataclass(frozen=True, slots=True)
class StudyDesk:
    study: Study
    values: dict[str, list[str]]  # each dimension's values (empty until the study is built)
    groupable: tuple[str, ...]  # the dimensions a table may be grouped by
    measures: list[MeasureChoice]
    min_count: int | None  # the smallest count shown (rules mode); None under differential privacy
    accounting: str | None  # "rho" or "epsilon" under differential privacy
    balances: dict[str, Balance] = field(default_factory=dict)  # "study" and "analyst"
    last_spent: float | None = None  # what this analyst's last charged question spent
    releases: list[ReleaseLine] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Put:
    """A question's outcome: the result the API returns (or the refusal's words), what it spent of the
    analyst's privacy budget (None outside differential privacy), and the desk as it is after it."""

    desk: StudyDesk
    result: dict[str, Any] | None = None
    refused: str = ""
    twin: bool = False
    release_id: int | None = None
    spent: float | None = None
    failures: tuple[Reason, ...] = ()  # the study policy's reasons, when it was the policy that refused
    code: str = ""  # the refusal's code, and the values it names, for a page to word it
    values: Mapping[str, str] = field(default_factory=dict)


def my_studies(session: Session, analyst: str) -> list[Study]:
    return [s for s in repo.list_studies(session) if analyst in s.analysts]


def named_study(session: Session, study_id: str, analyst: str) -> Study:
    study = repo.get_study(session, study_id)
    if study is None or analyst not in study.analysts:
        raise StudyNotFound(f"no study {study_id}").coded("no_such_study", study=study_id)
    return study


def _measures(study: Study) -> list[MeasureChoice]:
    return [MeasureChoice("count", "count"), *(MeasureChoice(f"{a}:{m}", a, m, MEASURE_BOUNDS.get(m))
                                               for m in study.measures for a in ("sum", "mean"))]


def desk_for(session: Session, hub: HubFiles, study_id: str, analyst: str) -> StudyDesk:
    """Everything the study's page shows its analyst before a question."""
    study = named_study(session, study_id, analyst)
    rules, terms = study_controls(study.rules)
    values = catalog_values(session, hub, study_id) or {d: [] for d in study.dimensions}
    if terms is not None:  # under DP only dimensions with public values are grouped, and by those values
        values |= {d: list(v) for d, v in terms.keys.items() if d in values}
    held = {b.holder: b for b in budgets.balances(session, study_id)}
    mine = {"study": held.get(STUDY_HOLDER), "analyst": held.get(analyst)}
    spent = [amount for who, amount in budgets.charges(session, study_id) if who == analyst]
    releases = [ReleaseLine(r.id, r.released_at, r.spec, r.status, reasons_of(r))
                for r in reversed(repo.releases_of(session, study_id)) if r.analyst == analyst]
    return StudyDesk(study, values, tuple(d for d in study.dimensions if terms is None or d in terms.keys),
                     _measures(study), rules.min_count if terms is None else None,
                     terms.name() if terms is not None else None,
                     {k: b for k, b in mine.items() if b is not None}, spent[-1] if spent else None, releases)


def put_question(session: Session, hub: HubFiles, study_id: str, analyst: str, spec: dict[str, Any],
                 twin: bool, at: datetime) -> Put:
    """Ask the study (or its synthetic twin) as the API does; a refusal rolls back whatever it began."""
    before = desk_for(session, hub, study_id, analyst).balances.get("analyst")
    result, refused, release_id = None, "", None
    failures: tuple[Reason, ...] = ()
    code, values = "", {}
    try:
        with session.begin_nested():
            if twin:
                result = ask_twin(session, hub, study_id, analyst, spec, "the question", at.date())
            else:
                answer = ask(session, hub, study_id, analyst, spec, "the question", at)
                result, release_id = answer.result, answer.release_id
    except StudyError as err:
        refused = str(err)
        failures = err.failures if isinstance(err, StudyDenied) else ()
        code, values = err.code, dict(err.values)
    after = desk_for(session, hub, study_id, analyst)
    now = after.balances.get("analyst")
    # Measured on the balance, not read from the answer: a repeated question is answered from its
    # stored release (which still carries what it spent the first time) and spends nothing.
    spent = now.spent - before.spent if now is not None and before is not None else None
    return Put(after, result, refused, twin, release_id, spent, failures, code, values)


def release_for_analyst(session: Session, study_id: str, release_id: int,
                        analyst: str) -> tuple[ReleaseLine, dict[str, Any] | None]:
    """One of the analyst's own releases of the study (another's, or none, is not found), with its
    table once released (None while held for review, or rejected)."""
    named_study(session, study_id, analyst)
    r = repo.get_release(session, study_id, release_id)
    if r is None or r.analyst != analyst:
        raise StudyNotFound(f"study {study_id} has no release {release_id}").coded(
            "no_such_release", study=study_id, release=str(release_id))
    line = ReleaseLine(r.id, r.released_at, r.spec, r.status, reasons_of(r))
    return line, (r.result if r.status == RELEASED else None)
