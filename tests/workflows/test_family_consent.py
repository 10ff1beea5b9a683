"""A family signs a consent itself (34 CFR 99.30, 99.30(d)), on SQLite and PostgreSQL: the choices are
the school's agreements in force (agencies, purposes but research, FERPA records, the last end date);
a wrong choice is refused with its field and nothing recorded; another family's child, or a child whose
rights passed to the student, is not found; signed, the consent is the records office's kind of record
(electronic, identity verified, the page's language), a CONSENT_RECORDED entry by the signer, and the
policy uses it: the preview lists the recipient for those records on the consent's basis."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from accord.domain.agencies import User
from accord.domain.consents import ConsentMethod, SignerRole
from accord.domain.purposes import LegalBasis, Purpose
from accord.ledger.entries import EntryKind
from accord.store.repositories.agencies import get_user
from accord.store.repositories.consents import get_consent
from accord.store.repositories.ledger import entries_for_student
from accord.synth import build_county
from accord.workflows.demo_store import store_county
from accord.workflows.family import NotYourChild, family_preview, record_guardianship
from accord.workflows.family_consent import Chosen, consent_choices, draft_family_consent, sign_family_consent

AT = datetime(2026, 10, 5, 9, 30)
GOOD = Chosen(("health",), ("supportive_services",), ("attendance", "grades"), "2027-10-05")


@pytest.fixture
def county(engine: Engine, session_factory: sessionmaker[Session]) -> dict[str, str]:
    """The synthetic county and its families; consent id -> student."""
    built = build_county(7, 200, as_of=AT.date() - timedelta(days=40))
    store_county(engine, built)
    child_of = {c.id: c.student_id for c in built.consents}
    with session_factory.begin() as session:
        for user, consent in (("parent.lea.1", "ferpa-featured-revoked"),
                              ("parent.lea.2", "ferpa-featured-dual"),
                              ("parent.lea.3", "ferpa-featured-just18"),
                              ("student.lea.1", "ferpa-featured-just18")):
            record_guardianship(session, "ro.lea.1", user, child_of[consent], AT)
    return child_of


def _user(session: Session, user_id: str) -> User:
    user = get_user(session, user_id)
    assert user is not None
    return user


def _consent_line(session: Session, user: User, child: str, at: datetime) -> set[str]:
    """The records the health department's caseworker could receive to plan help, on a consent."""
    return {code for line in family_preview(session, user, child, at)
            if line.recipient_agency_id == "health" and line.purpose is Purpose.SUPPORTIVE_SERVICES
            and LegalBasis.CONSENT in line.bases for code in line.fields}


def test_the_choices_are_the_schools_agreements_in_force(county: dict[str, str], session: Session) -> None:
    parent = _user(session, "parent.lea.1")
    choices = consent_choices(session, parent, county["ferpa-featured-revoked"], AT.date())
    ids = {a.id for a in choices.recipients}
    assert {"health", "dss", "medicaid", "court"} <= ids
    assert not ids & {"lea", "univ", "clinic"}  # not the school itself, not research only, not a source only
    assert Purpose.RESEARCH_EVALUATION not in choices.purposes
    assert Purpose.SUPPORTIVE_SERVICES in choices.purposes
    assert "attendance" in choices.records and "sud_treatment" not in choices.records  # FERPA records only
    assert choices.latest_end is not None and choices.default_end <= choices.latest_end
    assert choices.default_end <= AT.date() + timedelta(days=365)


def test_a_parent_signs_and_the_policy_uses_the_consent(county: dict[str, str], session: Session) -> None:
    parent, child = _user(session, "parent.lea.1"), county["ferpa-featured-revoked"]
    assert "attendance" not in _consent_line(session, parent, child, AT)  # the old consent is revoked
    entries = len(entries_for_student(session, child))
    signed = sign_family_consent(session, parent, child, GOOD, AT, "es")
    assert not isinstance(signed, list), signed
    stored = get_consent(session, signed.id)
    assert stored == signed
    assert (signed.signer_role, signed.method, signed.signer_identity_verified) == (
        SignerRole.PARENT, ConsentMethod.ELECTRONIC_SIGNATURE, True)
    assert (signed.signed_on, signed.starts_on, signed.language, signed.discloser_agency_id) == (
        AT.date(), AT.date(), "es", "lea")
    new = entries_for_student(session, child)[entries:]
    assert [e.kind for e in new] == [EntryKind.CONSENT_RECORDED]
    assert signed.id in new[0].entry_json and "parent.lea.1" in new[0].entry_json
    assert {"attendance", "grades"} <= _consent_line(session, parent, child, AT + timedelta(minutes=1))


@pytest.mark.parametrize(("chosen", "field"), [
    (Chosen((), ("supportive_services",), ("attendance",), "2027-01-01"), "recipient_agency_ids"),
    (Chosen(("univ",), ("supportive_services",), ("attendance",), "2027-01-01"), "recipient_agency_ids"),
    (Chosen(("health",), ("supportive_services",), (), "2027-01-01"), "data_elements"),
    (Chosen(("health",), ("supportive_services",), ("sud_treatment",), "2027-01-01"), "data_elements"),
    (Chosen(("health",), (), ("attendance",), "2027-01-01"), "purposes"),
    (Chosen(("health",), ("research_evaluation",), ("attendance",), "2027-01-01"), "purposes"),
    (Chosen(("medicaid",), ("juvenile_justice",), ("attendance",), "2027-01-01"), "purposes"),
    (Chosen(("health",), ("supportive_services",), ("attendance",), "2026-10-04"), "ends_on"),
    (Chosen(("health",), ("supportive_services",), ("attendance",), "2040-01-01"), "ends_on"),
    (Chosen(("health",), ("supportive_services",), ("attendance",), "soon"), "ends_on"),
])
def test_a_wrong_choice_is_refused_and_nothing_recorded(county: dict[str, str], session: Session,
                                                        chosen: Chosen, field: str) -> None:
    parent, child = _user(session, "parent.lea.1"), county["ferpa-featured-revoked"]
    entries = len(entries_for_student(session, child))
    got = sign_family_consent(session, parent, child, chosen, AT, "en")
    assert isinstance(got, list) and [p.field for p in got] == [field]
    assert len(entries_for_student(session, child)) == entries


def test_only_who_holds_the_rights_signs(county: dict[str, str], session: Session) -> None:
    other = _user(session, "parent.lea.2")
    with pytest.raises(NotYourChild):
        draft_family_consent(session, other, county["ferpa-featured-revoked"], GOOD, AT, "en")
    just18 = county["ferpa-featured-just18"]
    with pytest.raises(NotYourChild):  # the rights passed to the student: the parent no longer signs
        sign_family_consent(session, _user(session, "parent.lea.3"), just18, GOOD, AT, "en")
    signed = sign_family_consent(session, _user(session, "student.lea.1"), just18, GOOD, AT, "en")
    assert not isinstance(signed, list) and signed.signer_role is SignerRole.STUDENT
