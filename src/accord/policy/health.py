"""HIPAA (45 CFR 164) over a covered entity's health information, and 42 CFR Part 2 over
substance-use treatment records. Both are stricter than FERPA and apply on their own terms."""

from __future__ import annotations

from accord.domain.agencies import AgencyKind
from accord.domain.consents import ConsentForm
from accord.domain.elements import CATALOG
from accord.domain.purposes import LegalBasis, Purpose
from accord.policy.assessment import Assessment, field_list
from accord.policy.consent_match import (
    adult_or_parent_signer,
    any_signer,
    consent_cover,
    part2_signers_present,
    report_uncovered,
)
from accord.policy.grants import Grants, grant
from accord.policy.threat import threat_is_articulated

_HIPAA = "45 CFR 164.508"
_PART2 = "42 CFR 2.31"


def _emergency_fields(a: Assessment, fields: frozenset[str]) -> frozenset[str]:
    if a.request.purpose is not Purpose.HEALTH_SAFETY_EMERGENCY:
        return frozenset()
    if not threat_is_articulated(a.request.threat):
        return frozenset()
    return frozenset(c for c in fields if CATALOG[c].emergency_relevant)


def hipaa_grants(a: Assessment, mine: frozenset[str]) -> Grants:
    """Health information goes with a valid authorization, or to avert a serious threat."""
    grants: Grants = {}
    grant(grants, _emergency_fields(a, mine), LegalBasis.HIPAA_SERIOUS_THREAT)
    cover = consent_cover(a, mine, frozenset({ConsentForm.HIPAA_AUTHORIZATION}),
                          adult_or_parent_signer)
    for code, consents in cover.covered.items():
        grant(grants, {code}, LegalBasis.HIPAA_AUTHORIZATION, consents[0].id)
    uncovered = mine - grants.keys()
    if uncovered:
        a.fails("needs_hipaa_authorization", "health information from a covered entity needs a "
                "HIPAA authorization with every element of 45 CFR 164.508(c) for: "
                f"{field_list(uncovered)}", _HIPAA, uncovered)
        report_uncovered(a, cover, uncovered, _HIPAA)
    return grants


def part2_grants(a: Assessment, mine: frozenset[str]) -> Grants:
    """Substance-use treatment records: a Part 2 consent signed by the right person, or a
    medical emergency disclosure to medical personnel."""
    grants: Grants = {}
    # 42 CFR 2.51: in a medical emergency, to medical personnel only.
    if (a.recipient.kind is AgencyKind.HEALTH
            and a.request.purpose is Purpose.HEALTH_SAFETY_EMERGENCY
            and threat_is_articulated(a.request.threat)):
        grant(grants, mine, LegalBasis.PART2_MEDICAL_EMERGENCY)
    cover = consent_cover(a, mine, frozenset({ConsentForm.PART2}), any_signer)
    for code, consents in cover.covered.items():
        if code in grants:
            continue
        problem = part2_signers_present(a, consents)
        if problem is None:
            grant(grants, {code}, LegalBasis.PART2_CONSENT, consents[0].id)
        else:
            a.fails("part2_signer", problem, "42 CFR 2.14", frozenset({code}))
    uncovered = mine - grants.keys()
    if uncovered:
        a.fails("needs_part2_consent", "substance-use treatment records need a 42 CFR Part 2 "
                "consent; a general consent is not enough", _PART2, uncovered)
        report_uncovered(a, cover, uncovered, _PART2)
    return grants
