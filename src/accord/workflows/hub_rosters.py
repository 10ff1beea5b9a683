"""The hub's encoded rosters, one set per agreement: which agreement a submission serves, merging
it into the agency's roster for that agreement, and the linkage run that trains the lookup model.

Purpose-bound (ADR 0015): a node encodes a roster for one agreement, under that agreement's key,
so rosters sent for two agreements never compare. Only the roster a case request searches (the
education agency's) is kept; a partner's roster is needed only to teach the lookup model how the
two agencies record a child, so it is taken only once the school's is there, linked with it in
the same load, recorded in the ledger, and deleted.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from sqlalchemy.orm import Session

from accord.domain.agencies import AgencyKind
from accord.domain.agreements import Agreement, AgreementLayer, AgreementStatus
from accord.errors import AccordError
from accord.ledger.intake_events import linkage_run_draft
from accord.linkage.hub.encoded import read_layout
from accord.linkage.hub.lookup import train_lookup_model
from accord.linkage.hub.roster_store import merge_into_roster, roster_size
from accord.store.repositories.agencies import get_agency
from accord.store.repositories.agreements import get_agreement
from accord.workflows.hub_files import HubFiles
from accord.workflows.ledger import record

TRAINING = "lookup model training for case requests"


class SubmissionRefused(AccordError, ValueError):
    """An encoded file was not made for an agreement this agency may submit under."""


def agreement_of(session: Session, hub: HubFiles, encodings: Path, agency_id: str) -> Agreement:
    """The agreement `encodings` was made for, once it is known to be one `agency_id` may submit
    under: an active data-sharing agreement or licence naming the agency as a party."""
    agreement_id = read_layout(encodings).agreement
    if not agreement_id:
        raise SubmissionRefused(f"{encodings.name}: encoded for no agreement; encode it for the agreement "
                                "it is sent under (`accord node encode --agreement ID`)")
    agreement = get_agreement(session, agreement_id)
    if agreement is None:
        raise SubmissionRefused(f"{encodings.name}: encoded for agreement {agreement_id}, which is not "
                                "on file")
    if agreement.layer is AgreementLayer.ENTERPRISE_MEMORANDUM:
        raise SubmissionRefused(f"{encodings.name}: agreement {agreement_id} is an enterprise memorandum; "
                                "rosters go under the data-sharing agreement that names their data and use")
    if agreement.status is not AgreementStatus.ACTIVE:
        raise SubmissionRefused(f"{encodings.name}: agreement {agreement_id} is {agreement.status.value}, "
                                "not active")
    if agency_id not in agreement.parties:
        raise SubmissionRefused(f"{encodings.name}: agency {agency_id} is not a party to agreement "
                                f"{agreement_id}")
    school = searched_agency(session, agreement)
    if school is None:
        # A roster no run would ever search is one the hub should not hold (ADR 0015).
        raise SubmissionRefused(f"{encodings.name}: agreement {agreement_id} binds no education agency, "
                                "so no case request searches a roster under it")
    if agency_id != school and not hub.roster_path(agreement_id, school).exists():
        # A partner's encodings are kept only for the run that links them with the school's.
        raise SubmissionRefused(f"{encodings.name}: agency {school}'s roster for agreement {agreement_id} "
                                "is not at the hub yet; a partner's roster is linked with it and deleted "
                                "in the same load, so the school's comes first")
    return agreement


def searched_agency(session: Session, agreement: Agreement) -> str | None:
    """The party whose roster case requests under `agreement` search: its education agency."""
    return next((a for a in sorted(agreement.parties) if (found := get_agency(session, a)) is not None
                 and found.kind is AgencyKind.EDUCATION), None)


def add_to_roster(hub: HubFiles, agreement_id: str, agency_id: str, encodings: Path) -> int:
    """Merge `encodings` into the agency's roster for the agreement. Returns the roster's size."""
    return merge_into_roster(hub.roster_path(agreement_id, agency_id), encodings)


def train_waiting(reader: Session, hub: HubFiles, agreement: Agreement) -> list[tuple[str, dict[str, int]]]:
    """Link the school's roster for `agreement` with the partner roster just merged beside it, and
    save the lookup model for that partner's requests. Returns, per partner trained, the rosters'
    sizes, for `record_runs`. Reads the store only: training can take minutes. A run that fails
    deletes the partner's encodings all the same: they are never kept past their run."""
    school = searched_agency(reader, agreement)
    if school is None or not hub.roster_path(agreement.id, school).exists():
        return []
    runs = []
    waiting = [p for p in sorted(agreement.parties - {school}) if hub.roster_path(agreement.id, p).exists()]
    for partner in waiting:
        known, asking = hub.roster_path(agreement.id, school), hub.roster_path(agreement.id, partner)
        try:
            train_lookup_model(known, asking, hub.lookup_model_path(agreement.id, school, partner))
        except BaseException:
            asking.unlink(missing_ok=True)
            raise
        runs.append((partner, {school: roster_size(known), partner: roster_size(asking)}))
    return runs


def record_runs(session: Session, agreement: Agreement, runs: list[tuple[str, dict[str, int]]],
                at: datetime) -> None:
    """Record each training run in the ledger, with the deletion of the partner's encodings that
    `delete_trained` does once this transaction has committed."""
    for partner, sizes in runs:
        record(session, linkage_run_draft(agreement.id, TRAINING, sizes, [partner], at))


def delete_trained(hub: HubFiles, agreement: Agreement, runs: list[tuple[str, dict[str, int]]]) -> None:
    """Delete the encodings of the partners whose runs are recorded: the agreement keeps only the
    searched roster."""
    for partner, _ in runs:
        hub.roster_path(agreement.id, partner).unlink(missing_ok=True)
