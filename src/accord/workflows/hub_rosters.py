"""The hub's encoded rosters: merging a load into an agency's roster, and keeping the lookup
models that case requests use in step with the rosters they were trained on."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.orm import Session

from accord.domain.agencies import AgencyKind
from accord.linkage.hub.lookup import train_lookup_model
from accord.linkage.hub.roster_store import merge_into_roster
from accord.store.repositories.agencies import get_agency, list_agencies
from accord.workflows.hub_files import lookup_model_path, roster_path


def add_to_roster(session: Session, agency_id: str, encodings: Path) -> int:
    """Merge `encodings` into the agency's roster, then retrain every lookup model that pairs it
    with another agency's roster (education with each partner). Returns the roster's size."""
    size = merge_into_roster(roster_path(agency_id), encodings)
    agency = get_agency(session, agency_id)
    others = [a for a in list_agencies(session) if a.id != agency_id and roster_path(a.id).exists()]
    if agency is not None and agency.kind is AgencyKind.EDUCATION:
        pairs = [(agency_id, a.id) for a in others if a.kind is not AgencyKind.EDUCATION]
    else:
        pairs = [(a.id, agency_id) for a in others if a.kind is AgencyKind.EDUCATION]
    for school, partner in pairs:
        train_lookup_model(roster_path(school), roster_path(partner), lookup_model_path(school, partner))
    return size
