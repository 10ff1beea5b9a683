"""Output review of a study's releases (issue 19): a release the rules cannot settle, or every release
where the agreement says so (`accord.disclosure.review`), waits for two reviewers before its analyst
sees it.

- Held: the controlled table is stored as `pending_review` with the reasons; the analyst learns only
  that it waits, and why. The audit counts it (and a DP question's budget is spent) as if it were
  released: whatever the reviewers decide, what comes out later was judged against it.
- Reviewers: a records officer of an agency contributing to the study, never the analyst who asked;
  each decides once, with a comment; each decision is a ledger entry.
- Two approvals release it: the release's ledger entry then names both reviewers. One rejection
  rejects it: the analyst never sees it.
"""

from __future__ import annotations

import json
from collections import Counter
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from accord.domain.agencies import Role
from accord.domain.studies import Study, StudyError
from accord.ledger.study_events import release_draft, review_draft
from accord.store.repositories import studies as repo
from accord.store.repositories.agencies import get_user
from accord.store.repositories.studies import StoredRelease
from accord.workflows.ledger import record
from accord.workflows.research import require_study

PENDING, RELEASED, REJECTED = "pending_review", "released", "rejected"
APPROVALS = 2


def first_of_kind(session: Session, study_id: str, group_by: tuple[str, ...]) -> bool:
    """No earlier release of the study (whatever became of it) grouped by these dimensions."""
    kind = sorted(group_by)
    return all(sorted(r.spec.get("group_by", [])) != kind for r in repo.releases_of(session, study_id))


def held(release_id: int, reasons: list[str]) -> dict[str, Any]:
    """What the analyst sees of a release held for review."""
    return {"rows": [], "cells": [], "review": {"status": PENDING, "release": release_id, "reasons": reasons}}


def reasons_of(release: StoredRelease) -> list[str]:
    marks = json.loads(release.note) if release.note.startswith("{") else {}
    return [str(r) for r in marks.get("review", [])]


def pending(session: Session, study_id: str) -> list[StoredRelease]:
    require_study(session, study_id)
    return [r for r in repo.releases_of(session, study_id) if r.status == PENDING]


def pending_for(session: Session, study_id: str, reviewer: str) -> list[StoredRelease]:
    """The releases waiting, for a records officer of a contributing agency (not their own asks)."""
    _may_review(session, require_study(session, study_id), reviewer)
    return [r for r in pending(session, study_id) if r.analyst != reviewer]


def _may_review(session: Session, study: Study, reviewer: str) -> None:
    user = get_user(session, reviewer)
    if user is None or user.role is not Role.RECORDS_OFFICER or user.agency_id not in study.contributors:
        raise StudyError(f"{reviewer} may not review study {study.id}'s releases: a records officer of a "
                         f"contributing agency ({', '.join(sorted(study.contributors))}) reviews them"
                         ).coded("not_a_reviewer", study=study.id)


def _reviewer(session: Session, study: Study, release: StoredRelease, reviewer: str) -> None:
    _may_review(session, study, reviewer)
    if reviewer == release.analyst:
        raise StudyError(f"{reviewer} asked release {release.id}: its author cannot review it").coded(
            "author_cannot_review", release=str(release.id))


def _pending(session: Session, study: Study, release_id: int) -> StoredRelease:
    release = repo.get_release(session, study.id, release_id)
    if release is None:
        raise StudyError(f"study {study.id} has no release {release_id}").coded(
            "no_such_release", study=study.id, release=str(release_id))
    if release.status != PENDING:
        raise StudyError(f"release {release_id} is not waiting for review (it is {release.status})").coded(
            "not_waiting_for_review", release=str(release_id))
    return release


def to_review(session: Session, study_id: str, release_id: int, reviewer: str) -> StoredRelease:
    """The held release as its reviewer sees it: the controlled table, its cells' outcomes, why."""
    study = require_study(session, study_id)
    release = _pending(session, study, release_id)
    _reviewer(session, study, release, reviewer)
    return release


def decide(session: Session, study_id: str, release_id: int, reviewer: str, approve: bool, comment: str,
           at: datetime) -> str:
    """One reviewer's decision; returns the release's status after it."""
    study = require_study(session, study_id)
    release = _pending(session, study, release_id)
    _reviewer(session, study, release, reviewer)
    if not comment.strip():
        raise StudyError("give a comment with the decision (what was checked, why)").coded("comment_needed")
    earlier = repo.reviews_of(session, release_id)
    if any(r.reviewer == reviewer for r in earlier):
        raise StudyError(f"{reviewer} already decided release {release_id}: a second reviewer is needed"
                         ).coded("already_decided", release=str(release_id))
    decision = "approve" if approve else "reject"
    entry = record(session, review_draft(study, release_id, reviewer, decision, comment.strip(), at))
    repo.add_review(session, release_id, reviewer, decision, comment.strip(), at, entry.seq)
    if not approve:
        repo.set_release_status(session, release_id, REJECTED)
        return REJECTED
    approvers = sorted({r.reviewer for r in earlier if r.decision == "approve"} | {reviewer})
    if len(approvers) < APPROVALS:
        return PENDING
    outcomes = dict(sorted(Counter(str(c["status"]) for c in release.result["cells"]).items()))
    extra = {"release": release_id, "reviewers": approvers}
    released = record(session, release_draft(study, release.analyst, at, release.spec, outcomes,
                                              release.table_hash, extra))
    repo.set_release_status(session, release_id, RELEASED, released.seq)
    return RELEASED


def release_for(session: Session, study_id: str, release_id: int, analyst: str) -> dict[str, Any]:
    """A release as an analyst of the study sees it: the table once released, else its status."""
    study = require_study(session, study_id)
    if analyst not in study.analysts:
        raise StudyError(f"{analyst} is not one of study {study_id}'s named analysts").coded(
            "not_a_named_analyst", study=study_id)
    release = repo.get_release(session, study_id, release_id)
    if release is None:
        raise StudyError(f"study {study_id} has no release {release_id}").coded(
            "no_such_release", study=study_id, release=str(release_id))
    if release.status == RELEASED:
        return release.result
    return {"rows": [], "cells": [], "review": {"status": release.status, "release": release_id,
                                                  "reasons": reasons_of(release)}}
