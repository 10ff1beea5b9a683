"""Consents: written, signed and dated permission from a parent or an eligible student.

A consent names what (data elements), why (purposes) and to whom (agencies or roles), in a
language the signer reads, and can be revoked from a moment on, never retroactively
(34 CFR 99.30). Health and substance-use data need their own forms (45 CFR 164.508,
42 CFR 2.31); one signed document may carry several forms when it has every element of each.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime
from enum import StrEnum

from accord.domain.agencies import Role
from accord.domain.purposes import Purpose
from accord.domain.students import Student
from accord.errors import AccordError


class SignerRole(StrEnum):
    PARENT = "parent"
    STUDENT = "student"  # an eligible student, or a minor who may consent under state law


class ConsentMethod(StrEnum):
    PAPER_SCAN = "paper_scan"
    ELECTRONIC_SIGNATURE = "electronic_signature"


class ConsentForm(StrEnum):
    FERPA = "ferpa"  # 34 CFR 99.30
    HIPAA_AUTHORIZATION = "hipaa_authorization"  # 45 CFR 164.508
    PART2 = "part2"  # 42 CFR 2.31
    NSLA = "nsla"  # parent consent to share meal eligibility, 7 CFR 245.6


class Statement(StrEnum):
    """Clauses a form must contain beyond what/why/to whom/signature/date."""

    RIGHT_TO_REVOKE = "right_to_revoke"
    EXPIRATION = "expiration"
    REDISCLOSURE_WARNING = "redisclosure_warning"
    NO_CONDITIONING = "no_conditioning"  # treatment/payment not conditioned on signing
    DISCLOSER_NAMED = "discloser_named"


REQUIRED_STATEMENTS: dict[ConsentForm, tuple[frozenset[Statement], str]] = {
    ConsentForm.FERPA: (frozenset(), "34 CFR 99.30(b)"),
    ConsentForm.NSLA: (frozenset(), "7 CFR 245.6"),
    ConsentForm.HIPAA_AUTHORIZATION: (
        frozenset({Statement.RIGHT_TO_REVOKE, Statement.EXPIRATION,
                   Statement.REDISCLOSURE_WARNING, Statement.NO_CONDITIONING,
                   Statement.DISCLOSER_NAMED}),
        "45 CFR 164.508(c)",
    ),
    ConsentForm.PART2: (
        frozenset({Statement.RIGHT_TO_REVOKE, Statement.EXPIRATION, Statement.DISCLOSER_NAMED}),
        "42 CFR 2.31(a)",
    ),
}


@dataclass(frozen=True, slots=True)
class Consent:
    id: str
    student_id: str
    signer_role: SignerRole
    data_elements: frozenset[str]
    purposes: frozenset[Purpose]
    recipient_agency_ids: frozenset[str]
    recipient_roles: frozenset[Role]
    signed_on: date | None
    language: str  # BCP 47 tag of the form the signer read, e.g. "es"
    method: ConsentMethod
    evidence_ref: str  # scan reference, or the e-signature transaction id
    starts_on: date
    ends_on: date | None = None
    forms: frozenset[ConsentForm] = frozenset({ConsentForm.FERPA})
    statements: frozenset[Statement] = frozenset()
    signer_identity_verified: bool = False  # 99.30(d): e-signature identifies and authenticates
    discloser_agency_id: str | None = None
    captured_at_enrollment: bool = False
    revoked_at: datetime | None = None
    confirmed_by_student_on: date | None = None  # after rights passed to the student

    def in_force(self, at: datetime) -> bool:
        """Signed, within its period, and not revoked before `at`."""
        on = at.date()
        if self.signed_on is None or self.starts_on > on:
            return False
        if self.ends_on is not None and on > self.ends_on:
            return False
        return self.revoked_at is None or at < self.revoked_at

    def names_recipient(self, agency_id: str, role: Role) -> bool:
        return agency_id in self.recipient_agency_ids or role in self.recipient_roles


class ConsentInvalid(AccordError, ValueError):
    """A consent record that cannot be accepted; the message lists each defect."""

    exit_code = 1


@dataclass(frozen=True, slots=True)
class Defect:
    """One reason a record is not a valid consent: the field it is about, a stable code (a page words
    it by that), the text with its citation, and the values the text names (form and statement
    codes, the day typed as signed)."""

    field: str
    code: str
    text: str
    values: tuple[tuple[str, str], ...] = ()


def consent_defects(c: Consent) -> list[str]:
    """Every reason this record is not a valid written consent, with its citation."""
    return [d.text for d in defects_of(c)]


def field_defects(c: Consent) -> list[tuple[str, str]]:
    """consent_defects, each with the field of the record it is about (a form shows it there)."""
    return [(d.field, d.text) for d in defects_of(c)]


def defects_of(c: Consent) -> list[Defect]:
    """consent_defects, each with its field and its code."""
    out = []
    if not c.data_elements:
        out.append(Defect("data_elements", "no_records",
                          "it names no records to be disclosed (34 CFR 99.30(b)(1))"))
    if not c.purposes:
        out.append(Defect("purposes", "no_purpose", "it states no purpose (34 CFR 99.30(b)(2))"))
    if not c.recipient_agency_ids and not c.recipient_roles:
        out.append(Defect("recipient_agency_ids", "no_recipient",
                          "it names no recipient (34 CFR 99.30(b)(3))"))
    if c.signed_on is None:
        out.append(Defect("signed_on", "not_signed", "it is not signed and dated (34 CFR 99.30(a))"))
    if not c.language.strip():
        out.append(Defect("language", "no_language", "the language of the form is not recorded"))
    if not c.evidence_ref.strip():
        out.append(Defect("evidence_ref", "no_evidence",
                          "there is no reference to the signed form or e-signature"))
    if c.method is ConsentMethod.ELECTRONIC_SIGNATURE and not c.signer_identity_verified:
        out.append(Defect("signer_identity_verified", "signer_not_authenticated", "the electronic signature "
                          "does not identify and authenticate the signer (34 CFR 99.30(d))"))
    if c.ends_on is not None and c.ends_on < c.starts_on:
        out.append(Defect("ends_on", "ends_before_start", "it ends before it starts"))
    for form in sorted(c.forms):
        needed, citation = REQUIRED_STATEMENTS[form]
        for s in sorted(needed - c.statements):
            out.append(Defect("statements", "statement_missing", f"the {form.value} form lacks the "
                              f"{s.value.replace('_', ' ')} statement ({citation})",
                              (("form", form.value), ("statement", s.value), ("citation", citation))))
    return out


def signer_defects(c: Consent, student: Student | None) -> list[str]:
    """A parent's signature on a day the rights had surely passed to the student: a consent that
    can never authorize anything, refused when it is recorded rather than denied at every request
    (ADR 0005). In the month the student turns 18 a parent's signature may still be good."""
    return [d.text for d in signer_defects_of(c, student)]


def signer_defects_of(c: Consent, student: Student | None) -> list[Defect]:
    """signer_defects, each with its code and the day signed."""
    if student is None or c.signer_role is not SignerRole.PARENT or c.signed_on is None:
        return []
    out, signed = [], c.signed_on.isoformat()
    if ConsentForm.FERPA in c.forms and student.is_eligible_student(c.signed_on):
        out.append(Defect("signer_role", "parent_after_rights_passed",
                          f"a parent signed it on {c.signed_on}, when FERPA rights had passed to the "
                          "student, who must sign it (34 CFR 99.5(a))", (("signed_on", signed),)))
    if c.forms - {ConsentForm.FERPA} and not student.is_minor(c.signed_on):
        out.append(Defect("signer_role", "parent_for_an_adult",
                          f"a parent signed it on {c.signed_on}, when the student was an adult, who must "
                          "sign it (45 CFR 164.502(g); 42 CFR 2.31)", (("signed_on", signed),)))
    return out


def validate(c: Consent, student: Student | None = None) -> Consent:
    """Return the consent, or raise ConsentInvalid listing every defect (with the student, also
    a signer who could not sign for them)."""
    defects = consent_defects(c) + signer_defects(c, student)
    if defects:
        raise ConsentInvalid(f"consent {c.id} is not valid: " + "; ".join(defects)).coded(
            "consent_not_valid", consent=c.id)
    return c


def revoke(c: Consent, at: datetime) -> Consent:
    """Revocation takes effect at `at`; disclosures made before it stay lawful."""
    if c.revoked_at is not None:
        raise ConsentInvalid(f"consent {c.id} was already revoked").coded("consent_revoked_already",
                                                                         consent=c.id)
    return replace(c, revoked_at=at)


def confirm_by_student(c: Consent, on: date) -> Consent:
    """The eligible student adopts a consent their parent signed (see ADR 0005)."""
    if c.signer_role is not SignerRole.PARENT:
        raise ConsentInvalid(f"consent {c.id} was signed by the student; nothing to confirm")
    return replace(c, confirmed_by_student_on=on)
