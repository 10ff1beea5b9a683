"""Agreements, keyed by (id, version): an amendment is a new version, never an overwrite."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import Session

from accord.domain.agreements import Agreement
from accord.store.errors import NotFound, guarded
from accord.store.models import AgreementPartyRow, AgreementRow
from accord.store.repositories.agreement_rows import to_domain, to_row

_ORDER = (AgreementRow.id, AgreementRow.version)


@guarded("saving an agreement")
def save_agreement(session: Session, agreement: Agreement) -> Agreement:
    """Insert a version, or replace that same version (e.g. after it was signed or activated)."""
    row = session.get(AgreementRow, (agreement.id, agreement.version))
    if row is not None:
        # Replace children whole; flushing the removal first keeps their keys free.
        row.parties.clear()
        row.signatures.clear()
        session.flush()
    session.add(to_row(agreement, row if row is not None else AgreementRow()))
    session.flush()
    return agreement


def get_agreement(session: Session, agreement_id: str, version: int | None = None) -> Agreement | None:
    """One version, or the latest version when `version` is None; None when absent."""
    if version is not None:
        row = session.get(AgreementRow, (agreement_id, version))
        return to_domain(row) if row is not None else None
    query = (select(AgreementRow).where(AgreementRow.id == agreement_id)
             .order_by(AgreementRow.version.desc()).limit(1))
    found = session.scalars(query).first()
    return to_domain(found) if found is not None else None


_LATEST = (select(func.max(AgreementRow.version)).where(AgreementRow.id == bindparam("agreement"))
           .scalar_subquery())
_PARTIES = (select(AgreementRow.id, AgreementPartyRow.agency_id)
            .outerjoin(AgreementPartyRow, (AgreementPartyRow.agreement_id == AgreementRow.id)
                       & (AgreementPartyRow.agreement_version == AgreementRow.version))
            .where(AgreementRow.id == bindparam("agreement"), AgreementRow.version == _LATEST))


def parties_of(session: Session, agreement_id: str) -> frozenset[str] | None:
    """The agencies party to the latest version of an agreement, on either side; None when it is not
    on file. One statement, built once: a case request asks it first, of every request."""
    rows = session.connection().execute(_PARTIES, {"agreement": agreement_id}).all()
    return frozenset(agency for _, agency in rows if agency is not None) if rows else None


def parent_of(session: Session, agreement: Agreement) -> Agreement | None:
    """The latest version of the agreement one layer above, if it names one."""
    return get_agreement(session, agreement.parent_id) if agreement.parent_id else None


def require_agreement(session: Session, agreement_id: str, version: int | None = None) -> Agreement:
    """Like get_agreement, but raise NotFound when it is absent."""
    found = get_agreement(session, agreement_id, version)
    if found is None:
        which = f" version {version}" if version is not None else ""
        raise NotFound(f"agreement {agreement_id}{which} is not on file").coded("no_such_agreement",
                                                                               agreement=agreement_id)
    return found


def agreement_versions(session: Session, agreement_id: str) -> list[Agreement]:
    """Every version of one agreement, oldest first."""
    query = select(AgreementRow).where(AgreementRow.id == agreement_id).order_by(*_ORDER)
    return [to_domain(r) for r in session.scalars(query)]


def list_agreements(session: Session, all_versions: bool = False) -> list[Agreement]:
    """The latest version of every agreement (or every version), by id and version."""
    query = select(AgreementRow).order_by(*_ORDER)
    if not all_versions:
        latest = (select(AgreementRow.id, func.max(AgreementRow.version).label("v"))
                  .group_by(AgreementRow.id).subquery())
        query = query.join(latest, (AgreementRow.id == latest.c.id)
                           & (AgreementRow.version == latest.c.v))
    return [to_domain(r) for r in session.scalars(query)]


def agreements_between(session: Session, agency_a: str, agency_b: str) -> list[Agreement]:
    """Every version of every agreement both agencies are party to (on either side)."""
    a, b = (select(AgreementPartyRow.agreement_id, AgreementPartyRow.agreement_version)
            .where(AgreementPartyRow.agency_id == agency) for agency in (agency_a, agency_b))
    keys = a.intersect(b).subquery()
    query = (select(AgreementRow)
             .join(keys, (AgreementRow.id == keys.c.agreement_id)
                   & (AgreementRow.version == keys.c.agreement_version))
             .order_by(*_ORDER))
    return [to_domain(r) for r in session.scalars(query)]


def with_parent_chain(session: Session, agreements: Iterable[Agreement]) -> list[Agreement]:
    """The agreements plus every version of every agreement above them, by id and version.

    One query per layer walked (at most two for the three layers), not one per agreement.
    """
    found = {(ag.id, ag.version): ag for ag in agreements}
    wanted = {ag.parent_id for ag in found.values() if ag.parent_id is not None}
    seen: set[str] = set()
    while wanted - seen:
        batch = wanted - seen
        seen |= batch
        rows = session.scalars(select(AgreementRow).where(AgreementRow.id.in_(batch)))
        parents = [to_domain(r) for r in rows]
        found.update({(p.id, p.version): p for p in parents})
        wanted |= {p.parent_id for p in parents if p.parent_id is not None}
    return [found[k] for k in sorted(found)]
