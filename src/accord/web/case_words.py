"""The words the caseworker's pages use for the domain's codes (purposes, groups of records, legal
bases, programs) and what a caseworker can do about each kind of refusal. Words only: the policy
decides, these say its answer plainly. English here, Spanish in the `cases` catalog."""

from __future__ import annotations

from accord.domain.agencies import Program
from accord.domain.elements import CATALOG, Sensitivity
from accord.domain.purposes import LegalBasis, Purpose
from accord.web.i18n import N_

# The purposes a case request can have (eligibility checks and studies have their own pages).
PURPOSES = {
    Purpose.SUPPORTIVE_SERVICES: N_("Supportive services for the child (needs the family's written consent)"),
    Purpose.HEALTH_SAFETY_EMERGENCY: N_("Health or safety emergency (state the threat below)"),
    Purpose.JUVENILE_JUSTICE: N_("Juvenile justice (under the state law your agreement names)"),
}

# The same, short, for the history's table.
PURPOSE_NAMES = {
    Purpose.SUPPORTIVE_SERVICES: N_("Supportive services"),
    Purpose.HEALTH_SAFETY_EMERGENCY: N_("Health or safety emergency"),
    Purpose.JUVENILE_JUSTICE: N_("Juvenile justice"),
}

GROUPS = {
    Sensitivity.DIRECTORY: N_("Directory information"),
    Sensitivity.EDUCATION_RECORD: N_("School records"),
    Sensitivity.HEALTH: N_("Health records"),
    Sensitivity.SUBSTANCE_USE: N_("Substance-use treatment"),
    Sensitivity.MEAL_ELIGIBILITY: N_("School meals"),
    Sensitivity.BENEFIT_STATUS: N_("Benefits"),
    Sensitivity.JUSTICE_RECORD: N_("Juvenile justice"),
}

PROGRAMS = {
    Program.SCHOOL_MEALS: N_("School meals"), Program.WIC: N_("WIC"), Program.SNAP: N_("SNAP"),
    Program.FDPIR: N_("Food distribution on Indian reservations (FDPIR)"), Program.TANF: N_("TANF"),
    Program.MEDICAID: N_("Medicaid"), Program.CHIP: N_("CHIP"),
    Program.STATE_HEALTH: N_("A state health program"),
    Program.FEDERAL_EDUCATION: N_("A federal education program"),
    Program.CHILD_WELFARE: N_("Child welfare (children in foster care)"),
    Program.SUD_TREATMENT: N_("Substance-use treatment program"), Program.WORKFORCE: N_("Workforce"),
    Program.JUVENILE_COURT: N_("Juvenile court"),
}

BASES = {
    LegalBasis.CONSENT: N_("Written consent of the parent or eligible student"),
    LegalBasis.HEALTH_SAFETY_EMERGENCY: N_("Health or safety emergency"),
    LegalBasis.JUVENILE_JUSTICE: N_("Juvenile-justice system, under state law"),
    LegalBasis.CHILD_WELFARE: N_("Child welfare agency responsible for the child"),
    LegalBasis.DIRECTORY_INFORMATION: N_("Directory information"),
    LegalBasis.STUDIES: N_("Study for the school"),
    LegalBasis.AUDIT_EVALUATION: N_("Audit or evaluation of an education program"),
    LegalBasis.DE_IDENTIFIED: N_("De-identified data"),
    LegalBasis.NSLA_DISCLOSURE: N_("School meals law"),
    LegalBasis.DIRECT_CERTIFICATION: N_("Direct certification for free meals"),
    LegalBasis.HIPAA_AUTHORIZATION: N_("HIPAA authorization"),
    LegalBasis.HIPAA_SERIOUS_THREAT: N_("HIPAA: serious threat to health or safety"),
    LegalBasis.PART2_CONSENT: N_("Consent under 42 CFR Part 2"),
    LegalBasis.PART2_MEDICAL_EMERGENCY: N_("Medical emergency under 42 CFR Part 2"),
    LegalBasis.STATE_STATUTE: N_("State statute"),
}

_CONSENT = N_("Ask the parent (or the student, if 18 or older) to sign a written consent that names your "
              "agency, these records and this purpose. The school's records officer records it.")
_TRAINING = N_("Complete the privacy training your agreement requires, then ask again.")
_AGREEMENT = N_("Ask only for records your agency's agreement grants, or ask the records officer about "
                "the agreement.")
_THREAT = N_("In an emergency, state the specific and significant threat to the child or to others.")
_SCOPE = N_("In an emergency, ask only for what is needed to deal with it.")
_NOT_FOUND = N_("Check the child's description at your agency's node (names, birth date, address) and "
                "encode it again.")
# What the caseworker can do, by the policy's code of the condition that failed.
ADVICE = {
    "consent": _CONSENT, "needs_consent": _CONSENT, "needs_hipaa_authorization": _CONSENT,
    "training": _TRAINING, "agreement": _AGREEMENT, "outside_agreement": _AGREEMENT,
    "emergency_threat": _THREAT, "emergency_scope": _SCOPE, "not_identified": _NOT_FOUND,
}
ALWAYS = N_("If you think this answer is wrong, contact the school's records officer.")

# Why no child was named, by the ledger's word for it (accord.ledger.intake_events.UNMATCHED_REASONS).
UNIDENTIFIED = {
    "not_found": N_("No record of the agency asked matches the child described."),
    "ambiguous": N_("The child described matches more than one record; Accord never guesses between "
                    "children."),
    "uncertain": N_("The only record that may be the child does not match with enough confidence."),
    "other_key": N_("The child was described under another key than the agency's roster for the agreement, "
                    "so no record could be compared."),
}


def advice(codes: list[str]) -> list[str]:
    """What to do about these failed conditions, each piece of advice once, the general one last."""
    picked = [ADVICE[c] for c in codes if c in ADVICE]
    return [*dict.fromkeys(picked), ALWAYS]


def element_groups() -> list[tuple[str, list[tuple[str, str]]]]:
    """The data-element catalog as the form shows it: (group label, [(code, label)]), in the
    order of GROUPS and of the catalog."""
    return [(label, [(e.code, e.label) for e in CATALOG.values() if e.sensitivity is group])
            for group, label in GROUPS.items()]
