"""Free/reduced-price meal eligibility under the school-lunch statute, 42 USC 1758(b)(6).

The statute is the specific law for these records and names who may receive them without the
parent's consent (FNS memo SP16-2016); everyone else needs that consent (see ADR 0004).
"""

from __future__ import annotations

from accord.domain.agencies import (
    CHILD_NUTRITION_PROGRAMS,
    MEANS_TESTED_NUTRITION_PROGRAMS,
    Program,
)
from accord.domain.consents import ConsentForm
from accord.domain.elements import CATALOG, Sensitivity
from accord.domain.purposes import LegalBasis
from accord.policy.assessment import Assessment, field_list
from accord.policy.consent_match import adult_or_parent_signer, consent_cover, report_uncovered
from accord.policy.grants import Grants, grant, of_sensitivity

_ALL_INFO = "42 USC 1758(b)(6)(A)(ii)"
_STATUS_ONLY = "42 USC 1758(b)(6)(A)(i)"
_MEDICAID = "42 USC 1758(b)(6)(D); 7 CFR 245.6"
_CONSENT = "42 USC 1758(b)(6); 7 CFR 245.6 (parent consent)"
_STATUS_ONLY_PROGRAMS = MEANS_TESTED_NUTRITION_PROGRAMS | {
    Program.FEDERAL_EDUCATION, Program.STATE_HEALTH}


def nsla_grants(a: Assessment, fields: frozenset[str]) -> Grants:
    """Meal-eligibility fields allowed by the statute's list of recipients, or by consent."""
    mine = of_sensitivity(fields, Sensitivity.MEAL_ELIGIBILITY)
    grants: Grants = {}
    if not mine:
        return grants
    status = frozenset(c for c in mine if CATALOG[c].eligibility_flag)
    rec = a.recipient
    if rec.runs(*CHILD_NUTRITION_PROGRAMS):
        a.holds("nsla", "child-nutrition programs may receive all eligibility information",
                _ALL_INFO)
        grant(grants, mine, LegalBasis.NSLA_DISCLOSURE)
    elif rec.runs(*_STATUS_ONLY_PROGRAMS):
        grant(grants, status, LegalBasis.NSLA_DISCLOSURE)
        _details_refused(a, mine - status, _STATUS_ONLY)
    elif rec.runs(Program.MEDICAID, Program.CHIP):
        _medicaid(a, status, grants)
        _details_refused(a, mine - status, _MEDICAID)
    else:
        a.fails("nsla_recipient", f"the school-lunch statute does not list a "
                f"{rec.kind.value.replace('_', ' ')} agency among those who may receive meal "
                "eligibility without the parent's consent", _CONSENT, mine)
    uncovered = mine - grants.keys()
    if uncovered:
        cover = consent_cover(a, uncovered, frozenset({ConsentForm.NSLA}), adult_or_parent_signer)
        for code, consents in cover.covered.items():
            grant(grants, {code}, LegalBasis.CONSENT, consents[0].id)
        report_uncovered(a, cover, uncovered - grants.keys(), _CONSENT)
    return grants


def _details_refused(a: Assessment, details: frozenset[str], citation: str) -> None:
    if details:
        a.fails("nsla_status_only", "this program may receive the eligibility status only, not: "
                f"{field_list(details)}", citation, details)


def _medicaid(a: Assessment, status: frozenset[str], grants: Grants) -> None:
    ag = a.agreement
    checks = [
        (a.facts.state.medicaid_meal_status_election,
         "the state has not elected to share meal eligibility with Medicaid/CHIP"),
        (ag is not None and ag.nsla_medicaid_election,
         "no agreement with the Medicaid/CHIP agency provides for this disclosure"),
        (ag is not None and ag.nsla_parent_notice_on is not None,
         "families have not been notified of the disclosure"),
        (not a.student.meal_disclosure_opt_out,
         "the family chose not to have meal eligibility shared with Medicaid/CHIP"),
    ]
    failed = [text for ok, text in checks if not ok]
    for text in failed:
        a.fails("nsla_medicaid", text, _MEDICAID, status)
    if not failed:
        grant(grants, status, LegalBasis.NSLA_DISCLOSURE)
