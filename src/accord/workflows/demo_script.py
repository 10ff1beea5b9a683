"""The demo's scripted situations: who asks whom for what, and why.

Each situation is written against the featured students of the synthetic county, so its
outcome never depends on the seed.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, time

from accord.domain.agencies import Program
from accord.domain.purposes import OutputForm, Purpose, StudyPurpose
from accord.policy.request import DisclosureRequest, StateLaw
from accord.synth import County

U, OF = Purpose, OutputForm
THREAT = ("the student told a teacher he plans to harm himself tonight and has a severe "
          "peanut allergy")


@dataclass(frozen=True, slots=True)
class Scenario:
    key: str
    situation: str  # one plain sentence for a records officer
    request: DisclosureRequest
    state: StateLaw | None = None  # a different state election, when the situation is about it


def scenarios(county: County) -> list[Scenario]:
    """About thirty situations across case release, eligibility and research."""
    f = county.featured
    at = datetime.combine(county.as_of, time(10, 0))
    elected = replace(county.state_law, medicaid_meal_status_election=True)

    def ask(key: str, situation: str, requester: str, student: str, holder: str,
            purpose: Purpose, fields: set[str], output: OutputForm = OF.CASE_RECORD,
            state: StateLaw | None = None, **extra: object) -> Scenario:
        request = DisclosureRequest(requester, student, holder, purpose, frozenset(fields), at,
                                    output, **extra)  # type: ignore[arg-type]
        return Scenario(key, situation, request, state)

    svc, emg, jj, elig, res = (U.SUPPORTIVE_SERVICES, U.HEALTH_SAFETY_EMERGENCY,
                               U.JUVENILE_JUSTICE, U.ELIGIBILITY_VERIFICATION,
                               U.RESEARCH_EVALUATION)
    return [
        ask("consented", "Health counselor asks for a child's records; the parent signed a "
            "consent at enrollment", "cw.health.1", f.consented, "lea", svc,
            {"attendance", "grades", "family_background"}),
        ask("consented_partial", "Same counselor also asks for discipline, which the consent "
            "does not name", "cw.health.1", f.consented, "lea", svc, {"attendance", "discipline"}),
        ask("directory", "Health counselor asks only for grade level (directory information)",
            "cw.health.1", f.no_consent, "lea", svc, {"grade_level"}),
        ask("directory_opt_out", "Same request, but the family opted out of directory "
            "information", "cw.health.1", f.opt_out, "lea", svc, {"grade_level"}),
        ask("emergency_threat", "Emergency: nurse states a specific threat and asks for "
            "emergency contacts, IEP status and grades", "cw.health.2", f.no_consent, "lea", emg,
            {"emergency_contacts", "iep_504_status", "grades"}, threat=THREAT),
        ask("emergency_no_threat", "Emergency claimed, but no threat is described",
            "cw.health.2", f.no_consent, "lea", emg, {"emergency_contacts"}, threat="urgent"),
        ask("juvenile_justice", "Probation officer, before adjudication, under the state "
            "juvenile code", "cw.court.1", f.no_consent, "lea", jj, {"attendance", "discipline"},
            pre_adjudication=True),
        ask("juvenile_justice_after", "Probation officer after the case was adjudicated",
            "cw.court.1", f.no_consent, "lea", jj, {"attendance"}),
        ask("child_welfare", "Child-welfare caseworker for a child in the agency's foster care",
            "cw.cws.1", f.foster, "lea", svc, {"attendance", "grades", "iep_504_status"}),
        ask("child_welfare_other", "Same caseworker asks about a child not in their care",
            "cw.cws.1", f.no_consent, "lea", svc, {"attendance"}),
        ask("social_services_no_consent", "Social-services caseworker asks for school records "
            "with no consent on file", "cw.dss.1", f.no_consent, "lea", svc,
            {"attendance", "family_background"}),
        ask("workforce_expired", "Workforce board asks under an agreement that ran out two "
            "months ago (the parent did consent)", "cw.workforce.1", f.consented, "lea", svc,
            {"attendance", "grades"}),
        ask("revoked", "Health counselor asks; the parent revoked the consent last week",
            "cw.health.1", f.revoked, "lea", svc, {"attendance"}),
        ask("untrained", "A new hire at the health department who has not taken FERPA "
            "training", "cw.health.untrained", f.consented, "lea", svc, {"attendance"}),
        ask("lapsed", "A health caseworker whose yearly training lapsed", "cw.health.lapsed",
            f.consented, "lea", svc, {"attendance"}),
        ask("just_18", "Student turned 18 three days ago; only the parent's consent is on file",
            "cw.health.1", f.just_18, "lea", svc, {"attendance"}),
        ask("dual_enrolled", "16-year-old taking college classes (rights are hers); the parent "
            "signed", "cw.health.1", f.dual, "lea", svc, {"attendance"}),
        ask("medicaid_no_election", "Medicaid outreach asks for meal status; the state has not "
            "elected to share it", "ew.medicaid.1", f.no_consent, "lea", elig,
            {"meal_eligibility_status"}, OF.ELIGIBILITY_FLAG),
        ask("medicaid_election", "Same request once the state elects to share and families "
            "were notified", "ew.medicaid.1", f.no_consent, "lea", elig,
            {"meal_eligibility_status"}, OF.ELIGIBILITY_FLAG, state=elected),
        ask("medicaid_opt_out", "Same, for a family that declined the Medicaid sharing",
            "ew.medicaid.1", f.opt_out, "lea", elig, {"meal_eligibility_status"},
            OF.ELIGIBILITY_FLAG, state=elected),
        ask("tanf_meal_status", "TANF employment office asks for meal status", "cw.tanf.1",
            f.no_consent, "lea", svc, {"meal_eligibility_status"}),
        ask("wic_meal_status", "WIC office asks for meal status (its old agreement was "
            "terminated; a new one is active)", "ew.wic.1", f.no_consent, "lea", elig,
            {"meal_eligibility_status"}, OF.ELIGIBILITY_FLAG),
        ask("direct_certification", "School meals office checks the SNAP roster for direct "
            "certification", "ew.lea.1", f.no_consent, "dss", elig, {"direct_certification"},
            OF.ELIGIBILITY_FLAG, source_program=Program.SNAP),
        ask("hipaa_to_school", "School counselor asks the health department for immunizations; "
            "a HIPAA authorization is on file", "cw.lea.1", f.hipaa, "health", svc,
            {"immunization_registry"}),
        ask("part2_general_consent", "School counselor asks the clinic for treatment records "
            "under a general consent", "cw.lea.2", f.sud_general, "clinic", svc,
            {"sud_treatment"}),
        ask("part2_consent", "Same, where the 16-year-old signed a Part 2 consent", "cw.lea.2",
            f.sud_part2, "clinic", svc, {"sud_treatment"}),
        ask("part2_emergency", "Medical emergency: clinic records to the health department's "
            "medical staff", "cw.health.2", f.sud_general, "clinic", emg, {"sud_treatment"},
            threat=THREAT),
        ask("research_aggregate", "University analyst asks for aggregate attendance and grades",
            "an.univ.1", f.no_consent, "lea", res, {"attendance", "grades"}, OF.AGGREGATE),
        ask("research_record_level", "Same analyst asks for record-level rows", "an.univ.1",
            f.no_consent, "lea", res, {"attendance", "grades"}, OF.STUDY_ENCLAVE),
        ask("research_enclave", "Study team loads pseudonymous rows into the hub enclave under "
            "a study licence", "ro.univ.1", f.no_consent, "lea", res,
            {"attendance", "grades", "assessments"}, OF.STUDY_ENCLAVE,
            study_purpose=StudyPurpose.IMPROVE_INSTRUCTION),
    ]
