"""Consents: saved whole, revoked or confirmed in place (revocation is never retroactive)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from sqlalchemy import Row, insert, select
from sqlalchemy.orm import Session

from accord.domain import consents as rules
from accord.domain.agencies import Role
from accord.domain.consents import Consent, ConsentForm, ConsentMethod, SignerRole, Statement
from accord.domain.purposes import Purpose
from accord.store.errors import NotFound, guarded
from accord.store.models import ConsentRow


def _values(c: Consent) -> dict[str, Any]:
    return dict(
        id=c.id, student_id=c.student_id, signer_role=c.signer_role.value,
        data_elements=list(c.data_elements), purposes=[p.value for p in c.purposes],
        recipient_agency_ids=list(c.recipient_agency_ids),
        recipient_roles=[r.value for r in c.recipient_roles],
        forms=[f.value for f in c.forms], statements=[s.value for s in c.statements],
        signed_on=c.signed_on, language=c.language, method=c.method.value,
        evidence_ref=c.evidence_ref, starts_on=c.starts_on, ends_on=c.ends_on,
        signer_identity_verified=c.signer_identity_verified,
        discloser_agency_id=c.discloser_agency_id,
        captured_at_enrollment=c.captured_at_enrollment, revoked_at=c.revoked_at,
        confirmed_by_student_on=c.confirmed_by_student_on,
    )


def consent_of_row(r: ConsentRow | Row[Any]) -> Consent:
    """The Consent a row of the consents table stores (an ORM row or a Core row)."""
    return Consent(
        id=r.id, student_id=r.student_id, signer_role=SignerRole(r.signer_role),
        data_elements=frozenset(r.data_elements),
        purposes=frozenset(Purpose(p) for p in r.purposes),
        recipient_agency_ids=frozenset(r.recipient_agency_ids),
        recipient_roles=frozenset(Role(x) for x in r.recipient_roles),
        signed_on=r.signed_on, language=r.language, method=ConsentMethod(r.method),
        evidence_ref=r.evidence_ref, starts_on=r.starts_on, ends_on=r.ends_on,
        forms=frozenset(ConsentForm(f) for f in r.forms),
        statements=frozenset(Statement(s) for s in r.statements),
        signer_identity_verified=r.signer_identity_verified,
        discloser_agency_id=r.discloser_agency_id,
        captured_at_enrollment=r.captured_at_enrollment, revoked_at=r.revoked_at,
        confirmed_by_student_on=r.confirmed_by_student_on,
    )


@guarded("saving a consent")
def save_consent(session: Session, consent: Consent) -> Consent:
    """Insert or replace a consent; the student must already be stored."""
    session.merge(ConsentRow(**_values(consent)))
    session.flush()
    return consent


@guarded("adding consents")
def add_consents(session: Session, consents: Iterable[Consent]) -> int:
    """Bulk-insert new consents (insert-only); returns how many."""
    rows = [_values(c) for c in consents]
    if rows:
        session.execute(insert(ConsentRow), rows)
    return len(rows)


def get_consent(session: Session, consent_id: str) -> Consent | None:
    """The consent, or None when unknown."""
    row = session.get(ConsentRow, consent_id)
    return consent_of_row(row) if row is not None else None


def require_consent(session: Session, consent_id: str) -> Consent:
    """Like get_consent, but raise NotFound when it is absent."""
    found = get_consent(session, consent_id)
    if found is None:
        raise NotFound(f"consent {consent_id} is not on file").coded("no_such_consent", consent=consent_id)
    return found


def consents_for_student(session: Session, student_id: str) -> list[Consent]:
    """One student's consents, oldest start first."""
    query = (select(ConsentRow).where(ConsentRow.student_id == student_id)
             .order_by(ConsentRow.starts_on, ConsentRow.id))
    return [consent_of_row(r) for r in session.scalars(query)]


def list_consents(session: Session) -> list[Consent]:
    """Every consent, by id."""
    return [consent_of_row(r) for r in session.scalars(select(ConsentRow).order_by(ConsentRow.id))]


def revoke_consent(session: Session, consent_id: str, at: datetime) -> Consent:
    """Record a revocation from `at` on (domain rules: once only, never retroactive)."""
    return save_consent(session, rules.revoke(require_consent(session, consent_id), at))


def confirm_consent(session: Session, consent_id: str, on: date) -> Consent:
    """Record that the eligible student confirmed a consent their parent signed."""
    return save_consent(session, rules.confirm_by_student(require_consent(session, consent_id), on))
