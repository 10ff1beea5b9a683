"""Small synthetic domain objects for the store tests (made-up ids, no real people)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy.orm import Session

from accord.domain.agencies import Agency, AgencyKind, Program, Role, User
from accord.domain.agreements import (
    Agreement,
    AgreementLayer,
    AgreementStatus,
    Signature,
    StudyTerms,
)
from accord.domain.consents import Consent, ConsentForm, ConsentMethod, SignerRole, Statement
from accord.domain.purposes import LegalBasis, Purpose, StudyPurpose
from accord.domain.students import Student
from accord.domain.training import Completion, Course
from accord.store.repositories.agencies import save_agency, save_user
from accord.store.repositories.students import save_student

D = date(2026, 1, 15)
LEA = Agency("lea", "Riverside Unified", AgencyKind.EDUCATION,
             frozenset({Program.SCHOOL_MEALS, Program.FEDERAL_EDUCATION}))
HEALTH = Agency("health", "County Health Dept", AgencyKind.HEALTH, frozenset({Program.STATE_HEALTH}))
CWS = Agency("cws", "Child Welfare Services", AgencyKind.SOCIAL_SERVICES,
             frozenset({Program.CHILD_WELFARE}))
AGENCIES = (LEA, HEALTH, CWS)
OFFICER = User("u-officer", "lea", Role.RECORDS_OFFICER, "Records Officer A")
NURSE = User("u-nurse", "health", Role.CASEWORKER, "Caseworker B")
STUDENT = Student("stu-1", "lea", date(2028, 2, 1), None, False, True, "cws")
COURSE = Course("ferpa-basics", "FERPA basics", 365, True)


def seed_parties(session: Session) -> None:
    """Agencies, users and one student: what most repositories need to exist first."""
    for a in AGENCIES:
        save_agency(session, a)
    save_user(session, OFFICER)
    save_user(session, NURSE)
    save_student(session, STUDENT)


def agreement(id_: str = "dsa-1", version: int = 1, **kw: object) -> Agreement:
    base: dict[str, object] = dict(
        id=id_, title="Health services DSA", layer=AgreementLayer.DATA_SHARING_AGREEMENT,
        source_agency_ids=frozenset({"lea"}), recipient_agency_ids=frozenset({"health"}),
        purposes=frozenset({Purpose.SUPPORTIVE_SERVICES}),
        legal_bases=frozenset({LegalBasis.CONSENT, LegalBasis.STUDIES}),
        data_elements=frozenset({"grade_level", "enrollment_status"}),
        recipient_roles=frozenset({Role.CASEWORKER}), permitted_uses="service planning",
        effective_on=D, ends_on=date(2027, 6, 30), destruction_deadline=date(2027, 9, 30),
        destruction_method="secure deletion", safeguards=("encryption at rest", "access logs"),
        signatures=(Signature("lea", "Superintendent", D), Signature("health", "Director", D)),
        version=version, parent_id="em-1", status=AgreementStatus.ACTIVE, activated_on=D,
        study=StudyTerms(StudyPurpose.IMPROVE_INSTRUCTION, "grades 6-8", True, True),
        state_statute="State Code 1-2-3",
        non_redisclosure_certification=Signature("health", "Director", D),
        evaluates_education_program=True, nsla_medicaid_election=True,
        nsla_parent_notice_on=D, amendment_note="",
    )
    base.update(kw)
    return Agreement(**base)  # type: ignore[arg-type]


def memorandum(**kw: object) -> Agreement:
    return agreement("em-1", layer=AgreementLayer.ENTERPRISE_MEMORANDUM, parent_id=None,
                     source_agency_ids=frozenset({"lea", "health", "cws"}),
                     recipient_agency_ids=frozenset({"lea", "health", "cws"}), **kw)


def consent(id_: str = "c-1", **kw: object) -> Consent:
    base: dict[str, object] = dict(
        id=id_, student_id="stu-1", signer_role=SignerRole.PARENT,
        data_elements=frozenset({"grade_level"}), purposes=frozenset({Purpose.SUPPORTIVE_SERVICES}),
        recipient_agency_ids=frozenset({"health"}), recipient_roles=frozenset({Role.CASEWORKER}),
        signed_on=D, language="es", method=ConsentMethod.ELECTRONIC_SIGNATURE,
        evidence_ref="esig-0001", starts_on=D, ends_on=date(2027, 1, 1),
        forms=frozenset({ConsentForm.FERPA, ConsentForm.HIPAA_AUTHORIZATION}),
        statements=frozenset(Statement), signer_identity_verified=True,
        discloser_agency_id="lea", captured_at_enrollment=True,
        revoked_at=None, confirmed_by_student_on=None,
    )
    base.update(kw)
    return Consent(**base)  # type: ignore[arg-type]


def completion(user_id: str = "u-nurse", on: date = D) -> Completion:
    return Completion.of(user_id, COURSE, on)


REVOKED_AT = datetime(2026, 3, 1, 9, 30)
