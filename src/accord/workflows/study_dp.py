"""A question to a study under differential privacy (issue 19): public keys, clamped values, OpenDP's
noise, and the study's budget charged before anything is shown.

- The rows are every combination of the grouped dimensions' public values (the agreement's
  `dp.keys`), narrowed by the question's own filters; a dimension without public values cannot be
  grouped by. Children whose value is not listed are in no row.
- The figures come from `accord.disclosure.privacy` on values clamped to the catalog's bounds.
- The spend is OpenDP's own figure for the mechanisms run. It is charged to the study's and the
  analyst's balances in the caller's transaction (`store.repositories.study_budgets.charge`): a
  question that would overspend is refused with what is left, and changes nothing.
- The same question (the same specification) asked again of the same build is answered from the
  stored release, with no new noise and no spend: averaging its repeated answers learns nothing. A
  question worded differently but asking the same (a filter that excludes no one) is a new question,
  noised afresh and charged: the budget is what bounds averaging those
  (tests/attacks/test_study_dp_attacks.py).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy.orm import Session

from accord.disclosure.privacy import Figures, noised_figures
from accord.disclosure.terms import PrivacyTerms
from accord.domain.studies import MEASURE_BOUNDS, Study, StudyError
from accord.ledger.entries import canonical_json
from accord.store.repositories import studies as repo
from accord.store.repositories import study_budgets as budgets
from accord.store.study_sums import summed
from accord.workflows.study_spec import QuerySpec, bad_spec, check_size, narrowed, result_of


@dataclass(frozen=True, slots=True)
class PrivateAnswer:
    result: dict[str, Any]
    spent: float
    note: str
    repeat_of: int | None = None


def open_study_budgets(session: Session, study: Study, terms: PrivacyTerms) -> None:
    """The study's balance and each named analyst's (their share, or the study's total)."""
    share = terms.per_analyst if terms.per_analyst is not None else terms.total
    budgets.open_budgets(session, study.id, terms.total, {a: share for a in sorted(study.analysts)})


def answer_privately(session: Session, path: Path, study: Study, analyst: str, spec: QuerySpec,
                     terms: PrivacyTerms, source: str, at: datetime) -> PrivateAnswer:
    budgets.hold(session, study.id)  # asked at once, the same question is still noised only once
    records, _ = repo.audit_of(session, study.id)
    earlier = _asked_before(session, study, spec, records, source)
    if earlier is not None:
        return PrivateAnswer(earlier.result, 0.0, earlier.note, earlier.id)
    missing = [d for d in spec.group_by if d not in terms.keys]
    if missing:
        raise bad_spec(source, f"under differential privacy a table is grouped only by dimensions with "
                       f"public values (the agreement's dp.keys: {', '.join(sorted(terms.keys)) or 'none'}); "
                       f"{', '.join(missing)} has none").coded("no_public_values",
                                                               dimensions=", ".join(missing))
    listed = [narrowed(terms.keys[d], spec.filters, d) for d in spec.group_by]
    check_size(listed, spec, source)
    bounds = {c: MEASURE_BOUNDS[c] for _, c in spec.measures if c}
    released, spent = noised_figures(true_figures(path, spec, listed, bounds), terms, bounds)
    if not budgets.balances(session, study.id):
        open_study_budgets(session, study, terms)
    if not budgets.charge(session, study.id, analyst, spent, at):
        raise StudyError(f"{source}: this table would spend {spent:.4g} of the {terms.name()} budget; "
                         f"{_left(session, study.id, analyst)}: refused, nothing charged").coded(
                             "over_budget", spent=f"{spent:.4g}")
    result = result_of(spec, released)
    result["budget"] = {"accounting": terms.name(), "spent": spent, **_remaining(session, study.id, analyst)}
    return PrivateAnswer(result, spent, json.dumps({"dp": True, "records": records, "spent": spent}))


# How the note of a noised release opens (json.dumps of the marks above, a held one's with its review
# reasons after them); a stored answer shown again has its own note and is never a candidate.
NOISED = '{"dp": true,'


def _asked_before(session: Session, study: Study, spec: QuerySpec, records: int,
                  source: str) -> repo.StoredRelease | None:
    """The noised release of the same question on the same build, if released (refused if it waits
    for review). Only the noised releases are read, never the stored answers shown again: there are
    as many as the budget paid for, however often a question is repeated."""
    asked = canonical_json(spec.as_json())
    for earlier in repo.releases_noted(session, study.id, NOISED):
        if json.loads(earlier.note).get("records") != records or canonical_json(earlier.spec) != asked:
            continue
        if earlier.status == "pending_review":  # its answer is the reviewers' to release, not ours
            raise StudyError(f"{source}: the same question waits for review as release {earlier.id} "
                             f"(`accord study release {study.id} {earlier.id}`)").coded(
                                 "same_question_waits", release=str(earlier.id))
        if earlier.status == "released":
            return earlier
    return None


def true_figures(path: Path, spec: QuerySpec, listed: list[list[str]],
                 bounds: dict[str, tuple[float, float]]) -> Figures:
    """The question's true figures, one vector each over the `listed` combinations, every measured
    value clamped to the catalog's `bounds`: all that leaves the study's DuckDB."""
    sums = summed(path, spec.group_by, sorted(bounds), spec.filters, listed, bounds)
    measures = [(a if not c else f"{a}:{c}", a, c) for a, c in spec.measures]
    return Figures(spec.group_by, sums.keys, measures, sums.counts.astype(np.float64),
                   {c: n.astype(np.float64) for c, n in sums.n.items()}, sums.totals)


def _remaining(session: Session, study_id: str, analyst: str) -> dict[str, float]:
    left = {b.holder: b.remaining for b in budgets.balances(session, study_id)}
    return {"study_remaining": left.get("*", 0.0), "analyst_remaining": left.get(analyst, 0.0)}


def _left(session: Session, study_id: str, analyst: str) -> str:
    left = _remaining(session, study_id, analyst)
    return (f"left: {left['study_remaining']:.4g} for the study, {left['analyst_remaining']:.4g} for "
            f"{analyst}")
