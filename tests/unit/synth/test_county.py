"""The synthetic county: deterministic, and shaped like a real one."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest

from accord.domain.agencies import AgencyKind, Role
from accord.domain.agreement_rules import activation_problems
from accord.domain.agreements import AgreementLayer, AgreementStatus
from accord.domain.consents import ConsentForm, ConsentMethod, SignerRole, consent_defects
from accord.domain.students import month_turning_18
from accord.synth import County, build_county

AS_OF = date(2026, 11, 29)


@pytest.fixture(scope="module")
def county() -> County:
    return build_county(11, 800, as_of=AS_OF)


def test_same_seed_same_county(county: County) -> None:
    assert build_county(11, 800, as_of=AS_OF) == county


def test_other_seed_other_county(county: County) -> None:
    other = build_county(12, 800, as_of=AS_OF)
    assert other.students != county.students
    assert other.agreements == county.agreements  # agreements do not depend on luck


def test_too_small_is_refused() -> None:
    with pytest.raises(ValueError):
        build_county(1, 5, as_of=AS_OF)


def test_every_agency_kind(county: County) -> None:
    assert {a.kind for a in county.agencies} == set(AgencyKind)


def test_every_role_has_users(county: County) -> None:
    assert {u.role for u in county.users} == set(Role)
    assert all(u.agency_id in {a.id for a in county.agencies} for u in county.users)


def test_training_has_deliberate_gaps(county: County) -> None:
    trained = {c.user_id for c in county.completions if c.is_current(AS_OF)}
    staff = {u.id for u in county.users if u.role not in (Role.PARENT, Role.ELIGIBLE_STUDENT)}
    assert "cw.health.untrained" not in trained
    assert "cw.health.lapsed" not in trained
    assert len(staff - trained) >= 2
    assert {c.course_id for c in county.completions} >= {"ferpa-basics"}


def test_students_ages_and_situations(county: County) -> None:
    ages = [(AS_OF - born).days / 365.25 for born in county.birth_dates.values()]
    assert 4 <= min(ages) and max(ages) < 20 and set(county.birth_dates) == {s.id for s in county.students}
    # The hub's students hold the month each turns 18, from the node's birth date (ADR 0016).
    assert all(s.turns_18_in == month_turning_18(county.birth_dates[s.id]) for s in county.students)
    # Some turned 18 within a fortnight: in the month of AS_OF, the hub cannot tell the day.
    turning = [s for s in county.students if s.turning_18(AS_OF)]
    adults = [s for s in county.students if s.is_eligible_student(AS_OF) and not s.postsecondary_enrolled_on]
    assert turning and adults
    assert any(s.postsecondary_enrolled_on for s in county.students)
    assert any(s.directory_opt_out for s in county.students)
    assert any(s.foster_care_agency_id == "cws" for s in county.students)
    assert len({s.id for s in county.students}) == 800


def test_agreements_in_three_layers_with_problem_cases(county: County) -> None:
    layers = {a.layer for a in county.agreements}
    assert layers == set(AgreementLayer)
    statuses = {a.status_on(AS_OF) for a in county.agreements}
    assert {AgreementStatus.ACTIVE, AgreementStatus.EXPIRED, AgreementStatus.TERMINATED,
            AgreementStatus.DRAFT} <= statuses
    by_id = {a.id: a for a in county.agreements}
    draft = by_id["dsa-workforce-renewal"]
    assert {m.code for m in activation_problems(draft, by_id["em-county"], AS_OF)} >= {
        "data_elements", "safeguards"}
    for dul in (a for a in county.agreements if a.layer is AgreementLayer.DATA_USE_LICENCE):
        assert dul.study is not None and dul.parent_id == "dsa-research"


def test_consents_of_every_kind(county: County) -> None:
    at = datetime.combine(AS_OF, time(10))
    consents = county.consents
    assert {f for c in consents for f in c.forms} == set(ConsentForm)
    assert any(c.revoked_at is not None and c.revoked_at <= at for c in consents)
    assert any(c.ends_on is not None and c.ends_on < AS_OF for c in consents)
    assert {c.language for c in consents} == {"en", "es", "vi", "so", "zh"}
    esign = [c for c in consents if c.method is ConsentMethod.ELECTRONIC_SIGNATURE]
    assert {c.signer_identity_verified for c in esign} == {True, False}
    part2 = [c for c in consents if ConsentForm.PART2 in c.forms]
    assert {c.signer_role for c in part2} == set(SignerRole)
    assert any(c.captured_at_enrollment for c in consents)
    # Every HIPAA form the featured students rely on is complete.
    hipaa = next(c for c in consents if c.id == "hipaa-featured")
    assert consent_defects(hipaa) == []
    student_ids = {s.id for s in county.students}
    assert all(c.student_id in student_ids for c in consents)


def test_no_names_anywhere(county: County) -> None:
    # Staff carry job titles only; students have no name field at all.
    for u in county.users:
        assert u.display_name.split()[0] in {"records", "caseworker", "eligibility", "analyst",
                                             "administrator", "parent", "eligible"}
