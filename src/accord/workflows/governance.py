"""Changes of authority, each saved together with its ledger entry in one transaction:
agreements activated, terminated or destroyed; consents recorded, revoked or confirmed."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy.orm import Session

from accord.domain import agreement_rules as rules
from accord.domain.agreements import Agreement
from accord.domain.consents import Consent, validate
from accord.ledger.entries import EntryKind
from accord.ledger.events import agreement_draft, consent_draft
from accord.store.repositories import agreements as agreement_repo
from accord.store.repositories import consents as consent_repo
from accord.store.repositories.students import get_student
from accord.workflows.ledger import record


def activate_agreement(session: Session, agreement_id: str, on: date, by: str) -> Agreement:
    """Draft -> active (raises AgreementNotReady listing every missing element)."""
    a = agreement_repo.require_agreement(session, agreement_id)
    active = rules.activate(a, on, agreement_repo.parent_of(session, a))
    agreement_repo.save_agreement(session, active)
    record(session, agreement_draft(EntryKind.AGREEMENT_ACTIVATED, active, by, on))
    return active


def terminate_agreement(session: Session, agreement_id: str, on: date, by: str) -> Agreement:
    ended = rules.terminate(agreement_repo.require_agreement(session, agreement_id), on)
    agreement_repo.save_agreement(session, ended)
    record(session, agreement_draft(EntryKind.AGREEMENT_TERMINATED, ended, by, on))
    return ended


def certify_destruction(session: Session, agreement_id: str, on: date, by: str) -> Agreement:
    done = rules.certify_destruction(agreement_repo.require_agreement(session, agreement_id), on)
    agreement_repo.save_agreement(session, done)
    record(session, agreement_draft(EntryKind.DESTRUCTION_CERTIFIED, done, by, on))
    return done


def record_consent(session: Session, consent: Consent, by: str, at: datetime) -> Consent:
    """Validate (raises ConsentInvalid listing each defect), store, and record it."""
    student = get_student(session, consent.student_id)
    saved = consent_repo.save_consent(session, validate(consent, student))
    record(session, consent_draft(EntryKind.CONSENT_RECORDED, saved, by, at))
    if saved.revoked_at is not None:  # a form that arrives already revoked (e.g. migrated)
        record(session, consent_draft(EntryKind.CONSENT_REVOKED, saved, by, saved.revoked_at))
    return saved


def revoke_consent(session: Session, consent_id: str, at: datetime, by: str) -> Consent:
    """Revocation from `at` on; disclosures made before it stay lawful and stay recorded."""
    revoked = consent_repo.revoke_consent(session, consent_id, at)
    record(session, consent_draft(EntryKind.CONSENT_REVOKED, revoked, by, at))
    return revoked


def confirm_consent(session: Session, consent_id: str, on: date, by: str) -> Consent:
    """The eligible student adopts the consent a parent signed (ADR 0005)."""
    confirmed = consent_repo.confirm_consent(session, consent_id, on)
    record(session, consent_draft(EntryKind.CONSENT_CONFIRMED, confirmed, by,
                                  datetime.combine(on, datetime.min.time())))
    return confirmed
