"""The words a family reads on its pages: each kind of record, each purpose, each legal basis and each
consent's sentences, in plain language (marked for the catalogs, so Spanish comes from family.po).
The catalog's own labels (accord.domain.elements) are a records officer's words; these are a parent's.
tests/web/test_consent_readability.py measures every sentence a consent can produce."""

from __future__ import annotations

from accord.domain.agencies import Role
from accord.domain.elements import CATALOG
from accord.domain.purposes import LegalBasis, Purpose
from accord.web.i18n import N_

RECORDS: dict[str, str] = {
    "grade_level": N_("Grade in school"),
    "enrollment_status": N_("Which school they go to"),
    "enrolled_in_district": N_("If they go to a school here (yes or no)"),
    "activities_awards": N_("Clubs, sports and awards"),
    "attendance": N_("Attendance (days at school and days missed)"),
    "grades": N_("Grades and marks"),
    "enrollment_history": N_("Past schools and dates"),
    "assessments": N_("State test scores"),
    "discipline": N_("Times they were in trouble at school"),
    "family_background": N_("Facts about the family"),
    "iep_504_status": N_("Special help plan (IEP or 504 plan)"),
    "english_learner": N_("If they are learning English"),
    "homeless_status": N_("If the family has no fixed home"),
    "emergency_contacts": N_("Who to call in an emergency"),
    "school_health_screenings": N_("Health checks at school, like eyes and ears"),
    "school_immunizations": N_("Shots on the school record"),
    "meal_eligibility_status": N_("If they get free or low-cost school meals"),
    "meal_application_details": N_("The school meal form (family size and pay)"),
    "clinical_conditions": N_("Health problems a doctor found"),
    "immunization_registry": N_("Shots on the state health record"),
    "medicaid_enrollment": N_("Medicaid or CHIP health care"),
    "sud_treatment": N_("Drug or alcohol treatment records"),
    "snap_participation": N_("Food help (SNAP)"),
    "tanf_participation": N_("Cash help for families (TANF)"),
    "direct_certification": N_("Free meals through another program"),
    "juvenile_justice_contact": N_("Time with the youth court"),
}
assert RECORDS.keys() == CATALOG.keys(), "every kind of record needs its plain words"

# The purpose as a whole sentence, said after the list of recipients.
PURPOSE_SENTENCES: dict[str, str] = {
    Purpose.SUPPORTIVE_SERVICES: N_("They may use them to plan help and services."),
    Purpose.ELIGIBILITY_VERIFICATION: N_("They may use them to check if the family can get benefits."),
    Purpose.RESEARCH_EVALUATION: N_("They may use them for research, only in tables with no names."),
    Purpose.HEALTH_SAFETY_EMERGENCY: N_("They may use them to help in a health or safety emergency."),
    Purpose.JUVENILE_JUSTICE: N_("They may use them to work with the youth court."),
}
# The purpose as a short label, in the table of who could receive what.
PURPOSES: dict[str, str] = {
    Purpose.SUPPORTIVE_SERVICES: N_("To plan help and services"),
    Purpose.ELIGIBILITY_VERIFICATION: N_("To check for benefits"),
    Purpose.RESEARCH_EVALUATION: N_("For research"),
    Purpose.HEALTH_SAFETY_EMERGENCY: N_("In an emergency"),
    Purpose.JUVENILE_JUSTICE: N_("For the youth court"),
}
assert PURPOSE_SENTENCES.keys() == PURPOSES.keys() == set(Purpose)

BASES: dict[str, str] = {
    LegalBasis.CONSENT: N_("Your written consent"),
    LegalBasis.HEALTH_SAFETY_EMERGENCY: N_("A health or safety emergency"),
    LegalBasis.JUVENILE_JUSTICE: N_("A state law on youth courts"),
    LegalBasis.CHILD_WELFARE: N_("The law on foster care"),
    LegalBasis.DIRECTORY_INFORMATION: N_("Directory facts (shared unless you say no)"),
    LegalBasis.STUDIES: N_("A study the law allows"),
    LegalBasis.AUDIT_EVALUATION: N_("A check of school programs"),
    LegalBasis.DE_IDENTIFIED: N_("Only tables with no names"),
    LegalBasis.NSLA_DISCLOSURE: N_("The school meals law"),
    LegalBasis.DIRECT_CERTIFICATION: N_("The school meals law (free meals)"),
    LegalBasis.HIPAA_AUTHORIZATION: N_("Your signed health form"),
    LegalBasis.HIPAA_SERIOUS_THREAT: N_("The health privacy law, to stop a serious threat"),
    LegalBasis.PART2_CONSENT: N_("Your special form for treatment records"),
    LegalBasis.PART2_MEDICAL_EMERGENCY: N_("A medical emergency"),
    LegalBasis.STATE_STATUTE: N_("A state law"),
}
assert BASES.keys() == set(LegalBasis)

# A consent may name a kind of worker rather than an agency.
ROLES: dict[str, str] = {
    Role.RECORDS_OFFICER: N_("Any school records officer"),
    Role.CASEWORKER: N_("Any case worker"),
    Role.ELIGIBILITY_WORKER: N_("Any benefits worker"),
    Role.ANALYST: N_("Any researcher"),
    Role.PARENT: N_("Any parent"),
    Role.ELIGIBLE_STUDENT: N_("Any student"),
    Role.ADMINISTRATOR: N_("Any administrator"),
}

# Who said yes, as the reader says it: (who signed, who reads).
SAID_YES: dict[tuple[str, str], str] = {
    ("parent", "parent"): N_("You said yes. %(school)s may share these records:"),
    ("student", "eligible_student"): N_("You said yes. %(school)s may share these records:"),
    ("parent", "eligible_student"): N_("Your parent said yes. %(school)s may share these records:"),
    ("student", "parent"): N_("Your child said yes. %(school)s may share these records:"),
}


def said_yes(signer: str, reader: Role) -> str:
    return SAID_YES.get((signer, reader.value), SAID_YES[("parent", "parent")])
