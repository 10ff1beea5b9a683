"""The facts the study policy (policy.studies) decides on, read from the store, and its refusal."""

from __future__ import annotations

from sqlalchemy.orm import Session

from accord.domain.agreements import Agreement
from accord.domain.studies import Study, StudyError
from accord.policy.decision import Decision, Reason
from accord.policy.studies import StudyFacts
from accord.store.repositories import studies as repo
from accord.store.repositories.agencies import get_user
from accord.store.repositories.agreements import get_agreement
from accord.store.repositories.state_law import get_state_law
from accord.store.repositories.training import completions_for_user


def study_facts(session: Session, study: Study, analyst_id: str | None = None) -> StudyFacts:
    """The study's agreement with every layer above it, its approvals, and the analyst's record."""
    chain: dict[str, Agreement] = {}
    next_id: str | None = study.agreement_id
    while next_id is not None and next_id not in chain:
        agreement = get_agreement(session, next_id)
        if agreement is None:
            break
        chain[agreement.id] = agreement
        next_id = agreement.parent_id
    analyst = get_user(session, analyst_id) if analyst_id is not None else None
    return StudyFacts(chain, repo.approvals_of(session, study.id, study.version), analyst,
                      tuple(completions_for_user(session, analyst_id)) if analyst_id else (),
                      frozenset(get_state_law(session).required_course_ids))


class StudyDenied(StudyError):
    """The study policy refused; `failures` are its reasons, for a page to word by their codes."""

    code = "study_not_permitted"

    def __init__(self, message: str, failures: tuple[Reason, ...]) -> None:
        super().__init__(message)
        self.failures = failures


def refuse_unless_permitted(decision: Decision, refused: str) -> None:
    """StudyDenied, saying `refused` and each failure with its citation, unless the policy permitted."""
    if not decision.permitted:
        raise StudyDenied(f"{refused}: " + "; ".join(f"{r.text} ({r.citation})" for r in decision.failures),
                          decision.failures)
