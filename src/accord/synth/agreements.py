"""The county's agreements in three layers, built through the real lifecycle steps.

Active agreements go through `activate()`, so every one of them has all the elements
34 CFR 99.35(a)(3) asks for; the problematic ones (expired, terminated, an incomplete draft)
are there on purpose.
"""

from __future__ import annotations

from datetime import date, timedelta

from accord.domain.agencies import Agency, Role
from accord.domain.agreement_rules import activate, terminate
from accord.domain.agreements import (
    Agreement,
    AgreementLayer,
    Signature,
)
from accord.domain.elements import CATALOG, Sensitivity
from accord.domain.purposes import LegalBasis, Purpose
from accord.synth.research import research_licences

U, B, R = Purpose, LegalBasis, Role
_CW, _EW = frozenset({R.CASEWORKER}), frozenset({R.ELIGIBILITY_WORKER})
_SAFEGUARDS = ("encryption in transit and at rest", "role-based access", "annual FERPA training")
EDUCATION_ELEMENTS = frozenset(c for c, e in CATALOG.items() if e.sensitivity in (
    Sensitivity.DIRECTORY, Sensitivity.EDUCATION_RECORD))
EM_ID = "em-county"
def _sign(on: date, *agencies: str) -> tuple[Signature, ...]:
    return tuple(Signature(a, "Agency director", on) for a in sorted(agencies))


def draft(id: str, title: str, source: str, recipient: str, purposes: set[Purpose],
          elements: set[str] | frozenset[str], roles: frozenset[Role], bases: set[LegalBasis],
          start: date, end: date, parent: str | None = EM_ID,
          layer: AgreementLayer = AgreementLayer.DATA_SHARING_AGREEMENT,
          **extra: object) -> Agreement:
    """A signed draft with every core element; `extra` carries basis-specific terms."""
    return Agreement(
        id=id, title=title, layer=layer, source_agency_ids=frozenset({source}),
        recipient_agency_ids=frozenset({recipient}), purposes=frozenset(purposes),
        legal_bases=frozenset(bases), data_elements=frozenset(elements), recipient_roles=roles,
        permitted_uses=f"{title}: only for the stated purposes, for the named children",
        effective_on=start, ends_on=end, destruction_deadline=end + timedelta(days=90),
        destruction_method="NIST SP 800-88 purge", safeguards=_SAFEGUARDS,
        signatures=_sign(start - timedelta(days=14), source, recipient), parent_id=parent,
        **extra)  # type: ignore[arg-type]


def memorandum(agencies: tuple[Agency, ...], start: date, end: date) -> Agreement:
    """The enterprise memorandum: every agency, every purpose; the DSAs narrow it."""
    ids = frozenset(a.id for a in agencies)
    em = Agreement(
        id=EM_ID, title="County integrated data system memorandum",
        layer=AgreementLayer.ENTERPRISE_MEMORANDUM, source_agency_ids=ids,
        recipient_agency_ids=ids, purposes=frozenset(Purpose), legal_bases=frozenset(LegalBasis),
        data_elements=frozenset(CATALOG), recipient_roles=frozenset(Role),
        permitted_uses="governance of the county's integrated data system",
        effective_on=start, ends_on=end, destruction_deadline=end + timedelta(days=90),
        destruction_method="NIST SP 800-88 purge", safeguards=("county data governance board",),
        signatures=_sign(start - timedelta(days=30), *ids))
    return activate(em, start)


def _partner_drafts(s: date, e: date, as_of: date) -> list[Agreement]:
    cert = Signature("court", "Chief probation officer", s - timedelta(days=14))
    return [
        draft("dsa-health", "School-health coordination", "lea", "health",
              {U.SUPPORTIVE_SERVICES, U.HEALTH_SAFETY_EMERGENCY},
              {"attendance", "grades", "family_background", "iep_504_status",
               "emergency_contacts", "school_health_screenings", "school_immunizations",
               "grade_level", "enrollment_status", "discipline"}, _CW,
              {B.CONSENT, B.HEALTH_SAFETY_EMERGENCY, B.DIRECTORY_INFORMATION}, s, e),
        draft("dsa-health-to-school", "Health records for school nurses", "health", "lea",
              {U.SUPPORTIVE_SERVICES}, {"clinical_conditions", "immunization_registry"}, _CW,
              {B.HIPAA_AUTHORIZATION}, s, e),
        draft("dsa-medicaid", "Medicaid/CHIP outreach", "lea", "medicaid",
              {U.ELIGIBILITY_VERIFICATION}, {"meal_eligibility_status"}, _EW,
              {B.NSLA_DISCLOSURE}, s, e, nsla_medicaid_election=True,
              nsla_parent_notice_on=s + timedelta(days=30)),
        draft("dsa-dss", "Family support services", "lea", "dss", {U.SUPPORTIVE_SERVICES},
              {"attendance", "grades", "family_background"}, _CW, {B.CONSENT}, s, e),
        draft("dsa-dss-to-school", "Direct certification for school meals", "dss", "lea",
              {U.ELIGIBILITY_VERIFICATION}, {"direct_certification", "snap_participation"}, _EW,
              {B.DIRECT_CERTIFICATION}, s, e),
        draft("dsa-tanf", "TANF employment services", "lea", "tanf", {U.SUPPORTIVE_SERVICES},
              {"attendance", "meal_eligibility_status"}, _CW, {B.CONSENT}, s, e),
        draft("dsa-cws", "Education stability for children in foster care", "lea", "cws",
              {U.SUPPORTIVE_SERVICES}, {"attendance", "grades", "discipline", "iep_504_status",
                                        "enrollment_history"}, _CW,
              {B.CHILD_WELFARE, B.CONSENT}, s, e),
        draft("dsa-court", "Juvenile probation pre-adjudication services", "lea", "court",
              {U.JUVENILE_JUSTICE}, {"attendance", "discipline", "grades"}, _CW,
              {B.JUVENILE_JUSTICE}, s, e, state_statute="State Juvenile Code 12-3-401",
              non_redisclosure_certification=cert),
        draft("dsa-court-to-school", "Court notices to schools", "court", "lea",
              {U.SUPPORTIVE_SERVICES}, {"juvenile_justice_contact"}, _CW, {B.STATE_STATUTE}, s, e,
              state_statute="State Juvenile Code 12-3-405"),
        draft("dsa-clinic-to-school", "Recovery support at school", "clinic", "lea",
              {U.SUPPORTIVE_SERVICES}, {"sud_treatment"}, _CW, {B.PART2_CONSENT}, s, e),
        draft("dsa-clinic-health", "Medical emergencies", "clinic", "health",
              {U.HEALTH_SAFETY_EMERGENCY}, {"sud_treatment"}, _CW,
              {B.PART2_MEDICAL_EMERGENCY}, s, e),
        draft("dsa-wic", "WIC outreach", "lea", "wic", {U.ELIGIBILITY_VERIFICATION},
              {"meal_eligibility_status", "meal_application_details"}, _EW,
              {B.NSLA_DISCLOSURE}, s, e),
        draft("dsa-research", "Education research partnership", "lea", "univ",
              {U.RESEARCH_EVALUATION}, EDUCATION_ELEMENTS, frozenset({R.ANALYST, R.RECORDS_OFFICER}),
              {B.DE_IDENTIFIED, B.STUDIES, B.CONSENT}, s, e),
    ]


def build_agreements(agencies: tuple[Agency, ...], as_of: date,
                     research_projects: int = 3) -> tuple[Agreement, ...]:
    """Memorandum, one DSA per partner, research licences, and three problem cases."""
    em_start, em_end = as_of - timedelta(days=900), as_of + timedelta(days=1500)
    em = memorandum(agencies, em_start, em_end)
    s, e = as_of - timedelta(days=500), as_of + timedelta(days=600)
    dsas = [activate(d, s, em) for d in _partner_drafts(s, e, as_of)]
    research = next(d for d in dsas if d.id == "dsa-research")
    duls = [activate(d, s, research) for d in research_licences(research, research_projects, s, e)]
    # Problem cases. The workforce agreement ran out two months ago and was never renewed;
    # its renewal is a draft with no data elements or safeguards yet.
    old_start = as_of - timedelta(days=800)
    expired = activate(draft("dsa-workforce", "Youth employment services", "lea", "workforce",
                             {U.SUPPORTIVE_SERVICES}, {"attendance", "grades", "enrollment_history"},
                             _CW, {B.CONSENT}, old_start, as_of - timedelta(days=60)),
                       old_start, em)
    renewal = Agreement(
        id="dsa-workforce-renewal", title="Youth employment services (renewal)",
        layer=AgreementLayer.DATA_SHARING_AGREEMENT, source_agency_ids=frozenset({"lea"}),
        recipient_agency_ids=frozenset({"workforce"}), purposes=frozenset({U.SUPPORTIVE_SERVICES}),
        legal_bases=frozenset({B.CONSENT}), data_elements=frozenset(), recipient_roles=_CW,
        permitted_uses="youth employment services", effective_on=None, ends_on=None,
        destruction_deadline=None, destruction_method="", safeguards=(), parent_id=EM_ID)
    # An earlier WIC agreement, terminated when the WIC office changed vendors.
    wic_old = activate(draft("dsa-wic-2024", "WIC outreach (previous vendor)", "lea", "wic",
                             {U.ELIGIBILITY_VERIFICATION}, {"meal_eligibility_status"}, _EW,
                             {B.NSLA_DISCLOSURE}, old_start, e), old_start, em)
    wic_old = terminate(wic_old, s - timedelta(days=1))
    return (em, *dsas, *duls, expired, renewal, wic_old)
