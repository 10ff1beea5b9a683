"""Research and evaluation: record-level rows only under the studies or audit/evaluation
exceptions (or consent); everything else leaves the hub only as de-identified aggregates."""

from __future__ import annotations

from accord.domain.consents import ConsentForm
from accord.domain.purposes import LegalBasis
from accord.policy.assessment import Assessment
from accord.policy.consent_match import consent_cover, ferpa_signer, report_uncovered
from accord.policy.grants import Grants, grant

_STUDIES = "34 CFR 99.31(a)(6)(i)"
_AUDIT = "34 CFR 99.35(a)(1)"
_DEID = LegalBasis.DE_IDENTIFIED.citation


def research_grants(a: Assessment, fields: frozenset[str]) -> Grants:
    """Record-level education records for a study enclave, under the exception that fits."""
    grants: Grants = {}
    ag = a.agreement
    if ag is not None and LegalBasis.STUDIES in ag.legal_bases and ag.study is not None:
        asked = a.request.study_purpose or ag.study.study_purpose
        if asked is ag.study.study_purpose:
            grant(grants, fields, LegalBasis.STUDIES)
            return grants
        a.fails("study_purpose", "the study's stated purpose is not the one its agreement "
                "names", _STUDIES, fields)
    elif a.request.study_purpose is None:
        a.fails("study_purpose", "the studies exception covers only studies to develop or "
                "validate predictive tests, administer student aid, or improve instruction",
                _STUDIES, fields)
    if ag is not None and LegalBasis.AUDIT_EVALUATION in ag.legal_bases:
        if ag.evaluates_education_program:
            grant(grants, fields, LegalBasis.AUDIT_EVALUATION)
            return grants
        a.fails("audit_scope", "audit or evaluation covers federal or state supported "
                "education programs only", _AUDIT, fields)
    cover = consent_cover(a, fields, frozenset({ConsentForm.FERPA}), ferpa_signer)
    for code, consents in cover.covered.items():
        grant(grants, {code}, LegalBasis.CONSENT, consents[0].id)
    uncovered = fields - grants.keys()
    if uncovered:
        a.fails("research_record_level", "outside the studies and audit/evaluation exceptions "
                "research receives only de-identified aggregates", _DEID, uncovered)
        report_uncovered(a, cover, uncovered, "34 CFR 99.30")
    return grants
