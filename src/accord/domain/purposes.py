"""Purposes of a disclosure, the forms an output can take, and the legal bases Accord knows."""

from __future__ import annotations

from enum import StrEnum


class Purpose(StrEnum):
    SUPPORTIVE_SERVICES = "supportive_services"
    ELIGIBILITY_VERIFICATION = "eligibility_verification"
    RESEARCH_EVALUATION = "research_evaluation"
    HEALTH_SAFETY_EMERGENCY = "health_safety_emergency"
    JUVENILE_JUSTICE = "juvenile_justice"


class OutputForm(StrEnum):
    """What the recipient actually gets."""

    CASE_RECORD = "case_record"  # fields of one child's record
    ELIGIBILITY_FLAG = "eligibility_flag"  # a yes/no status from a cross-check
    STUDY_ENCLAVE = "study_enclave"  # pseudonymous rows in a study's analytic table at the hub
    AGGREGATE = "aggregate"  # de-identified tables that passed disclosure control


class StudyPurpose(StrEnum):
    """The only three purposes of the studies exception, 34 CFR 99.31(a)(6)(i)."""

    PREDICTIVE_TESTS = "develop_validate_administer_predictive_tests"
    STUDENT_AID = "administer_student_aid_programs"
    IMPROVE_INSTRUCTION = "improve_instruction"


class LegalBasis(StrEnum):
    CONSENT = "consent"
    HEALTH_SAFETY_EMERGENCY = "health_safety_emergency"
    JUVENILE_JUSTICE = "juvenile_justice"
    CHILD_WELFARE = "child_welfare"
    DIRECTORY_INFORMATION = "directory_information"
    STUDIES = "studies"
    AUDIT_EVALUATION = "audit_evaluation"
    DE_IDENTIFIED = "de_identified"
    NSLA_DISCLOSURE = "nsla_disclosure"
    DIRECT_CERTIFICATION = "direct_certification"
    HIPAA_AUTHORIZATION = "hipaa_authorization"
    HIPAA_SERIOUS_THREAT = "hipaa_serious_threat"
    PART2_CONSENT = "part2_consent"
    PART2_MEDICAL_EMERGENCY = "part2_medical_emergency"
    STATE_STATUTE = "state_statute"

    @property
    def citation(self) -> str:
        return CITATIONS[self]


CITATIONS: dict[LegalBasis, str] = {
    LegalBasis.CONSENT: "34 CFR 99.30",
    LegalBasis.HEALTH_SAFETY_EMERGENCY: "34 CFR 99.31(a)(10), 99.36",
    LegalBasis.JUVENILE_JUSTICE: "34 CFR 99.31(a)(5), 99.38",
    LegalBasis.CHILD_WELFARE: "20 USC 1232g(b)(1)(L)",
    LegalBasis.DIRECTORY_INFORMATION: "34 CFR 99.31(a)(11), 99.37",
    LegalBasis.STUDIES: "34 CFR 99.31(a)(6)",
    LegalBasis.AUDIT_EVALUATION: "34 CFR 99.31(a)(3), 99.35",
    LegalBasis.DE_IDENTIFIED: "34 CFR 99.31(b)(1)",
    LegalBasis.NSLA_DISCLOSURE: "42 USC 1758(b)(6)",
    LegalBasis.DIRECT_CERTIFICATION: "42 USC 1758(b)(3)(F), (b)(4)",
    LegalBasis.HIPAA_AUTHORIZATION: "45 CFR 164.508",
    LegalBasis.HIPAA_SERIOUS_THREAT: "45 CFR 164.512(j)",
    LegalBasis.PART2_CONSENT: "42 CFR 2.31",
    LegalBasis.PART2_MEDICAL_EMERGENCY: "42 CFR 2.51",
    LegalBasis.STATE_STATUTE: "state juvenile-records statute named in the agreement",
}
