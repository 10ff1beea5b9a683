from dataclasses import replace

from accord.domain.purposes import LegalBasis, Purpose
from accord.policy import StateLaw
from accord.policy.preview import PreviewWorld, preview_consent, preview_student
from tests.spec import world


def county(consents=()):
    return PreviewWorld(world.AGENCIES, tuple(world.AGREEMENTS.values()), tuple(consents),
                        StateLaw())


def test_consent_preview_shows_what_the_named_agency_would_receive():
    lines = preview_consent(county(), world.CONSENTS["ferpa-health"], world.STUDENTS["stu-minor"],
                            world.AS_OF)
    assert [(x.recipient_agency_id, x.purpose) for x in lines] == [
        ("health", Purpose.SUPPORTIVE_SERVICES)]
    line = lines[0]
    # Consented fields the agreement also grants, plus directory information.
    assert {"attendance", "grades", "family_background", "school_immunizations"} <= line.fields
    assert "discipline" not in line.fields  # in the agreement, not in the consent
    assert LegalBasis.CONSENT in line.bases


def test_revoked_consent_previews_nothing_more_than_directory_information():
    revoked = replace(world.CONSENTS["ferpa-health"], revoked_at=world.AS_OF)
    lines = preview_consent(county(), revoked, world.STUDENTS["stu-minor"], world.AS_OF)
    assert all(line.bases == (LegalBasis.DIRECTORY_INFORMATION,) for line in lines)


def test_student_preview_covers_exceptions_without_consent():
    lines = preview_student(county(), world.STUDENTS["stu-foster"], world.AS_OF)
    by_recipient = {(x.recipient_agency_id, x.role.value): x for x in lines}
    assert by_recipient[("cws", "caseworker")].bases == (LegalBasis.CHILD_WELFARE,)
    assert ("snap", "caseworker") not in by_recipient  # no consent, no exception


def test_agreement_preview_shows_what_goes_without_consent():
    from accord.policy.preview import preview_agreement

    lines = preview_agreement(county(), world.AGREEMENTS["dsa-health"], world.AS_OF)
    by_purpose = {x.purpose: x for x in lines}
    support = by_purpose[Purpose.SUPPORTIVE_SERVICES]
    assert support.granted == world.AGREEMENTS["dsa-health"].data_elements
    assert support.without_consent == {"grade_level", "enrollment_status"}  # directory only
    emergency = by_purpose[Purpose.HEALTH_SAFETY_EMERGENCY]
    assert {"emergency_contacts", "school_immunizations"} <= emergency.without_consent
    assert "grades" not in emergency.without_consent
    assert LegalBasis.HEALTH_SAFETY_EMERGENCY in emergency.bases
