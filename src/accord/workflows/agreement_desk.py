"""Agreements through the service, for the records officers of their parties: draft one from its
document, list what still stops it, sign it for the officer's own agency, activate, terminate, and
certify the data's destruction. Each step is the command line's (workflows.governance), and an
agreement the officer's agency is not a party to is "not found"."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy.orm import Session

from accord.domain.agencies import User
from accord.domain.agreements import Agreement
from accord.intake.agreement_document import agreement_from_data
from accord.policy.preview import AgreementPreviewLine
from accord.workflows.governance import (
    AgreementNotVisible,
    activate_agreement,
    activation_problems,
    agreement_for,
    certify_destruction,
    draft_agreement,
    sign_agreement,
    terminate_agreement,
)
from accord.workflows.preview import agreement_preview


def draft_from_document(session: Session, officer: User, data: Any) -> Agreement:
    """A new draft, whose parties must include the officer's agency."""
    agreement = agreement_from_data(data, "the agreement")
    if officer.agency_id not in agreement.parties:
        raise AgreementNotVisible("an officer drafts only agreements their agency is a party to").coded(
            "drafts_own_agreements_only")
    return draft_agreement(session, agreement)


def missing_for(session: Session, officer: User, agreement_id: str, on: date) -> list[dict[str, Any]]:
    """Every element that stops the agreement becoming active on `on` (empty: it may be activated)."""
    agreement_for(session, officer, agreement_id)
    _, problems = activation_problems(session, agreement_id, None, on)
    return [{"code": p.code, "text": p.text, "citation": p.citation} for p in problems]


def preview_for(session: Session, officer: User, agreement_id: str,
                at: datetime) -> list[AgreementPreviewLine]:
    agreement_for(session, officer, agreement_id)
    return agreement_preview(session, agreement_id, at)


def sign_for(session: Session, officer: User, agreement_id: str, title: str, on: date) -> Agreement:
    """The officer's agency signs (never another party)."""
    agreement_for(session, officer, agreement_id)
    return sign_agreement(session, agreement_id, officer.agency_id, title, on)


def activate_for(session: Session, officer: User, agreement_id: str, on: date) -> Agreement:
    agreement_for(session, officer, agreement_id)
    return activate_agreement(session, agreement_id, on, officer.id)


def terminate_for(session: Session, officer: User, agreement_id: str, on: date) -> Agreement:
    agreement_for(session, officer, agreement_id)
    return terminate_agreement(session, agreement_id, on, officer.id)


def certify_destruction_for(session: Session, officer: User, agreement_id: str, on: date) -> Agreement:
    agreement_for(session, officer, agreement_id)
    return certify_destruction(session, agreement_id, on, officer.id)
