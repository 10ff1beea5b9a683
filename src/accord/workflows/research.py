"""Purpose 3, research and evaluation studies: registration, each contributing agency's approval,
submissions for the build, and destruction (issue 18). Building is in `study_build`, questions in
`study_query`.

Registration and each change of scope are the records officer's; approval is each contributing
agency's data steward's (its records officer), per version: a change of scope asks again.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from accord.disclosure.terms import study_controls
from accord.domain.agencies import Role
from accord.domain.studies import Study, StudyError, StudyStatus
from accord.ledger.study_events import approved_draft, destroyed_draft, registered_draft
from accord.store.repositories import studies as repo
from accord.store.repositories.agencies import get_user
from accord.store.repositories.agreements import get_agreement
from accord.store.study_files import close_held
from accord.workflows.hub_files import HubFiles
from accord.workflows.ledger import record
from accord.workflows.study_codebook import check_categories
from accord.workflows.study_dp import open_study_budgets
from accord.workflows.submissions import SubmissionError, keep_submission

DESTRUCTION_METHOD = "the study's DuckDB file and its pseudonym key deleted (NIST SP 800-88 clear)"


def _officer(session: Session, by: str, agency_id: str, what: str) -> None:
    user = get_user(session, by)
    if user is None or user.agency_id != agency_id or user.role is not Role.RECORDS_OFFICER:
        raise StudyError(f"{by} may not {what}: a records officer of agency {agency_id} does")


def require_study(session: Session, study_id: str) -> Study:
    study = repo.get_study(session, study_id)
    if study is None:
        raise StudyError(f"no study {study_id}").coded("no_such_study", study=study_id)
    return study


def study_from_document(data: Any, where: str) -> Study:
    """A study from its JSON document (a file's, or a request's body); `where` names it in errors."""
    if not isinstance(data, dict):
        raise StudyError(f"{where}: a study is a JSON object")
    try:
        return Study(
            id=str(data["id"]), agreement_id=str(data["agreement"]), title=str(data["title"]),
            purpose=str(data["purpose"]), scope=str(data["scope"]), school_agency_id=str(data["school"]),
            elements=frozenset(data["elements"]), analysts=frozenset(data["analysts"]),
            partners=frozenset(data.get("partners", [])), starts_on=date.fromisoformat(data["starts_on"]),
            ends_on=date.fromisoformat(data["ends_on"]), destroy_by=date.fromisoformat(data["destroy_by"]),
            rules=dict(data.get("rules", {})))
    except KeyError as err:
        raise StudyError(f"{where}: field {err.args[0]!r} is required") from None
    except (TypeError, ValueError) as err:
        if isinstance(err, StudyError):  # the study's own checks, already in one line
            raise
        raise StudyError(f"{where}: a value has the wrong type or form ({type(err).__name__})") from None


def register(session: Session, study: Study, by: str, at: datetime) -> Study:
    """Register a study, or change a registered one's scope: a new version, approved afresh."""
    _officer(session, by, study.school_agency_id, "register a study")
    if get_agreement(session, study.agreement_id) is None:
        raise StudyError(f"agreement {study.agreement_id} is not on file")
    for analyst in sorted(study.analysts):
        user = get_user(session, analyst)
        if user is None or user.role is not Role.ANALYST:
            raise StudyError(f"{analyst} is not a registered analyst")
    known = repo.get_study(session, study.id)
    if known is not None and known.status is StudyStatus.DESTROYED:
        raise StudyError(f"study {study.id} was destroyed; register a new one")
    _, terms = study_controls(study.rules)  # a malformed rule set is refused now, not at a question
    check_categories(study)
    saved = replace(study, version=known.version + 1 if known else 1, status=StudyStatus.REGISTERED)
    repo.save_study(session, saved, by, at)
    if terms is not None:
        open_study_budgets(session, saved, terms)
    record(session, registered_draft(saved, by, at))
    return saved


def approve(session: Session, study_id: str, agency_id: str, by: str, at: datetime) -> Study:
    """A contributing agency's approval of the study's current version; the last one makes it
    approved (built tables of an earlier version stay until the next build)."""
    study = require_study(session, study_id)
    if agency_id not in study.contributors:
        raise StudyError(f"agency {agency_id} contributes no data to study {study_id}")
    _officer(session, by, agency_id, f"approve for agency {agency_id}")
    if agency_id in repo.approvals_of(session, study_id, study.version):
        raise StudyError(f"agency {agency_id} approved version {study.version} of study {study_id} already")
    entry = record(session, approved_draft(study, agency_id, by, at))
    repo.approve(session, study_id, study.version, agency_id, by, at, entry.seq)
    done = repo.approvals_of(session, study_id, study.version) == study.contributors
    if done and study.status is StudyStatus.REGISTERED:
        study = replace(study, status=StudyStatus.APPROVED)
        repo.save_study(session, study, by, at)
    return study


def submit(session: Session, hub: HubFiles, study_id: str, agency_id: str, encodings: Path,
           copy: Path) -> int:
    """Keep an agency's encodings (for the study's agreement) and copy until the next build."""
    study = require_study(session, study_id)
    if agency_id not in study.contributors:
        raise StudyError(f"agency {agency_id} contributes no data to study {study_id}")
    partner = agency_id != study.school_agency_id
    try:
        targets = hub.study_submission_paths(study_id, agency_id)
        return keep_submission(encodings, copy, study.agreement_id, targets, program_list=partner,
                               program_required=False)
    except SubmissionError as err:
        raise StudyError(str(err)) from None


def destroy(session: Session, hub: HubFiles, study_id: str, by: str, at: datetime) -> Path:
    """Destroy the study's data (its table, its key, any submissions), record it, and write the
    destruction certificate beside the hub's folder. Returns the certificate's path."""
    study = require_study(session, study_id)
    _officer(session, by, study.school_agency_id, "destroy a study")
    if study.status is StudyStatus.DESTROYED:
        raise StudyError(f"study {study_id} was destroyed already")
    records, _ = repo.audit_of(session, study_id)
    close_held(hub.study_dir(study_id))  # nothing of it stays open in this process
    shutil.rmtree(hub.study_dir(study_id), ignore_errors=True)
    destroyed = replace(study, status=StudyStatus.DESTROYED)
    repo.save_study(session, destroyed, by, at)
    entry = record(session, destroyed_draft(destroyed, by, at, records, DESTRUCTION_METHOD))
    certificate = hub.root / "certificates" / f"{study_id}-destruction.json"
    certificate.parent.mkdir(parents=True, exist_ok=True)
    certificate.write_text(json.dumps({
        "certificate": "destruction of a study's data", "study": study.id, "title": study.title,
        "agreement": study.agreement_id, "records_destroyed": records, "method": DESTRUCTION_METHOD,
        "destroyed_on": at.date().isoformat(), "due_by": study.destroy_by.isoformat(), "by": by,
        "ledger_entry": entry.seq, "entry_sha256": entry.entry_hash}, indent=2), encoding="utf-8")
    return certificate
