"""A records officer's output-review desk (issue 21): the releases held for review in every study their
agency contributes to, each with its question, why it waits, the table as the rules left it (what the
API shows a reviewer), and the decisions so far; and a decision taken from the page.

Who may see and decide is `accord.workflows.study_review`'s rule (an officer of a contributing agency,
never the release's author, once each); this desk only gathers across studies. A study the officer's
agency does not contribute to is "not found", in the words of one that does not exist. A refused
decision (the author, a second decision, no comment, a release no longer waiting) changes nothing: it
is taken inside a savepoint that is rolled back, and the refusal's own words come back to be shown.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from accord.domain.agencies import User
from accord.domain.studies import Study, StudyError
from accord.store.repositories import studies as repo
from accord.store.repositories.studies import StoredRelease, StoredReview
from accord.workflows.study_review import decide, pending_for, reasons_of, to_review


class ReviewNotFound(StudyError, LookupError):
    """No such study, or none the officer's agency contributes to."""


@dataclass(frozen=True, slots=True)
class HeldRelease:
    study: Study
    id: int
    analyst: str
    asked_at: datetime
    spec: dict[str, Any]
    reasons: list[str]
    result: dict[str, Any]  # the controlled table as it would be released (rows, cells' outcomes)
    decisions: list[StoredReview]

    def decided_by(self, reviewer: str) -> StoredReview | None:
        return next((d for d in self.decisions if d.reviewer == reviewer), None)


@dataclass(frozen=True, slots=True)
class Decided:
    status: str  # the release's status after the decision (study_review's PENDING, RELEASED, REJECTED)
    refused: str = ""  # the workflow's refusal, when it refused (then nothing changed)
    code: str = ""  # the refusal's code, and the values it names, for a page to word it
    values: Mapping[str, str] = field(default_factory=dict)


def _held(session: Session, study: Study, release: StoredRelease) -> HeldRelease:
    return HeldRelease(study, release.id, release.analyst, release.released_at, release.spec,
                       reasons_of(release), release.result, repo.reviews_of(session, release.id))


def contributed(session: Session, officer: User, study_id: str) -> Study:
    study = repo.get_study(session, study_id)
    if study is None or officer.agency_id not in study.contributors:
        raise ReviewNotFound(f"no study {study_id}").coded("no_such_study", study=study_id)
    return study


def held_for(session: Session, officer: User) -> list[HeldRelease]:
    """Every release waiting for the officer's review, oldest first (not their own questions)."""
    studies = [s for s in repo.list_studies(session) if officer.agency_id in s.contributors]
    held = [_held(session, s, r) for s in studies for r in pending_for(session, s.id, officer.id)]
    return sorted(held, key=lambda h: (h.asked_at, h.study.id, h.id))


def held_release(session: Session, officer: User, study_id: str, release_id: int) -> HeldRelease:
    """One held release as its reviewer sees it (the workflow refuses its author)."""
    study = contributed(session, officer, study_id)
    return _held(session, study, to_review(session, study.id, release_id, officer.id))


def decide_held(session: Session, officer: User, study_id: str, release_id: int, approve: bool,
                comment: str, at: datetime) -> Decided:
    """The officer's decision on a held release; a refusal rolls back whatever it began."""
    contributed(session, officer, study_id)
    try:
        with session.begin_nested():
            return Decided(decide(session, study_id, release_id, officer.id, approve, comment, at))
    except StudyError as err:
        return Decided("", str(err), err.code, err.values)
