"""Which agencies a caseworker can ask for a child's records: the sources of the data-sharing
agreements in force that name the caseworker's agency as a recipient. The request form offers
these; the policy still decides each request (an agency offered here may refuse every field)."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from accord.domain.agencies import Agency
from accord.domain.agreements import AgreementLayer
from accord.store.repositories.agencies import get_agency, get_user
from accord.store.repositories.agreements import list_agreements


def case_sources(session: Session, user_id: str, on: date) -> list[Agency]:
    """The agencies that share records with `user_id`'s agency under an agreement in force on `on`,
    by name; none for an unknown user."""
    user = get_user(session, user_id)
    if user is None:
        return []
    ids = {source for a in list_agreements(session)
           if a.layer is AgreementLayer.DATA_SHARING_AGREEMENT and a.in_force(on)
           and user.agency_id in a.recipient_agency_ids
           for source in a.source_agency_ids - {user.agency_id}}
    agencies = [agency for agency in (get_agency(session, i) for i in ids) if agency is not None]
    return sorted(agencies, key=lambda a: (a.name, a.id))
