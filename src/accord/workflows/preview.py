"""Previews read from the store: what a consent, an agreement or a student's record file
would let each recipient receive (see accord.policy.preview)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from accord.domain.consents import Consent
from accord.policy.preview import (
    AgreementPreviewLine,
    PreviewLine,
    PreviewWorld,
    preview_agreement,
    preview_consent,
    preview_student,
)
from accord.store.errors import NotFound
from accord.store.repositories.agencies import list_agencies
from accord.store.repositories.agreements import list_agreements, require_agreement
from accord.store.repositories.consents import consents_for_student, require_consent
from accord.store.repositories.state_law import get_state_law
from accord.store.repositories.students import get_student


def _world(session: Session, student_id: str | None) -> PreviewWorld:
    consents = tuple(consents_for_student(session, student_id)) if student_id else ()
    return PreviewWorld({a.id: a for a in list_agencies(session)},
                        tuple(list_agreements(session, all_versions=True)), consents,
                        get_state_law(session))


def consent_preview(session: Session, consent_id: str, at: datetime) -> list[PreviewLine]:
    """What the consent, with everything else on file for the student, would release."""
    consent = require_consent(session, consent_id)
    student = get_student(session, consent.student_id)
    if student is None:
        raise NotFound(f"consent {consent_id} names a student who is not registered").coded(
            "student_not_registered")
    return preview_consent(_world(session, student.id), consent, student, at)


def unsigned_consent_preview(session: Session, consent: Consent, at: datetime) -> list[PreviewLine]:
    """consent_preview for a consent not recorded (yet): a family's, before it signs."""
    student = get_student(session, consent.student_id)
    if student is None:
        raise NotFound("no such student is registered").coded("student_not_registered")
    return preview_consent(_world(session, student.id), consent, student, at)


def student_preview(session: Session, student_id: str, at: datetime) -> list[PreviewLine]:
    """Everything the student's record could go out as today, recipient by recipient."""
    student = get_student(session, student_id)
    if student is None:
        raise NotFound("no such student is registered").coded("student_not_registered")
    return preview_student(_world(session, student_id), student, at)


def agreement_preview(session: Session, agreement_id: str,
                      at: datetime) -> list[AgreementPreviewLine]:
    """What the agreement grants each role, and what could go without consent."""
    return preview_agreement(_world(session, None), require_agreement(session, agreement_id), at)
