"""Agreements (versions, parties, parent chain), consents and state law round-trip."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy.orm import Session

from accord.domain.agencies import Program
from accord.domain.agreement_rules import amend
from accord.domain.agreements import AgreementStatus, Signature
from accord.domain.consents import ConsentInvalid, SignerRole
from accord.policy.request import StateLaw
from accord.store.errors import NotFound
from accord.store.repositories import agreements, consents, state_law
from tests.integration.builders import REVOKED_AT, agreement, consent, memorandum, seed_parties


def test_agreement_round_trips_every_field(session: Session) -> None:
    seed_parties(session)
    ag = agreement()
    agreements.save_agreement(session, ag)
    session.commit()
    session.expunge_all()
    assert agreements.get_agreement(session, "dsa-1") == ag
    bare = agreement("dsa-2", study=None, non_redisclosure_certification=None, signatures=(),
                     effective_on=None, ends_on=None, destruction_deadline=None, parent_id=None,
                     state_statute=None, status=AgreementStatus.DRAFT, activated_on=None)
    agreements.save_agreement(session, bare)
    assert agreements.get_agreement(session, "dsa-2", 1) == bare


def test_amendments_are_new_versions(session: Session) -> None:
    seed_parties(session)
    v1 = agreement()
    v2 = amend(v1, "adds attendance", data_elements=v1.data_elements | {"attendance"})
    agreements.save_agreement(session, v1)
    agreements.save_agreement(session, v2)
    session.commit()
    assert agreements.get_agreement(session, "dsa-1") == v2
    assert agreements.get_agreement(session, "dsa-1", version=1) == v1
    assert agreements.agreement_versions(session, "dsa-1") == [v1, v2]
    assert agreements.list_agreements(session) == [v2]
    assert agreements.list_agreements(session, all_versions=True) == [v1, v2]
    with pytest.raises(NotFound):
        agreements.require_agreement(session, "dsa-1", version=9)


def test_saving_the_same_version_replaces_it(session: Session) -> None:
    seed_parties(session)
    draft = agreement(signatures=(), status=AgreementStatus.DRAFT, activated_on=None)
    agreements.save_agreement(session, draft)
    session.commit()
    signed = replace(draft, signatures=(Signature("health", "Director", date(2026, 2, 1)),
                                        Signature("lea", "Superintendent", date(2026, 2, 2))),
                     recipient_agency_ids=frozenset({"health", "cws"}))
    agreements.save_agreement(session, signed)
    session.commit()
    session.expunge_all()
    assert agreements.get_agreement(session, "dsa-1") == signed


def test_agreements_between_a_pair_and_their_parent_chain(session: Session) -> None:
    seed_parties(session)
    em = memorandum()
    dsa = agreement()
    dul = agreement("dul-1", layer=dsa.layer.DATA_USE_LICENCE, parent_id="dsa-1")
    cws_only = agreement("dsa-cws", recipient_agency_ids=frozenset({"cws"}))
    for ag in (em, dsa, dul, cws_only):
        agreements.save_agreement(session, ag)
    session.commit()
    pair = agreements.agreements_between(session, "lea", "health")
    assert [a.id for a in pair] == ["dsa-1", "dul-1", "em-1"]
    assert agreements.agreements_between(session, "health", "lea") == pair
    chain = agreements.with_parent_chain(session, [dul])
    assert [(a.id, a.version) for a in chain] == [("dsa-1", 1), ("dul-1", 1), ("em-1", 1)]


def test_consents_round_trip_revoke_and_confirm(session: Session) -> None:
    seed_parties(session)
    c1 = consent()
    c2 = consent("c-2", signer_role=SignerRole.STUDENT, starts_on=date(2026, 2, 1))
    consents.save_consent(session, c2)
    consents.save_consent(session, c1)
    session.commit()
    session.expunge_all()
    assert consents.get_consent(session, "c-1") == c1
    assert consents.consents_for_student(session, "stu-1") == [c1, c2]
    assert consents.list_consents(session) == [c1, c2]
    revoked = consents.revoke_consent(session, "c-1", REVOKED_AT)
    confirmed = consents.confirm_consent(session, "c-1", date(2026, 4, 1))
    session.commit()
    session.expunge_all()
    assert revoked.revoked_at == REVOKED_AT
    assert consents.get_consent(session, "c-1") == confirmed
    assert confirmed.revoked_at == REVOKED_AT and confirmed.confirmed_by_student_on == date(2026, 4, 1)
    with pytest.raises(ConsentInvalid):
        consents.revoke_consent(session, "c-1", REVOKED_AT)
    with pytest.raises(NotFound):
        consents.revoke_consent(session, "c-missing", REVOKED_AT)


def test_aware_revocation_times_are_stored_as_utc(session: Session) -> None:
    seed_parties(session)
    consents.save_consent(session, consent())
    at = datetime(2026, 3, 1, 9, 30, tzinfo=timezone(timedelta(hours=-5)))
    consents.revoke_consent(session, "c-1", at)
    session.commit()
    session.expunge_all()
    assert consents.get_consent(session, "c-1").revoked_at == datetime(2026, 3, 1, 14, 30)  # type: ignore[union-attr]


def test_bulk_consents(session: Session) -> None:
    seed_parties(session)
    assert consents.add_consents(session, [consent(f"c-{i}") for i in range(50)]) == 50
    session.commit()
    assert len(consents.consents_for_student(session, "stu-1")) == 50


def test_state_law_defaults_then_saved(session: Session) -> None:
    assert state_law.get_state_law(session) == StateLaw()
    law = StateLaw(minor_may_consent_to_sud_treatment=False, medicaid_meal_status_election=True,
                   required_course_ids=frozenset({"ferpa-basics", "hipaa"}),
                   medicaid_meal_notice_on=date(2026, 8, 15),
                   direct_certification_programs=frozenset({Program.SNAP, Program.FDPIR}),
                   recorded_in=41)
    state_law.save_state_law(session, law)
    state_law.save_state_law(session, law)  # one row, replaced
    session.commit()
    session.expunge_all()
    assert state_law.get_state_law(session) == law
