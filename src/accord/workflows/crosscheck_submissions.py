"""What each agency submits for a cross-check, checked before the hub keeps it until the run.

Each party's node encodes its roster for the cross-check's agreement (`accord node encode
--agreement ID --hub-copy COPY`), under its own pseudonym key, and sends both files. The hub keeps
them only until the next run, which deletes them once it is recorded (ADR 0023). The school sends
its enrollment; a program agency its list (workflows.submissions says what it carries).
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from sqlalchemy.orm import Session

from accord.domain.crosscheck import CrossCheck, CrossCheckError
from accord.store.repositories.agreements import get_agreement
from accord.store.repositories.crosschecks import get_crosscheck
from accord.workflows.hub_files import HubFiles
from accord.workflows.submissions import ListedRecord, SubmissionError, keep_submission, read_list

__all__ = ["ListedRecord", "crosscheck_for", "read_list", "submit"]


def crosscheck_for(session: Session, agreement_id: str, on: date) -> CrossCheck:
    """The cross-check defined under an agreement that is in force on `on`."""
    crosscheck = get_crosscheck(session, agreement_id)
    if crosscheck is None:
        raise CrossCheckError(f"no cross-check is defined under agreement {agreement_id} "
                              "(`accord crosscheck define`)").coded("no_crosscheck_defined",
                                                                    agreement=agreement_id)
    agreement = get_agreement(session, agreement_id)
    if agreement is None or not agreement.in_force(on):
        status = agreement.status_on(on).value if agreement is not None else "not on file"
        raise CrossCheckError(f"agreement {agreement_id} is {status}: no cross-check runs under it").coded(
            "agreement_not_in_force", agreement=agreement_id)
    return crosscheck


def submit(session: Session, hub: HubFiles, agreement_id: str, agency_id: str, encodings: Path,
           copy: Path, at: datetime) -> int:
    """Check an agency's submission for the cross-check and keep it for the next run (replacing
    one it sent before). Returns the number of records."""
    crosscheck = crosscheck_for(session, agreement_id, at.date())
    if agency_id not in crosscheck.parties:
        raise CrossCheckError(f"agency {agency_id} takes no part in the cross-check under {agreement_id}")
    program_list = agency_id != crosscheck.school_agency_id
    try:
        return keep_submission(encodings, copy, agreement_id, hub.submission_paths(agreement_id, agency_id),
                               program_list=program_list, program_required=program_list)
    except SubmissionError as err:
        raise CrossCheckError(str(err)) from None
