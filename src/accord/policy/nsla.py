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
from accord.domain.elements import CATALOG
from accord.domain.purposes import LegalBasis
from accord.policy.assessment import Assessment, field_list
from accord.policy.consent_match import adult_or_parent_signer, consent_cover, report_uncovered
from accord.policy.grants import Grants, grant

_ALL_INFO = "42 USC 1758(b)(6)(A)(ii)"
_STATUS_ONLY = "42 USC 1758(b)(6)(A)(i)"
_MEDICAID_CITE = "42 USC 1758(b)(6)(D); 7 CFR 245.6"
_CONSENT_CITE = "42 USC 1758(b)(6); 7 CFR 245.6 (parent consent)"
_STATUS_ONLY_PROGRAMS = MEANS_TESTED_NUTRITION_PROGRAMS | {
    Program.FEDERAL_EDUCATION, Program.STATE_HEALTH}
_ALL, _STATUS, _MEDICAID, _NONE = 3, 2, 1, 0  # what the statute lets a program receive


def _tier(program: Program) -> int:
    if program in CHILD_NUTRITION_PROGRAMS:
        return _ALL
    if program in _STATUS_ONLY_PROGRAMS:
        return _STATUS
    if program in (Program.MEDICAID, Program.CHIP):
        return _MEDICAID
    return _NONE


def _recipient_tier(a: Assessment, mine: frozenset[str]) -> int:
    """The statute keys on the program; where the request names none, the agency's most
    restricted program decides (the strictest reading)."""
    acting = a.request.acting_program
    if acting is not None:
        if acting not in a.recipient.programs:
            a.fails("nsla_program", f"the requesting agency does not administer {acting.value}",
                    _CONSENT_CITE, mine)
            return _NONE
        return _tier(acting)
    tiers = [_tier(p) for p in a.recipient.programs]
    if len(set(tiers)) > 1 and min(tiers) < _STATUS:
        a.fails("nsla_program", "this agency runs programs the statute treats differently; the "
                "request must name the program it is for", _CONSENT_CITE, mine)
    return min(tiers, default=_NONE)


def nsla_grants(a: Assessment, mine: frozenset[str]) -> Grants:
    """Meal-eligibility fields allowed by the statute's list of recipients, or by consent."""
    grants: Grants = {}
    status = frozenset(c for c in mine if CATALOG[c].eligibility_flag)
    tier = _recipient_tier(a, mine)
    if tier == _ALL:
        a.holds("nsla", "child-nutrition programs may receive all eligibility information",
                _ALL_INFO)
        grant(grants, mine, LegalBasis.NSLA_DISCLOSURE)
    elif tier == _STATUS:
        grant(grants, status, LegalBasis.NSLA_DISCLOSURE)
        _details_refused(a, mine - status, _STATUS_ONLY)
    elif tier == _MEDICAID:
        _medicaid(a, status, grants)
        _details_refused(a, mine - status, _MEDICAID_CITE)
    else:
        a.fails("nsla_recipient", "the school-lunch statute does not list this program among "
                "those that may receive meal eligibility without the parent's consent",
                _CONSENT_CITE, mine)
    uncovered = mine - grants.keys()
    if uncovered:
        cover = consent_cover(a, uncovered, frozenset({ConsentForm.NSLA}), adult_or_parent_signer)
        for code, consents in cover.covered.items():
            grant(grants, {code}, LegalBasis.CONSENT, consents[0].id)
        report_uncovered(a, cover, uncovered - grants.keys(), _CONSENT_CITE)
    return grants


def _details_refused(a: Assessment, details: frozenset[str], citation: str) -> None:
    if details:
        a.fails("nsla_status_only", "this program may receive the eligibility status only, not: "
                f"{field_list(details)}", citation, details)


def _medicaid(a: Assessment, status: frozenset[str], grants: Grants) -> None:
    ag = a.agreement
    state = a.facts.state
    source = state.provenance(not state.medicaid_meal_status_election, "not elected")
    checks = [
        (state.medicaid_meal_status_election,
         f"the state has not elected to share meal eligibility with Medicaid/CHIP ({source})"),
        (ag is not None and ag.nsla_medicaid_election,
         "no agreement with the Medicaid/CHIP agency provides for this disclosure"),
        (_households_notified(a),
         "families have not been notified of the disclosure"),
        (not a.student.meal_disclosure_opt_out,
         "the family chose not to have meal eligibility shared with Medicaid/CHIP"),
    ]
    if a.all_hold("nsla_medicaid", checks, _MEDICAID_CITE, status):
        a.holds("nsla_medicaid", "the state elected to share meal eligibility with Medicaid/CHIP "
                f"({source}) and families were notified", _MEDICAID_CITE, status)
        grant(grants, status, LegalBasis.NSLA_DISCLOSURE)


def _households_notified(a: Assessment) -> bool:
    """Either the state (its recorded notice) or the agreement notified households, by the
    day of the request: a household can only opt out of a disclosure it was told about."""
    ag = a.agreement
    notices = (a.facts.state.medicaid_meal_notice_on,
               ag.nsla_parent_notice_on if ag is not None else None)
    return any(on is not None and on <= a.on for on in notices)
