"""The parent view's sentences, for each kind of ledger entry, from real policy decisions."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta

import pytest

from accord.domain.purposes import Purpose
from accord.ledger.entries import GENESIS, Draft, Entry, EntryKind, seal
from accord.ledger.events import agreement_draft, consent_draft, decision_draft
from accord.ledger.plain_language import element_label, history_lines, listed, long_date
from accord.policy import DisclosureRequest, Facts, decide
from tests.spec import world

NAMES = {a.id: a.name for a in world.AGENCIES.values()}
SIGNED = {c.id: c.signed_on for c in world.CONSENTS.values() if c.signed_on is not None}
ASKED_ON = datetime(2027, 3, 3, 10, 0)  # training, agreements and consents all in force


def _decision_draft(user: str, fields: set[str], purpose: Purpose = Purpose.SUPPORTIVE_SERVICES,
                    consents: tuple[str, ...] = (), threat: str | None = None,
                    student: str = "stu-minor") -> Draft:
    """A realistic entry: the spec world's facts through the policy engine, on ASKED_ON."""
    u = world.USERS[user]
    held = tuple(world.CONSENTS[c] for c in consents)
    request = DisclosureRequest(requester_id=u.id, student_id=student, source_agency_id="lea",
                                purpose=purpose, fields=frozenset(fields), at=ASKED_ON,
                                threat=threat, stated_interest="case planning")
    facts = Facts(requester=u, requester_agency=world.AGENCIES[u.agency_id],
                  source_agency=world.AGENCIES["lea"], student=world.STUDENTS[student],
                  agreements=tuple(world.AGREEMENTS.values()), consents=held,
                  completions=world.COMPLETIONS)
    return decision_draft(request, decide(request, facts), u.agency_id)


def _chain(*drafts: Draft) -> list[Entry]:
    entries, prev = [], GENESIS
    for n, d in enumerate(drafts, start=1):
        e = seal(d, n, prev, datetime(2026, 11, 29, 12, 0))
        entries.append(e)
        prev = e.entry_hash
    return entries


def _sentences(*drafts: Draft, reader: str = "parent") -> list[str]:
    return [x.sentence for x in history_lines(_chain(*drafts), NAMES, SIGNED, reader)]  # type: ignore[arg-type]


def test_helpers_spell_dates_lists_and_labels() -> None:
    assert long_date(date(2026, 3, 3)) == "3 March 2026"
    assert listed(["a"]) == "a" and listed(["a", "b", "c"]) == "a, b and c"
    assert listed(["attendance", "grades and course marks"]) == "attendance, and grades and course marks"
    assert element_label("school_immunizations") == "immunizations on the school record"
    assert element_label("snap_participation") == "SNAP participation"


def test_a_permitted_disclosure_names_recipient_items_purpose_and_consent() -> None:
    entries = _chain(_decision_draft("cw.health", {"attendance", "school_immunizations"},
                                     consents=("ferpa-health",)))
    # Without knowing who signed, the sentence does not guess whose consent it was.
    assert history_lines(entries, NAMES, SIGNED)[0].sentence.endswith(
        "with a written consent signed 12 August 2026.")
    line = history_lines(entries, NAMES, SIGNED, consent_signers={"ferpa-health": "parent"})[0]
    assert line.sentence == (
        "On 3 March 2027 the County Health Dept received attendance and immunizations on the "
        "school record to plan services, with your consent signed 12 August 2026.")
    assert line.on == date(2027, 3, 3) and line.kind == "disclosure_decision" and line.seq == 1
    assert line.citations == ("34 CFR 99.30",)


def test_a_denial_says_nothing_was_shared_and_why_without_citations_in_the_sentence() -> None:
    line = history_lines(_chain(_decision_draft("cw.tanf", {"meal_eligibility_status"})),
                         NAMES, {})[0]
    assert line.sentence == (
        "On 3 March 2027 the County TANF Office asked for free/reduced-price meal eligibility "
        "status to plan services; nothing was shared, because the law lists no such recipient "
        "without your consent.")
    assert "CFR" not in line.sentence and "USC" not in line.sentence
    assert any("42 USC 1758(b)(6)" in c for c in line.citations)


def test_a_denial_after_revocation_says_the_consent_was_withdrawn() -> None:
    revoked = replace(world.CONSENTS["ferpa-health"], revoked_at=ASKED_ON - timedelta(days=3))
    u = world.USERS["cw.health"]
    request = DisclosureRequest(u.id, "stu-minor", "lea", Purpose.SUPPORTIVE_SERVICES,
                                frozenset({"attendance"}), ASKED_ON)
    facts = Facts(u, world.AGENCIES["health"], world.AGENCIES["lea"], world.STUDENTS["stu-minor"],
                  tuple(world.AGREEMENTS.values()), (revoked,), world.COMPLETIONS)
    [text] = _sentences(decision_draft(request, decide(request, facts), "health"))
    assert text.endswith("nothing was shared, because the law allows this only with your written "
                         "consent, and the consent on file had been withdrawn.")


def test_a_partial_release_says_what_was_not_shared() -> None:
    [text] = _sentences(_decision_draft("cw.health", {"attendance", "assessments"},
                                        consents=("ferpa-health",)))
    assert "received attendance to plan services" in text
    assert "it did not receive state assessment results, because the data-sharing agreement" in text


def test_an_emergency_says_so_and_shows_the_recorded_threat() -> None:
    [text] = _sentences(_decision_draft("cw.health", {"emergency_contacts", "grades"},
                                        Purpose.HEALTH_SAFETY_EMERGENCY, threat=world.THREAT))
    assert text.startswith("On 3 March 2027, in a health or safety emergency (recorded as: "
                           f"“{world.THREAT}”), the County Health Dept received emergency contacts")
    assert "without consent" in text and "did not receive grades and course marks" in text
    [refused] = _sentences(_decision_draft("cw.health", {"emergency_contacts"},
                                           Purpose.HEALTH_SAFETY_EMERGENCY))
    assert "nothing was shared, because no specific threat to health or safety was stated" in refused


def test_other_bases_are_explained_in_words() -> None:
    [directory] = _sentences(_decision_draft("cw.health", {"grade_level"}))
    assert directory.endswith("received grade level to plan services, as directory information "
                              "(which may be shared unless you opt out).")
    [foster] = _sentences(_decision_draft("cw.cws", {"attendance"}, student="stu-foster"))
    assert "responsible for your child's foster care" in foster
    [as_student] = _sentences(_decision_draft("cw.cws", {"attendance"}, student="stu-foster"),
                              reader="student")
    assert "responsible for your foster care" in as_student


def test_consent_recorded_revoked_and_confirmed() -> None:
    c = world.CONSENTS["ferpa-snap"]
    at = datetime(2026, 9, 1, 9, 0)
    drafts = (consent_draft(EntryKind.CONSENT_RECORDED, c, "records-office", at),
              consent_draft(EntryKind.CONSENT_CONFIRMED, c, "records-office", at),
              consent_draft(EntryKind.CONSENT_REVOKED, replace(c, revoked_at=at + timedelta(days=30)),
                            "records-office", at + timedelta(days=30)))
    recorded, confirmed, revoked = _sentences(*drafts)
    assert recorded == ("On 12 August 2026 you signed a consent (form in Spanish) letting the County "
                        "SNAP Office receive attendance and family background to plan services, "
                        "until 12 August 2027.")
    assert confirmed.startswith("On 1 September 2026 your child, now an adult, confirmed the "
                                "consent you signed on 12 August 2026, letting the County SNAP")
    assert revoked.startswith("On 1 October 2026 the consent you signed on 12 August 2026 was "
                              "withdrawn; nothing more is shared under it")
    student_view = _sentences(*drafts, reader="student")
    assert student_view[0].startswith("On 12 August 2026 your parent signed a consent")
    assert student_view[1].startswith("On 1 September 2026 you confirmed the consent your parent signed")


def test_other_forms_are_named_and_the_signer_follows_the_reader() -> None:
    c = world.CONSENTS["part2-by-minor"]
    [text] = _sentences(consent_draft(EntryKind.CONSENT_RECORDED, c, "ro", datetime(2026, 9, 1)))
    assert text.startswith("On 12 August 2026 your child signed a consent (also a substance-use "
                           "treatment consent; form in Spanish) letting Riverside Unified receive "
                           "substance-use treatment records")


def test_agreement_entries_read_too() -> None:
    [text] = _sentences(agreement_draft(EntryKind.AGREEMENT_ACTIVATED,
                                        world.AGREEMENTS["dsa-snap"], "admin", date(2025, 7, 1)))
    assert text == ("On 1 July 2025 the data-sharing agreement dsa-snap took effect, letting the "
                    "County SNAP Office receive attendance and family background.")


def test_lines_are_oldest_first_and_export_as_plain_data() -> None:
    consent = consent_draft(EntryKind.CONSENT_RECORDED, world.CONSENTS["nsla-tanf"], "ro",
                            datetime(2026, 9, 1))
    ask = _decision_draft("cw.tanf", {"meal_eligibility_status"}, consents=("nsla-tanf",))
    lines = history_lines(_chain(ask, consent), NAMES, SIGNED)
    assert [x.seq for x in lines] == [2, 1]  # signed in 2026, entered after the 2027 request
    assert lines[1].as_dict() == {
        "seq": 1, "date": "2027-03-03", "kind": "disclosure_decision",
        "sentence": lines[1].sentence, "citations": list(lines[1].citations)}


def test_no_entries_no_lines_and_a_bad_reader_is_refused() -> None:
    assert history_lines([], NAMES, {}) == []
    with pytest.raises(ValueError, match="reader"):
        history_lines([], NAMES, {}, "neighbour")  # type: ignore[arg-type]


def test_no_identifying_field_of_the_student_reaches_a_sentence() -> None:
    student = world.STUDENTS["stu-minor"]
    texts = " ".join(_sentences(
        _decision_draft("cw.health", {"attendance"}, consents=("ferpa-health",)),
        consent_draft(EntryKind.CONSENT_RECORDED, world.CONSENTS["ferpa-health"], "ro",
                      datetime(2026, 9, 1))))
    month = student.turns_18_in  # the hub holds no birth date; not even the month reaches a sentence
    assert month is not None
    assert month.isoformat() not in texts and long_date(month) not in texts
    assert month.strftime("%B %Y") not in texts
    assert "stu-minor" not in texts
