"""FERPA (34 CFR Part 99) over directory information and education records."""

from __future__ import annotations

from accord.domain.agencies import AgencyKind, Program
from accord.domain.consents import ConsentForm
from accord.domain.elements import CATALOG, Sensitivity
from accord.domain.purposes import LegalBasis, OutputForm, Purpose
from accord.policy.assessment import Assessment, field_list
from accord.policy.consent_match import consent_cover, ferpa_signer, report_uncovered
from accord.policy.grants import CODES_OF, Grants, grant
from accord.policy.research import research_grants
from accord.policy.threat import threat_is_articulated

_CONSENT = "34 CFR 99.30"
_FORMS = frozenset({ConsentForm.FERPA})


def ferpa_grants(a: Assessment, mine: frozenset[str]) -> Grants:
    """Fields FERPA allows to go, each with its basis; failures are recorded on `a`."""
    grants: Grants = {}
    if a.request.purpose is Purpose.RESEARCH_EVALUATION:
        return research_grants(a, mine)
    _directory(a, mine, grants)
    cover = consent_cover(a, mine, _FORMS, ferpa_signer)
    for code, consents in cover.covered.items():
        grant(grants, {code}, LegalBasis.CONSENT, consents[0].id)
    purpose = a.request.purpose
    if purpose is Purpose.HEALTH_SAFETY_EMERGENCY:
        _emergency(a, mine - grants.keys(), grants)
    elif purpose is Purpose.JUVENILE_JUSTICE:
        _juvenile_justice(a, mine - grants.keys(), grants)
    elif purpose is Purpose.SUPPORTIVE_SERVICES:
        _child_welfare(a, mine - grants.keys(), grants)
    uncovered = mine - grants.keys()
    if uncovered:
        _no_exception(a, uncovered)
        report_uncovered(a, cover, uncovered, _CONSENT)
    return grants


def _directory(a: Assessment, fields: frozenset[str], grants: Grants) -> None:
    directory = fields & CODES_OF[Sensitivity.DIRECTORY]
    if not directory or a.request.output is not OutputForm.CASE_RECORD:
        return
    if a.student.directory_opt_out:
        a.fails("directory_opt_out", "the family opted out of directory information for: "
                f"{field_list(directory)}", "34 CFR 99.37(a)(3)", directory)
        return
    grant(grants, directory, LegalBasis.DIRECTORY_INFORMATION)


def _emergency(a: Assessment, fields: frozenset[str], grants: Grants) -> None:
    cite = LegalBasis.HEALTH_SAFETY_EMERGENCY.citation
    if not fields:
        return
    if not threat_is_articulated(a.request.threat):
        a.fails("emergency_threat", "an emergency release needs the articulable and significant "
                "threat stated in words", cite + "; 99.32(a)(5)", fields)
        return
    needed = frozenset(c for c in fields if CATALOG[c].emergency_relevant)
    if fields - needed:
        a.fails("emergency_scope", "not needed to meet the emergency: "
                f"{field_list(fields - needed)}", "34 CFR 99.36(a)", fields - needed)
    grant(grants, needed, LegalBasis.HEALTH_SAFETY_EMERGENCY)


def _juvenile_justice(a: Assessment, fields: frozenset[str], grants: Grants) -> None:
    if not fields:
        return
    cite, ag = LegalBasis.JUVENILE_JUSTICE.citation, a.agreement
    checks = [
        (a.recipient.kind is AgencyKind.JUVENILE_JUSTICE,
         "the recipient is not a juvenile-justice agency"),
        (ag is not None and LegalBasis.JUVENILE_JUSTICE in ag.legal_bases
         and bool((ag.state_statute or "").strip()),
         "no active agreement cites the state statute that allows this disclosure (99.38(a))"),
        (ag is not None and ag.non_redisclosure_certification is not None,
         "the recipient's written certification of non-redisclosure is not on file (99.38(b))"),
        (a.request.pre_adjudication,
         "the disclosure must serve the student before adjudication (99.38(a))"),
    ]
    if a.all_hold("juvenile_justice", checks, cite, fields):
        grant(grants, fields, LegalBasis.JUVENILE_JUSTICE)


def _child_welfare(a: Assessment, fields: frozenset[str], grants: Grants) -> None:
    if not fields or not a.recipient.runs(Program.CHILD_WELFARE):
        return
    cite = LegalBasis.CHILD_WELFARE.citation
    if a.student.foster_care_agency_id != a.recipient.id:
        a.fails("child_welfare", "the child-welfare agency is not responsible for this child's "
                "foster-care placement", cite, fields)
        return
    if a.requester.role.value != "caseworker":
        a.fails("child_welfare", "only the child's caseworker may receive records under the "
                "child-welfare exception", cite, fields)
        return
    grant(grants, fields, LegalBasis.CHILD_WELFARE)


def _no_exception(a: Assessment, fields: frozenset[str]) -> None:
    kind = a.recipient.kind
    if kind in (AgencyKind.HEALTH, AgencyKind.SOCIAL_SERVICES, AgencyKind.LABOR,
                AgencyKind.NUTRITION_PROGRAM) and a.request.purpose in (
            Purpose.SUPPORTIVE_SERVICES, Purpose.ELIGIBILITY_VERIFICATION):
        signer = ("the eligible student" if a.student.is_eligible_student(a.on)
                  else ("a parent and confirmed by the student, who turns 18 this month"
                        if a.student.turns_18_month_known()
                        else "a parent and confirmed by the student, who may have turned 18")
                  if a.student.turning_18(a.on) else "a parent")
        a.fails("needs_consent",
                f"FERPA has no exception for giving education records to a "
                f"{kind.value.replace('_', ' ')} agency for "
                f"{a.request.purpose.value.replace('_', ' ')}: a written consent signed and "
                f"dated by {signer}, naming {a.recipient.id}, these records and this purpose, "
                "is needed", _CONSENT, fields)
