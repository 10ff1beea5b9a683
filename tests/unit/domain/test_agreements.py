from dataclasses import replace
from datetime import date

import pytest

from accord.domain.agreement_rules import (
    activate,
    activation_problems,
    amend,
    certify_destruction,
    exceeds_parent,
    terminate,
)
from accord.domain.agreements import (
    AgreementLayer,
    AgreementNotReady,
    AgreementStatus,
    AgreementTransitionError,
)
from accord.domain.purposes import LegalBasis
from tests.spec import world

ON = date(2026, 11, 29)


def draft(agreement_id: str = "dsa-health"):
    return replace(world.AGREEMENTS[agreement_id], status=AgreementStatus.DRAFT, activated_on=None)


def test_complete_signed_agreement_activates():
    active = activate(draft(), ON, world.EM)
    assert active.status is AgreementStatus.ACTIVE and active.activated_on == ON


def test_activation_lists_every_missing_element():
    bare = replace(draft(), data_elements=frozenset(), destruction_deadline=None,
                   destruction_method="", safeguards=(), signatures=world.AGREEMENTS["em"].signatures[:1])
    with pytest.raises(AgreementNotReady) as err:
        activate(bare, ON, world.EM)
    codes = [m.code for m in err.value.missing]
    for code in ("data_elements", "destruction_deadline", "destruction_method", "safeguards",
                 "signature"):
        assert code in codes
    assert "34 CFR 99.35(a)(3)(iii)" in str(err.value)


def test_juvenile_justice_agreement_needs_statute_and_certification():
    jj = replace(draft("dsa-court"), state_statute=None, non_redisclosure_certification=None)
    codes = {m.code for m in activation_problems(jj, world.EM, ON)}
    assert {"state_statute", "jj_certification"} <= codes


def test_study_agreement_needs_the_four_study_terms():
    dul = replace(draft("dul-study"), study=None)
    missing = activation_problems(dul, world.AGREEMENTS["dsa-research"], ON)
    assert any(m.citation.startswith("34 CFR 99.31(a)(6)(iii)(C)") for m in missing)


def test_audit_licence_needs_an_education_program():
    dul = replace(draft("dul-study"), legal_bases=frozenset({LegalBasis.AUDIT_EVALUATION}))
    parent = replace(world.AGREEMENTS["dsa-research"],
                     legal_bases=frozenset({LegalBasis.AUDIT_EVALUATION}))
    assert "education_program" in {m.code for m in activation_problems(dul, parent, ON)}
    # The data-sharing agreement above may leave the programme to each project's licence.
    assert activation_problems(replace(parent, status=AgreementStatus.DRAFT), world.EM, ON) == []


def test_memorandum_frames_bases_without_their_project_terms():
    em = replace(world.EM, status=AgreementStatus.DRAFT)
    assert activation_problems(em, None, ON) == []


def test_lower_layer_cannot_grant_more_than_parent():
    dul = replace(draft("dul-study"), data_elements=frozenset({"attendance", "sud_treatment"}))
    parent = world.AGREEMENTS["dsa-research"]
    assert any("sud_treatment" in p for p in exceeds_parent(dul, parent))
    assert "exceeds_parent" in {m.code for m in activation_problems(dul, parent, ON)}


def test_data_sharing_agreement_needs_its_memorandum():
    missing = activation_problems(draft(), None, ON)
    assert "parent" in {m.code for m in missing}
    assert activation_problems(replace(draft(), layer=AgreementLayer.ENTERPRISE_MEMORANDUM,
                                       parent_id=None), None, ON) == []


def test_lifecycle_expiry_termination_destruction():
    active = activate(draft(), ON, world.EM)
    assert active.status_on(date(2028, 7, 1)) is AgreementStatus.EXPIRED
    with pytest.raises(AgreementTransitionError):
        certify_destruction(active, ON)
    ended = terminate(active, ON)
    assert not ended.in_force(ON)
    assert certify_destruction(ended, ON).status is AgreementStatus.DESTRUCTION_CERTIFIED
    with pytest.raises(AgreementTransitionError):
        activate(ended, ON, world.EM)


def test_amendment_is_a_new_unsigned_draft_version():
    active = activate(draft(), ON, world.EM)
    amended = amend(active, "add assessments", data_elements=active.data_elements | {"assessments"})
    assert (amended.version, amended.status, amended.signatures) == (2, AgreementStatus.DRAFT, ())
    assert active.version == 1 and "assessments" not in active.data_elements
