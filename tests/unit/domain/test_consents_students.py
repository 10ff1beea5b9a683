import re
from dataclasses import replace
from datetime import date, datetime

import pytest

from accord.domain.consents import (
    ConsentForm,
    ConsentInvalid,
    ConsentMethod,
    SignerRole,
    confirm_by_student,
    consent_defects,
    revoke,
    signer_defects,
    validate,
)
from accord.domain.fhir import to_fhir_consent
from accord.domain.students import (
    NO_LATER_MONTH,
    Student,
    month_turning_18,
    turning_18_bounds,
)
from accord.domain.training import Completion, Course, missing_courses
from tests.spec import world


def test_revocation_is_never_retroactive():
    c = world.CONSENTS["ferpa-health"]
    revoked = revoke(c, datetime(2026, 10, 1, 12, 0))
    assert revoked.in_force(datetime(2026, 10, 1, 11, 59))
    assert not revoked.in_force(datetime(2026, 10, 1, 12, 0))
    with pytest.raises(ConsentInvalid):
        revoke(revoked, datetime(2026, 10, 2))


def test_validation_lists_every_defect():
    bad = replace(world.CONSENTS["ferpa-health"], data_elements=frozenset(), signed_on=None,
                  method=ConsentMethod.ELECTRONIC_SIGNATURE, language=" ")
    defects = consent_defects(bad)
    assert len(defects) == 4
    with pytest.raises(ConsentInvalid, match="99.30"):
        validate(bad)


def test_hipaa_form_needs_its_statements():
    assert any("164.508(c)" in d for d in consent_defects(world.CONSENTS["hipaa-school-incomplete"]))
    assert validate(world.CONSENTS["hipaa-school"])


def test_only_a_parents_consent_can_be_confirmed_by_the_student():
    c = confirm_by_student(world.CONSENTS["ferpa-health-s18"], date(2026, 11, 29))
    assert c.confirmed_by_student_on == date(2026, 11, 29)
    with pytest.raises(ConsentInvalid):
        confirm_by_student(replace(c, signer_role=SignerRole.STUDENT), date(2026, 11, 29))


@pytest.mark.parametrize(("born", "college", "on", "status"), [
    # (minor, turning 18 this month, eligible): the hub knows the month of the 18th birthday only.
    (date(2008, 11, 28), None, date(2026, 10, 31), (True, False, False)),
    (date(2008, 11, 28), None, date(2026, 11, 1), (True, True, False)),
    (date(2008, 11, 28), None, date(2026, 11, 29), (True, True, False)),
    (date(2008, 11, 28), None, date(2026, 11, 30), (False, False, True)),  # surely past the birthday
    (date(2012, 1, 1), date(2026, 8, 20), date(2026, 8, 20), (True, False, True)),
    (date(2012, 1, 1), date(2026, 8, 20), date(2026, 8, 19), (True, False, False)),
    (date(2008, 12, 1), date(2026, 12, 5), date(2026, 12, 5), (True, False, True)),  # college settles it
    (date(2008, 2, 29), None, date(2026, 2, 28), (True, False, False)),  # a leap-day birthday: 1 March
    (date(2008, 2, 29), None, date(2026, 3, 30), (True, True, False)),
    (date(2008, 2, 29), None, date(2026, 3, 31), (False, False, True)),
    (None, None, date(2026, 1, 1), (True, False, False)),
])
def test_rights_pass_at_18_or_postsecondary_enrolment(born, college, on, status):
    s = Student("s", "lea", month_turning_18(born) if born else None, postsecondary_enrolled_on=college)
    assert (s.is_minor(on), s.turning_18(on), s.is_eligible_student(on)) == status


def test_training_expires():
    course = Course("ferpa-basics", "FERPA basics", validity_days=365)
    done = Completion.of("u", course, date(2025, 11, 1))
    assert missing_courses([done], ["ferpa-basics"], date(2026, 10, 31)) == []
    assert missing_courses([done], ["ferpa-basics"], date(2026, 11, 1)) == ["ferpa-basics"]


def test_fhir_export_maps_the_provision():
    c = revoke(world.CONSENTS["ferpa-health"], datetime(2026, 10, 1))
    r = to_fhir_consent(c, datetime(2026, 11, 29))
    assert r["resourceType"] == "Consent" and r["status"] == "inactive"
    p = r["provision"]
    assert p["period"] == {"start": "2026-08-12", "end": "2026-10-01"}
    assert p["actor"][0]["reference"] == {"reference": "Organization/health"}
    assert p["actor"][0]["role"]["coding"][0]["code"] == "IRCP"
    assert {x["code"] for x in p["class"]} == set(c.data_elements)
    assert p["purpose"][0]["code"] == "COC"
    assert r["policy"][0]["uri"].endswith("section-99.30")
    assert to_fhir_consent(world.CONSENTS["ferpa-health"], datetime(2026, 11, 29))["status"] == "active"


@pytest.mark.parametrize(("student", "forms", "signed_on", "defect"), [
    ("stu-18", {ConsentForm.FERPA}, date(2026, 11, 20), "34 CFR 99.5(a)"),  # turned 18 in October
    ("stu-18", {ConsentForm.FERPA}, date(2026, 9, 30), None),  # signed while she was a minor
    ("stu-turning", {ConsentForm.FERPA}, date(2026, 11, 20), None),  # the day is not known: may hold
    ("stu-dual", {ConsentForm.FERPA}, date(2026, 9, 1), "34 CFR 99.5(a)"),  # in college since August
    ("stu-dual", {ConsentForm.HIPAA_AUTHORIZATION}, date(2026, 9, 1), None),  # but still a minor
    ("stu-18", {ConsentForm.HIPAA_AUTHORIZATION}, date(2026, 11, 20), "45 CFR 164.502(g)"),
])
def test_a_parent_cannot_sign_for_a_student_the_rights_have_passed_to(
        student: str, forms: set[ConsentForm], signed_on: date, defect: str | None) -> None:
    c = replace(world.CONSENTS["ferpa-health"], student_id=student, forms=frozenset(forms),
                signed_on=signed_on, starts_on=signed_on)
    found = signer_defects(c, world.STUDENTS[student])
    assert [defect in f for f in found] == ([True] if defect else [])
    assert signer_defects(replace(c, signer_role=SignerRole.STUDENT), world.STUDENTS[student]) == []
    if defect:
        with pytest.raises(ConsentInvalid, match=re.escape(defect)):
            validate(c, world.STUDENTS[student])


AS_OF = date(2026, 11, 15)  # the day a school's node wrote its students file for the hub


@pytest.mark.parametrize(("born", "bounds"), [
    (date(2008, 11, 28), (date(2026, 11, 1), date(2026, 11, 1))),  # this month: sent as it is
    (date(2009, 1, 31), (date(2027, 1, 1), date(2027, 1, 1))),  # within the next two: as it is
    (date(2009, 2, 1), (date(2027, 2, 1), NO_LATER_MONTH)),  # later: only "from February on"
    (date(2016, 6, 9), (date(2027, 2, 1), NO_LATER_MONTH)),  # the same for a child of ten
    (date(2008, 10, 31), (date(2026, 1, 1), date(2026, 10, 1))),  # past: this year, by October
    (date(2001, 4, 2), (date(2019, 1, 1), date(2019, 12, 1))),  # past: only the year
])
def test_the_node_sends_the_month_only_when_near(born, bounds):
    assert turning_18_bounds(born, AS_OF) == bounds


@pytest.mark.parametrize(("born", "on", "status"), [
    # (minor, uncertain, eligible) from the bounds sent on AS_OF, against the month itself.
    (date(2016, 6, 9), date(2027, 1, 31), (True, False, False)),  # before the bounds: surely a minor
    (date(2016, 6, 9), date(2027, 2, 1), (True, True, False)),  # no newer file: both must sign
    (date(2009, 3, 10), date(2027, 3, 31), (True, True, False)),  # never treated as an adult...
    (date(2009, 3, 10), date(2030, 1, 1), (True, True, False)),  # ...however long the file is old
    (date(2008, 10, 31), date(2026, 11, 1), (False, False, True)),  # past: surely an adult now
    (date(2008, 10, 31), date(2026, 10, 15), (True, True, False)),  # ...but not known when
    (date(2001, 4, 2), date(2020, 1, 1), (False, False, True)),  # an earlier year's birthday
    (date(2001, 4, 2), date(2019, 6, 1), (True, True, False)),
    (date(2001, 4, 2), date(2018, 12, 31), (True, False, False)),
])
def test_bounds_never_make_a_minor_an_adult_or_an_adult_a_minor(born, on, status):
    earliest, latest = turning_18_bounds(born, AS_OF)
    s = Student("s", "lea", earliest, turns_18_by=latest)
    assert (s.is_minor(on), s.turning_18(on), s.is_eligible_student(on)) == status
    exact = Student("s", "lea", month_turning_18(born))
    # Whatever the bounds say surely, the month says too (one-sided errors only, ADR 0030).
    assert not (s.is_eligible_student(on) and not exact.is_eligible_student(on))
    assert not (not s.turning_18(on) and s.is_minor(on) and not exact.is_minor(on))
    assert not s.turns_18_month_known()
