"""Agreements and consents: drafts, signatures and reading them; and the changes of authority,
each saved together with its ledger entry in one transaction: agreements activated, terminated or
destroyed; consents recorded, revoked or confirmed. What the faces call; every rule is here or
in the domain, none in a face."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

from sqlalchemy.orm import Session

from accord.domain import agreement_rules as rules
from accord.domain.agencies import Role, User
from accord.domain.agreements import (
    Agreement,
    AgreementStatus,
    AgreementTransitionError,
    MissingElement,
    Signature,
)
from accord.domain.consents import Consent, ConsentInvalid, consent_defects, signer_defects, validate
from accord.errors import AccordError
from accord.ledger.entries import EntryKind
from accord.ledger.events import agreement_draft, consent_draft
from accord.store.repositories import agreements as agreement_repo
from accord.store.repositories import consents as consent_repo
from accord.store.repositories.students import get_student
from accord.workflows.ledger import record


class AlreadyRecorded(AccordError, ValueError):
    """An agreement version or a consent with this id is on record already."""


class NotAParty(AccordError, ValueError):
    """An agency signing an agreement it is not a party to."""


def draft_agreement(session: Session, agreement: Agreement) -> Agreement:
    """Store a new draft (a version already on record is amended, never overwritten)."""
    if agreement_repo.get_agreement(session, agreement.id, agreement.version) is not None:
        raise AlreadyRecorded(f"agreement {agreement.id} version {agreement.version} exists already "
                              "(amend it instead)").coded("agreement_version_exists", id=agreement.id,
                                                          version=str(agreement.version))
    return agreement_repo.save_agreement(session, replace(agreement, status=AgreementStatus.DRAFT,
                                                          activated_on=None))


def agreements(session: Session) -> list[Agreement]:
    """The latest version of every agreement."""
    return agreement_repo.list_agreements(session)


class AgreementNotVisible(AccordError, LookupError):
    """An agreement the asking user's agency is not a party to (or none by that id)."""


def agreements_for(session: Session, user: User) -> list[Agreement]:
    """The agreements a user may read: all for an administrator, else those their agency is a party to."""
    return [a for a in agreements(session) if user.role is Role.ADMINISTRATOR or user.agency_id in a.parties]


def agreement_for(session: Session, user: User, agreement_id: str) -> Agreement:
    found = next((a for a in agreements_for(session, user) if a.id == agreement_id), None)
    if found is None:
        raise AgreementNotVisible(f"no agreement {agreement_id} that {user.agency_id} is a party to").coded(
            "no_such_agreement", agreement=agreement_id)
    return found


def agreement(session: Session, agreement_id: str, version: int | None = None) -> Agreement:
    """One agreement (the latest version by default); NotFound when there is none."""
    return agreement_repo.require_agreement(session, agreement_id, version)


def activation_problems(session: Session, agreement_id: str, version: int | None, on: date
                        ) -> tuple[Agreement, list[MissingElement]]:
    """The agreement, and every element that stops it becoming active on `on`."""
    a = agreement_repo.require_agreement(session, agreement_id, version)
    return a, rules.activation_problems(a, agreement_repo.parent_of(session, a), on)


def sign_agreement(session: Session, agreement_id: str, agency_id: str, title: str, on: date
                   ) -> Agreement:
    """A party's signature on the latest draft (a party signing again replaces its signature)."""
    a = agreement_repo.require_agreement(session, agreement_id)
    if a.status is not AgreementStatus.DRAFT:
        raise AgreementTransitionError(f"agreement {a.id} v{a.version} is {a.status.value}; only a draft "
                                       "can be signed").coded("only_a_draft_is_signed", agreement=a.id,
                                                              version=str(a.version))
    if agency_id not in a.parties:
        raise NotAParty(f"--agency: {agency_id} is not a party to agreement {a.id}").coded(
            "not_a_party", agency=agency_id, agreement=a.id)
    kept = tuple(x for x in a.signatures if x.agency_id != agency_id)
    return agreement_repo.save_agreement(session, replace(a, signatures=(*kept, Signature(agency_id, title,
                                                                                          on))))


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


def consent(session: Session, consent_id: str) -> Consent:
    return consent_repo.require_consent(session, consent_id)


def consent_problems(session: Session, c: Consent) -> list[str]:
    """Every defect that keeps a consent off the record (34 CFR 99.30; who may sign, ADR 0005)."""
    return consent_defects(c) + signer_defects(c, get_student(session, c.student_id))


def record_new_consent(session: Session, c: Consent, by: str, at: datetime) -> Consent:
    """record_consent for a consent not on record yet, of a registered student."""
    if consent_repo.get_consent(session, c.id) is not None:
        raise AlreadyRecorded(f"field 'id': consent {c.id} is already recorded").coded(
            "consent_already_recorded", field="id", id=c.id)
    if get_student(session, c.student_id) is None:
        # The student id is not echoed: it is the one identifier in the file.
        raise ConsentInvalid("field 'student_id': no such student is registered").coded(
            "unknown_student", field="student_id")
    return record_consent(session, c, by, at)


def confirm_by_student(session: Session, consent_id: str, on: date, by: str) -> Consent:
    """confirm_consent, once the student holds the rights. In the month the student turns 18 the
    hub does not hold the day (ADR 0016); the student confirms then too, so that the consent holds
    on either side of the birthday."""
    existing = consent_repo.require_consent(session, consent_id)
    student = get_student(session, existing.student_id)
    if student is None or not (student.is_eligible_student(on) or student.turning_18(on)):
        raise ConsentInvalid(f"consent {consent_id}: the student does not hold FERPA rights on {on}, "
                             "so there is nothing to confirm yet")
    return confirm_consent(session, consent_id, on, by)


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
