"""The state-law settings of issue 17 in the decision: direct certification keys on the source's
program and the state's recorded list; households are notified by the state or the agreement;
every reason about a setting cites the ledger entry that recorded it."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from accord.domain.agencies import Program
from accord.domain.purposes import LegalBasis, OutputForm, Purpose
from accord.ledger.entries import EntryKind
from accord.ledger.events import decision_draft, state_law_draft
from accord.policy import DisclosureRequest, Facts, StateLaw, decide
from accord.policy.decision import Decision
from tests.spec import world

RECORDED = StateLaw(direct_certification_programs=frozenset({Program.SNAP, Program.TANF}),
                    recorded_in=12)


def certification(source: str, program: Program | None, state: StateLaw = RECORDED) -> Decision:
    user = world.USERS["ew.lea"]
    request = DisclosureRequest(user.id, "stu-minor", source, Purpose.ELIGIBILITY_VERIFICATION,
                                frozenset({"direct_certification"}), world.AS_OF,
                                OutputForm.ELIGIBILITY_FLAG, source_program=program)
    return decide(request, Facts(user, world.AGENCIES["lea"], world.AGENCIES[source],
                                 world.STUDENTS["stu-minor"], tuple(world.AGREEMENTS.values()),
                                 (), world.COMPLETIONS, state))


def texts(d: Decision, holds: bool) -> list[str]:
    return [r.text for r in d.reasons if r.code == "direct_certification" and r.holds is holds]


def test_a_program_on_the_recorded_list_certifies_and_the_reason_cites_its_entry() -> None:
    d = certification("dss", Program.TANF)
    assert d.permitted and d.released == {"direct_certification"}
    assert d.bases == (("direct_certification", LegalBasis.DIRECT_CERTIFICATION),)
    assert texts(d, True) == ["the state's direct-certification programs include tanf "
                              "(state-law setting, ledger entry #12)"]


def test_a_program_off_the_list_falls_to_consent_and_says_why() -> None:
    d = certification("dss", Program.TANF, StateLaw(recorded_in=3))
    assert not d.permitted
    assert texts(d, False) == ["the state's direct-certification programs (snap) do not include "
                               "tanf (state-law setting, ledger entry #3)"]
    assert any(r.code == "consent" for r in d.failures)  # the consent path still runs


def test_never_recorded_says_so() -> None:
    assert texts(certification("snap", Program.SNAP, StateLaw()), True) == [
        "the state's direct-certification programs include snap (default: SNAP only, never recorded)"]
    unrecorded = StateLaw(direct_certification_programs=frozenset({Program.SNAP, Program.TANF}))
    assert "not recorded in the ledger" in texts(certification("dss", Program.TANF, unrecorded), True)[0]


def test_the_source_must_run_the_named_program_and_a_program_must_be_named() -> None:
    assert texts(certification("snap", Program.TANF), False) == [
        "the source agency does not administer tanf"]
    missing = certification("dss", None)
    assert not missing.permitted and "must name the program" in texts(missing, False)[0]


def test_medicaid_direct_certification_where_the_state_takes_part_in_the_demonstration() -> None:
    joined = replace(RECORDED, direct_certification_programs=frozenset({Program.SNAP,
                                                                        Program.MEDICAID}))
    assert certification("medicaid", Program.MEDICAID, joined).permitted
    assert not certification("medicaid", Program.MEDICAID).permitted


def test_a_consent_still_carries_the_flag_when_the_state_does_not_certify() -> None:
    consent = replace(world.CONSENTS["nsla-tanf"], id="dc", data_elements=frozenset(
        {"direct_certification"}), recipient_agency_ids=frozenset({"lea"}),
        purposes=frozenset({Purpose.ELIGIBILITY_VERIFICATION}))
    user = world.USERS["ew.lea"]
    request = DisclosureRequest(user.id, "stu-minor", "dss", Purpose.ELIGIBILITY_VERIFICATION,
                                frozenset({"direct_certification"}), world.AS_OF,
                                OutputForm.ELIGIBILITY_FLAG, source_program=Program.TANF)
    d = decide(request, Facts(user, world.AGENCIES["lea"], world.AGENCIES["dss"],
                              world.STUDENTS["stu-minor"], tuple(world.AGREEMENTS.values()),
                              (consent,), world.COMPLETIONS, StateLaw()))
    assert d.permitted and d.bases == (("direct_certification", LegalBasis.CONSENT),)


def medicaid(state: StateLaw, agreement_notice: date | None = None) -> Decision:
    agreements = dict(world.AGREEMENTS)
    agreements["dsa-medicaid"] = replace(agreements["dsa-medicaid"],
                                         nsla_parent_notice_on=agreement_notice)
    user = world.USERS["ew.medicaid"]
    request = DisclosureRequest(user.id, "stu-minor", "lea", Purpose.ELIGIBILITY_VERIFICATION,
                                frozenset({"meal_eligibility_status"}), world.AS_OF,
                                OutputForm.ELIGIBILITY_FLAG)
    return decide(request, Facts(user, world.AGENCIES["medicaid"], world.AGENCIES["lea"],
                                 world.STUDENTS["stu-minor"], tuple(agreements.values()), (),
                                 world.COMPLETIONS, state))


ELECTED = StateLaw(medicaid_meal_status_election=True, recorded_in=7)


def test_households_are_notified_by_the_state_or_by_the_agreement() -> None:
    before = world.TODAY - timedelta(days=30)
    assert not medicaid(ELECTED).permitted
    assert medicaid(replace(ELECTED, medicaid_meal_notice_on=before)).permitted
    assert medicaid(ELECTED, agreement_notice=before).permitted


def test_a_notice_after_the_request_day_does_not_count() -> None:
    after = world.TODAY + timedelta(days=1)
    d = medicaid(replace(ELECTED, medicaid_meal_notice_on=after), agreement_notice=after)
    assert not d.permitted
    assert "families have not been notified of the disclosure" in [r.text for r in d.failures]
    assert medicaid(replace(ELECTED, medicaid_meal_notice_on=world.TODAY)).permitted  # that day


def test_the_election_reason_cites_its_entry() -> None:
    permitted = medicaid(replace(ELECTED, medicaid_meal_notice_on=date(2026, 9, 1)))
    assert any("ledger entry #7" in r.text for r in permitted.reasons
               if r.holds and r.code == "nsla_medicaid")
    refused = medicaid(StateLaw(recorded_in=4))
    assert ("the state has not elected to share meal eligibility with Medicaid/CHIP "
            "(state-law setting, ledger entry #4)") in [r.text for r in refused.failures]
    assert any("(default: not elected, never recorded)" in r.text
               for r in medicaid(StateLaw()).failures)


def test_the_opt_out_stays_the_households() -> None:
    optout = world.STUDENTS["stu-optout"]
    user = world.USERS["ew.medicaid"]
    request = DisclosureRequest(user.id, optout.id, "lea", Purpose.ELIGIBILITY_VERIFICATION,
                                frozenset({"meal_eligibility_status"}), world.AS_OF,
                                OutputForm.ELIGIBILITY_FLAG)
    state = replace(ELECTED, medicaid_meal_notice_on=date(2026, 9, 1))
    d = decide(request, Facts(user, world.AGENCIES["medicaid"], world.AGENCIES["lea"], optout,
                              tuple(world.AGREEMENTS.values()), (), world.COMPLETIONS, state))
    assert not d.permitted


def test_the_ledger_keeps_the_source_program_and_the_settings_before_and_after() -> None:
    d = certification("dss", Program.TANF)
    request = DisclosureRequest("ew.lea", "stu-minor", "dss", Purpose.ELIGIBILITY_VERIFICATION,
                                frozenset({"direct_certification"}), world.AS_OF,
                                source_program=Program.TANF)
    assert decision_draft(request, d, "lea").body["request"]["source_program"] == "tanf"
    after = replace(RECORDED, medicaid_meal_status_election=True,
                    medicaid_meal_notice_on=date(2026, 8, 15))
    draft = state_law_draft(RECORDED, after, "ro.lea", world.AS_OF)
    assert draft.kind is EntryKind.STATE_LAW_CHANGED and draft.student_id is None
    assert draft.body["replaces"] == 12 and draft.body["by"] == "ro.lea"
    assert draft.body["before"]["medicaid_meal_notice_on"] is None
    assert draft.body["after"]["medicaid_meal_notice_on"] == "2026-08-15"
    assert draft.body["after"]["direct_certification_programs"] == ["snap", "tanf"]
