"""Data-use licences for research projects under the research data-sharing agreement."""

from __future__ import annotations

from datetime import date

from accord.domain.agreements import Agreement, AgreementLayer, StudyTerms
from accord.domain.purposes import LegalBasis, Purpose, StudyPurpose

# (study purpose, scope, elements): realistic studies of the kinds 99.31(a)(6) allows.
_PROJECTS: tuple[tuple[StudyPurpose, str, frozenset[str]], ...] = (
    (StudyPurpose.IMPROVE_INSTRUCTION, "grade 3-8 reading outcomes and attendance",
     frozenset({"attendance", "grades", "assessments"})),
    (StudyPurpose.PREDICTIVE_TESTS, "validating an early-warning indicator for dropout",
     frozenset({"attendance", "grades", "discipline", "enrollment_history"})),
    (StudyPurpose.STUDENT_AID, "uptake of state college aid among dual-enrolled students",
     frozenset({"enrollment_history", "grades", "grade_level"})),
    (StudyPurpose.IMPROVE_INSTRUCTION, "English-learner progress under a new curriculum",
     frozenset({"english_learner", "assessments", "grade_level"})),
)


def research_licences(parent: Agreement, count: int, start: date, end: date) -> list[Agreement]:
    """`count` signed draft licences, cycling through the project templates."""
    out = []
    for n in range(1, count + 1):
        purpose, scope, elements = _PROJECTS[(n - 1) % len(_PROJECTS)]
        out.append(Agreement(
            id=f"dul-study-{n:02d}", title=f"Study {n:02d}: {scope}",
            layer=AgreementLayer.DATA_USE_LICENCE,
            source_agency_ids=parent.source_agency_ids,
            recipient_agency_ids=parent.recipient_agency_ids,
            purposes=frozenset({Purpose.RESEARCH_EVALUATION}),
            legal_bases=frozenset({LegalBasis.STUDIES}), data_elements=elements,
            recipient_roles=parent.recipient_roles,
            permitted_uses=f"the study of {scope}, in the hub's enclave only",
            effective_on=start, ends_on=end, destruction_deadline=parent.destruction_deadline,
            destruction_method="NIST SP 800-88 purge of the study tables",
            safeguards=("study-specific pseudonyms", "disclosure control on every output"),
            signatures=parent.signatures, parent_id=parent.id,
            study=StudyTerms(purpose, scope, use_limited_to_purpose=True,
                             identification_restricted=True)))
    return out
