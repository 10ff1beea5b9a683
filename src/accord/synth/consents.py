"""Consents of every form, for a share of the students, with the defects real files have.

Most are FERPA consents captured at enrollment; some are HIPAA authorizations, Part 2
consents (signed by the minor or by a parent) and NSLA consents. Some are revoked, some have
expired, some e-signatures never verified the signer, and the forms come in five languages.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from accord.domain.consents import Consent, ConsentForm, ConsentMethod, SignerRole, Statement
from accord.domain.purposes import Purpose
from accord.domain.students import AGE_OF_ELIGIBILITY, Student, birthday_on_or_after

LANGUAGES = ("en", "es", "vi", "so", "zh")
_LANGUAGE_WEIGHTS = (55, 28, 7, 5, 5)
_ALL_STATEMENTS = frozenset(Statement)
_SERVICES = frozenset({Purpose.SUPPORTIVE_SERVICES})
FERPA_TO_HEALTH = frozenset({"attendance", "grades", "family_background", "school_immunizations"})
FERPA_TO_DSS = frozenset({"attendance", "family_background"})


@dataclass(frozen=True, slots=True)
class Signing:
    """How and when a form was signed; the rest of a consent follows from what it is for."""

    on: date
    language: str
    method: ConsentMethod
    verified: bool
    ends_on: date | None
    revoked_at: datetime | None = None


def random_signing(rng: random.Random, as_of: date) -> Signing:
    """Signed in the last two years; about 6% revoked, some expired, a few unverified."""
    on = as_of - timedelta(days=rng.randint(20, 700))
    ends = on + timedelta(days=365 * rng.choice((1, 1, 2)))
    method = ConsentMethod.PAPER_SCAN if rng.random() < 0.6 else ConsentMethod.ELECTRONIC_SIGNATURE
    verified = method is ConsentMethod.ELECTRONIC_SIGNATURE and rng.random() < 0.9
    revoked = None
    if rng.random() < 0.06:
        revoked = datetime.combine(on + timedelta(days=rng.randint(5, max(6, (as_of - on).days))),
                                   time(9, 30))
    language = rng.choices(LANGUAGES, weights=_LANGUAGE_WEIGHTS)[0]
    return Signing(on, language, method, verified, ends, revoked)


def make_consent(id: str, student: str, signing: Signing, elements: frozenset[str],
                 recipients: frozenset[str], form: ConsentForm = ConsentForm.FERPA,
                 signer: SignerRole = SignerRole.PARENT, purposes: frozenset[Purpose] = _SERVICES,
                 discloser: str | None = "lea", enrollment: bool = False,
                 statements: frozenset[Statement] | None = None) -> Consent:
    """One consent; HIPAA and Part 2 forms carry every statement unless told otherwise."""
    if statements is None:
        statements = frozenset() if form in (ConsentForm.FERPA, ConsentForm.NSLA) else _ALL_STATEMENTS
    esign = signing.method is ConsentMethod.ELECTRONIC_SIGNATURE
    return Consent(
        id=id, student_id=student, signer_role=signer, data_elements=elements,
        purposes=purposes, recipient_agency_ids=recipients, recipient_roles=frozenset(),
        signed_on=signing.on, language=signing.language, method=signing.method,
        evidence_ref=f"{'esig' if esign else 'scan'}-{id}", starts_on=signing.on,
        ends_on=signing.ends_on, forms=frozenset({form}), statements=statements,
        signer_identity_verified=signing.verified, discloser_agency_id=discloser,
        captured_at_enrollment=enrollment, revoked_at=signing.revoked_at)


def _age(born: date, as_of: date) -> int:
    return (as_of - born).days // 365


def random_consents(rng: random.Random, s: Student, as_of: date, born: date) -> list[Consent]:
    """The consents one ordinary student (born on `born`) might have on file (often none)."""
    out: list[Consent] = []
    # The family signs as the law stands on the day; the hub judges it knowing only the month.
    adult = birthday_on_or_after(born, AGE_OF_ELIGIBILITY) <= as_of
    signer = SignerRole.STUDENT if adult else SignerRole.PARENT
    n = s.id.removeprefix("stu-")
    if rng.random() < 0.25:
        recipients = rng.choice((frozenset({"health"}), frozenset({"dss"}),
                                 frozenset({"health", "dss"})))
        elements = FERPA_TO_HEALTH if "health" in recipients else FERPA_TO_DSS
        out.append(make_consent(f"ferpa-{n}", s.id, random_signing(rng, as_of), elements,
                                recipients, signer=signer, enrollment=rng.random() < 0.8))
    if rng.random() < 0.05:
        # An authorization missing a statement now and then: it must not be honoured.
        statements = _ALL_STATEMENTS if rng.random() < 0.9 else frozenset({Statement.RIGHT_TO_REVOKE})
        out.append(make_consent(f"hipaa-{n}", s.id, random_signing(rng, as_of),
                                frozenset({"immunization_registry", "clinical_conditions"}),
                                frozenset({"lea"}), ConsentForm.HIPAA_AUTHORIZATION, signer,
                                discloser="health", statements=statements))
    if 12 <= _age(born, as_of) and rng.random() < 0.02:
        p2_signer = SignerRole.STUDENT if rng.random() < 0.6 else SignerRole.PARENT
        out.append(make_consent(f"part2-{n}", s.id, random_signing(rng, as_of),
                                frozenset({"sud_treatment"}), frozenset({"lea"}),
                                ConsentForm.PART2, p2_signer, discloser="clinic"))
    if rng.random() < 0.05:
        out.append(make_consent(f"nsla-{n}", s.id, random_signing(rng, as_of),
                                frozenset({"meal_eligibility_status"}),
                                frozenset({rng.choice(("tanf", "dss", "workforce"))}),
                                ConsentForm.NSLA, signer, enrollment=True))
    return out
