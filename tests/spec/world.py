"""The small synthetic county the decision table is written against.

Every name in the table (users, students, agreements, consents, fact tokens) is defined here.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from accord.domain.agencies import Agency, AgencyKind, Program, Role, User
from accord.domain.agreements import (
    Agreement,
    AgreementLayer,
    AgreementStatus,
    Signature,
    StudyTerms,
)
from accord.domain.consents import Consent, ConsentForm, ConsentMethod, SignerRole, Statement
from accord.domain.elements import CATALOG
from accord.domain.purposes import LegalBasis, Purpose, StudyPurpose
from accord.domain.students import NO_LATER_MONTH, Student
from accord.domain.training import Completion

AS_OF = datetime(2026, 11, 29, 10, 0)
TODAY = AS_OF.date()
YESTERDAY = TODAY - timedelta(days=1)
K, P = AgencyKind, Program

AGENCIES = {a.id: a for a in (
    Agency("lea", "Riverside Unified", K.EDUCATION, frozenset({P.SCHOOL_MEALS, P.FEDERAL_EDUCATION}),
           frozenset({"255901001"})),
    Agency("health", "County Health Dept", K.HEALTH, frozenset({P.STATE_HEALTH})),
    Agency("medicaid", "State Medicaid Agency", K.HEALTH, frozenset({P.MEDICAID, P.CHIP})),
    Agency("snap", "County SNAP Office", K.SOCIAL_SERVICES, frozenset({P.SNAP})),
    Agency("tanf", "County TANF Office", K.SOCIAL_SERVICES, frozenset({P.TANF})),
    Agency("dss", "Dept of Social Services", K.SOCIAL_SERVICES, frozenset({P.SNAP, P.TANF})),
    Agency("cws", "Child Welfare Services", K.SOCIAL_SERVICES, frozenset({P.CHILD_WELFARE})),
    Agency("labor", "Workforce Board", K.LABOR, frozenset({P.WORKFORCE})),
    Agency("court", "Juvenile Probation", K.JUVENILE_JUSTICE, frozenset({P.JUVENILE_COURT})),
    Agency("clinic", "Youth Recovery Clinic", K.HEALTH, frozenset({P.SUD_TREATMENT})),
    Agency("wic", "WIC Office", K.NUTRITION_PROGRAM, frozenset({P.WIC})),
    Agency("univ", "State University Research Center", K.RESEARCH, frozenset()),
)}

R = Role
USERS = {u.id: u for u in (
    User("cw.health", "health", R.CASEWORKER), User("cw.untrained", "health", R.CASEWORKER),
    User("cw.lapsed", "health", R.CASEWORKER), User("cw.snap", "snap", R.CASEWORKER),
    User("cw.tanf", "tanf", R.CASEWORKER), User("ew.dss", "dss", R.ELIGIBILITY_WORKER),
    User("cw.cws", "cws", R.CASEWORKER),
    User("cw.labor", "labor", R.CASEWORKER), User("po.court", "court", R.CASEWORKER),
    User("ew.medicaid", "medicaid", R.ELIGIBILITY_WORKER), User("ew.lea", "lea", R.ELIGIBILITY_WORKER),
    User("ew.wic", "wic", R.ELIGIBILITY_WORKER), User("cw.lea", "lea", R.CASEWORKER),
    User("an.univ", "univ", R.ANALYST), User("ro.univ", "univ", R.RECORDS_OFFICER),
    User("admin.lea", "lea", R.ADMINISTRATOR), User("parent.1", "lea", R.PARENT),
)}

COMPLETIONS = tuple(
    Completion(u, "ferpa-basics", date(2026, 9, 1), date(2027, 9, 1))
    for u in USERS if u not in ("cw.untrained", "cw.lapsed")
) + (Completion("cw.lapsed", "ferpa-basics", date(2025, 9, 1), date(2026, 9, 1)),)

# The hub knows the month each student turns 18, never the birth date (ADR 0016).
STUDENTS = {s.id: s for s in (
    Student("stu-minor", "lea", date(2032, 5, 1)),
    Student("stu-18", "lea", date(2026, 10, 1)),  # turned 18 last month
    Student("stu-turning", "lea", date(2026, 11, 1)),  # turns 18 this month: the day is not known
    Student("stu-dual", "lea", date(2028, 1, 1), postsecondary_enrolled_on=date(2026, 8, 20)),
    Student("stu-foster", "lea", date(2031, 2, 1), foster_care_agency_id="cws"),
    Student("stu-optout", "lea", date(2030, 3, 1), directory_opt_out=True,
            meal_disclosure_opt_out=True),
    Student("stu-teen", "lea", date(2029, 6, 1)),
    # The school's node sent bounds, not the month (ADR 0030): "not before February 2027"...
    Student("stu-far", "lea", date(2027, 2, 1), turns_18_by=NO_LATER_MONTH),
    # ...and, from a students file months old, "not before this month", with no newer file since.
    Student("stu-stale", "lea", date(2026, 11, 1), turns_18_by=NO_LATER_MONTH),
)}

_EDU = frozenset(c for c, e in CATALOG.items() if e.sensitivity.value in (
    "directory", "education_record", "meal_eligibility"))


def _sig(*agencies: str) -> tuple[Signature, ...]:
    return tuple(Signature(a, "Director", date(2025, 6, 1)) for a in agencies)


def _dsa(id: str, source: str, recipient: str, purposes: set[Purpose], elements: set[str],
         roles: set[Role], bases: set[LegalBasis], parent: str = "em", **kw: object) -> Agreement:
    layer = kw.pop("layer", AgreementLayer.DATA_SHARING_AGREEMENT)
    return Agreement(
        id=id, title=id, layer=layer, source_agency_ids=frozenset({source}),  # type: ignore[arg-type]
        recipient_agency_ids=frozenset({recipient}), purposes=frozenset(purposes),
        legal_bases=frozenset(bases), data_elements=frozenset(elements),
        recipient_roles=frozenset(roles), permitted_uses="services planning for the named child",
        effective_on=date(2025, 7, 1), ends_on=date(2028, 6, 30),
        destruction_deadline=date(2028, 9, 30), destruction_method="NIST 800-88 purge",
        safeguards=("encryption at rest", "role-based access"), signatures=_sig(source, recipient),
        parent_id=parent, status=AgreementStatus.ACTIVE, activated_on=date(2025, 7, 1),
        **kw)  # type: ignore[arg-type]


U = Purpose
B = LegalBasis
EM = Agreement(
    id="em", title="County enterprise memorandum", layer=AgreementLayer.ENTERPRISE_MEMORANDUM,
    source_agency_ids=frozenset(AGENCIES), recipient_agency_ids=frozenset(AGENCIES),
    purposes=frozenset(Purpose), legal_bases=frozenset(LegalBasis),
    data_elements=frozenset(CATALOG), recipient_roles=frozenset(Role),
    permitted_uses="the county's integrated data system", effective_on=date(2025, 1, 1),
    ends_on=date(2030, 12, 31), destruction_deadline=date(2031, 3, 31),
    destruction_method="NIST 800-88 purge", safeguards=("county data governance board",),
    signatures=_sig(*AGENCIES), status=AgreementStatus.ACTIVE, activated_on=date(2025, 1, 1))

_CW, _EW = {R.CASEWORKER}, {R.ELIGIBILITY_WORKER}
AGREEMENTS = {a.id: a for a in (
    EM,
    _dsa("dsa-health", "lea", "health", {U.SUPPORTIVE_SERVICES, U.HEALTH_SAFETY_EMERGENCY},
         {"attendance", "grades", "family_background", "iep_504_status", "emergency_contacts",
          "school_health_screenings", "school_immunizations", "grade_level", "enrollment_status",
          "discipline"}, _CW, {B.CONSENT, B.HEALTH_SAFETY_EMERGENCY, B.DIRECTORY_INFORMATION}),
    _dsa("dsa-health-to-school", "health", "lea", {U.SUPPORTIVE_SERVICES},
         {"clinical_conditions", "immunization_registry"}, _CW, {B.HIPAA_AUTHORIZATION}),
    _dsa("dsa-snap", "lea", "snap", {U.SUPPORTIVE_SERVICES}, {"attendance", "family_background"},
         _CW, {B.CONSENT}),
    _dsa("dsa-snap-to-school", "snap", "lea", {U.ELIGIBILITY_VERIFICATION},
         {"direct_certification", "snap_participation"}, _EW, {B.DIRECT_CERTIFICATION}),
    _dsa("dsa-dss-to-school", "dss", "lea", {U.ELIGIBILITY_VERIFICATION},
         {"direct_certification"}, _EW, {B.DIRECT_CERTIFICATION}),
    _dsa("dsa-medicaid-to-school", "medicaid", "lea", {U.ELIGIBILITY_VERIFICATION},
         {"direct_certification"}, _EW, {B.DIRECT_CERTIFICATION}),
    _dsa("dsa-tanf", "lea", "tanf", {U.SUPPORTIVE_SERVICES},
         {"attendance", "meal_eligibility_status"}, _CW, {B.CONSENT}),
    _dsa("dsa-dss", "lea", "dss", {U.ELIGIBILITY_VERIFICATION}, {"meal_eligibility_status"}, _EW,
         {B.NSLA_DISCLOSURE}),
    _dsa("dsa-cws", "lea", "cws", {U.SUPPORTIVE_SERVICES},
         {"attendance", "grades", "discipline", "iep_504_status", "enrollment_history"}, _CW,
         {B.CHILD_WELFARE, B.CONSENT}),
    _dsa("dsa-labor", "lea", "labor", {U.SUPPORTIVE_SERVICES},
         {"attendance", "grades", "enrollment_history"}, _CW, {B.CONSENT}),
    _dsa("dsa-court", "lea", "court", {U.JUVENILE_JUSTICE}, {"attendance", "discipline", "grades"},
         _CW, {B.JUVENILE_JUSTICE}, state_statute="State Juvenile Code 12-3-401",
         non_redisclosure_certification=Signature("court", "Chief Probation Officer",
                                                  date(2025, 6, 1))),
    _dsa("dsa-court-to-school", "court", "lea", {U.SUPPORTIVE_SERVICES},
         {"juvenile_justice_contact"}, _CW, {B.STATE_STATUTE},
         state_statute="State Juvenile Code 12-3-405"),
    _dsa("dsa-medicaid", "lea", "medicaid", {U.ELIGIBILITY_VERIFICATION},
         {"meal_eligibility_status", "meal_application_details"}, _EW, {B.NSLA_DISCLOSURE},
         nsla_medicaid_election=True, nsla_parent_notice_on=date(2025, 8, 15)),
    _dsa("dsa-wic", "lea", "wic", {U.ELIGIBILITY_VERIFICATION},
         {"meal_eligibility_status", "meal_application_details"}, _EW, {B.NSLA_DISCLOSURE}),
    _dsa("dsa-clinic-to-school", "clinic", "lea", {U.SUPPORTIVE_SERVICES}, {"sud_treatment"},
         _CW, {B.PART2_CONSENT}),
    _dsa("dsa-clinic-health", "clinic", "health", {U.HEALTH_SAFETY_EMERGENCY},
         {"sud_treatment"}, _CW, {B.PART2_MEDICAL_EMERGENCY}),
    _dsa("dsa-research", "lea", "univ", {U.RESEARCH_EVALUATION}, set(_EDU),
         {R.ANALYST, R.RECORDS_OFFICER}, {B.DE_IDENTIFIED, B.CONSENT}),
    _dsa("dul-study", "lea", "univ", {U.RESEARCH_EVALUATION}, {"attendance", "grades",
         "assessments"}, {R.ANALYST, R.RECORDS_OFFICER}, {B.STUDIES}, parent="dsa-research",
         layer=AgreementLayer.DATA_USE_LICENCE,
         study=StudyTerms(StudyPurpose.IMPROVE_INSTRUCTION, "grade 3-8 reading outcomes",
                          True, True)),
)}

_ALL_STATEMENTS = frozenset(Statement)


def _consent(id: str, student: str, elements: set[str], recipient: str,
             purpose: Purpose = U.SUPPORTIVE_SERVICES, signer: SignerRole = SignerRole.PARENT,
             **kw: object) -> Consent:
    base = dict(signed_on=date(2026, 8, 12), language="es", method=ConsentMethod.PAPER_SCAN,
                evidence_ref=f"scan-{id}", starts_on=date(2026, 8, 12), ends_on=date(2027, 8, 12))
    base.update(kw)
    return Consent(id=id, student_id=student, signer_role=signer,
                   data_elements=frozenset(elements), purposes=frozenset({purpose}),
                   recipient_agency_ids=frozenset({recipient}), recipient_roles=frozenset(),
                   **base)  # type: ignore[arg-type]


_F, _H, _P2, _N = ConsentForm.FERPA, ConsentForm.HIPAA_AUTHORIZATION, ConsentForm.PART2, ConsentForm.NSLA
_EDUCATION = {"attendance", "grades", "family_background", "school_immunizations"}
CONSENTS = {c.id: c for c in (
    _consent("ferpa-health", "stu-minor", _EDUCATION, "health"),
    _consent("ferpa-health-broad", "stu-minor", _EDUCATION | {"assessments"}, "health"),
    _consent("ferpa-health-expired", "stu-minor", _EDUCATION, "health", ends_on=date(2026, 10, 31)),
    _consent("ferpa-health-student-signed", "stu-minor", _EDUCATION, "health",
             signer=SignerRole.STUDENT),
    _consent("ferpa-health-esign-unverified", "stu-minor", _EDUCATION, "health",
             method=ConsentMethod.ELECTRONIC_SIGNATURE),
    _consent("ferpa-health-esign-verified", "stu-minor", _EDUCATION, "health",
             method=ConsentMethod.ELECTRONIC_SIGNATURE, signer_identity_verified=True),
    _consent("ferpa-snap", "stu-minor", {"attendance", "family_background"}, "snap"),
    _consent("ferpa-health-s18", "stu-18", _EDUCATION, "health"),
    _consent("ferpa-health-turning", "stu-turning", _EDUCATION, "health"),
    _consent("ferpa-health-turning-confirmed", "stu-turning", _EDUCATION, "health",
             confirmed_by_student_on=YESTERDAY),
    _consent("ferpa-health-turning-self", "stu-turning", _EDUCATION, "health", signer=SignerRole.STUDENT,
             signed_on=YESTERDAY, starts_on=YESTERDAY),
    _consent("ferpa-health-s18-confirmed", "stu-18", _EDUCATION, "health",
             confirmed_by_student_on=YESTERDAY),
    _consent("ferpa-health-s18-self", "stu-18", _EDUCATION, "health", signer=SignerRole.STUDENT,
             signed_on=YESTERDAY, starts_on=YESTERDAY),
    _consent("ferpa-health-dual", "stu-dual", _EDUCATION, "health"),
    _consent("ferpa-health-far", "stu-far", _EDUCATION, "health"),
    _consent("ferpa-health-stale", "stu-stale", _EDUCATION, "health"),
    _consent("ferpa-health-stale-confirmed", "stu-stale", _EDUCATION, "health",
             confirmed_by_student_on=YESTERDAY),
    _consent("ferpa-health-optout", "stu-optout", {"grade_level", "attendance"}, "health"),
    _consent("nsla-tanf", "stu-minor", {"meal_eligibility_status"}, "tanf", forms=frozenset({_N})),
    _consent("hipaa-school", "stu-minor", {"immunization_registry"}, "lea",
             forms=frozenset({_H}), statements=_ALL_STATEMENTS, discloser_agency_id="health"),
    _consent("hipaa-school-incomplete", "stu-minor", {"immunization_registry"}, "lea",
             forms=frozenset({_H}), statements=frozenset({Statement.RIGHT_TO_REVOKE})),
    _consent("ferpa-general-sud", "stu-teen", {"sud_treatment"}, "lea"),
    _consent("part2-by-minor", "stu-teen", {"sud_treatment"}, "lea", forms=frozenset({_P2}),
             statements=_ALL_STATEMENTS, signer=SignerRole.STUDENT, discloser_agency_id="clinic"),
    _consent("part2-by-parent", "stu-teen", {"sud_treatment"}, "lea", forms=frozenset({_P2}),
             statements=_ALL_STATEMENTS, discloser_agency_id="clinic"),
)}

THREAT = "student disclosed a plan to harm himself tonight and has a severe allergy"
