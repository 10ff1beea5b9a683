"""What a family reads before it signs a consent on its page (issue 21), beside the consent's text:

- a parent is warned, in English and Spanish, when the consent's end date is on or after the first day
  of the month the child turns 18 (from then on the policy uses a parent's consent only if the student
  confirms it, ADR 0016), and told on the form when a later date would be; the warning says what the
  engine does (a signed consent that runs past the month is not used in it). The eligible student
  signing for themselves, or a child who turns 18 after the agreements end, gets no such note;
- the consent to read says, agency by agency, which chosen records each chosen agency will get and which
  it will not (its agreement names fewer), and, signed, the child's preview shows exactly that;
- the new texts are plain by the consent texts' measures (tests/web/test_consent_readability.py)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from typing import Any

import pytest
from babel.dates import format_skeleton

from accord.api.deps import now
from accord.store.db import make_engine, make_session_factory, session_scope
from accord.store.repositories.students import list_students
from accord.web import i18n
from accord.web.plain_words import RECORDS
from accord.workflows.family import record_guardianship
from accord.workflows.family_consent_notes import Reach
from accord.workflows.preview import consent_preview
from tests.web.family_world import OFFICER, FamilyWorld, build_family_world, page_text, preview_row
from tests.web.pages_client import read
from tests.web.test_consent_readability import english_syllables, plain_text, too_hard  # noqa: F401

PARENT = "parent.lea.1"
HEALTH, DSS, MEDICAID = ("Riverside County Health Department", "County Department of Social Services",
                         "State Medicaid and CHIP Agency")
WARNING = "Please note: your child turns 18 in {month}. This consent lasts longer than that."
NOTE = "Your child turns 18 in {month}. If this consent lasts longer than that"


class Notes:
    def __init__(self, world: FamilyWorld, teen: str, turns_18_in: date) -> None:
        self.world, self.teen, self.turns_18_in = world, teen, turns_18_in

    def month(self, lang: str = "en") -> str:
        return format_skeleton("yMMMM", self.turns_18_in, locale=lang)

    def post(self, child: str, ends_on: date, step: str = "", lang: str = "", **fields: Any) -> Any:
        data = {"csrf_token": self.world.csrf(f"/family/{child}"), "recipient_agency_ids": ["health"],
                "purposes": ["supportive_services"], "data_elements": ["attendance"],
                "ends_on": ends_on.isoformat(), "step": step, **fields}
        return self.world.client.post(f"/family/{child}/consents/new", data=data, follow_redirects=False,
                                      params={"lang": lang} if lang else None)


def _a_teen(url: str, taken: set[str]) -> tuple[str, date]:
    """A child of the school, not yet the family world's, who turns 18 in two to nine months (so within
    the agreements' term, and within a year consent's default end)."""
    today = now().date()
    students = read(url, lambda session: list_students(session, "lea"))
    return next((s.id, s.turns_18_in) for s in sorted(students, key=lambda s: s.id)
                if s.id not in taken and s.turns_18_in is not None and s.postsecondary_enrolled_on is None
                and today + timedelta(days=60) <= s.turns_18_in <= today + timedelta(days=270))


@pytest.fixture(scope="module")
def notes(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Notes]:
    world = build_family_world(tmp_path_factory.mktemp("family-sign-notes"))
    teen, month = _a_teen(world.url, set(world.child_of.values()))
    engine = make_engine(world.url)
    with session_scope(make_session_factory(engine)) as session:
        record_guardianship(session, OFFICER, PARENT, teen, now())
    engine.dispose()
    yield Notes(world, teen, month)


def test_a_parent_is_warned_when_the_consent_lasts_into_the_month_the_child_turns_18(notes: Notes) -> None:
    notes.world.sign_in(PARENT)
    form = notes.world.get(f"/family/{notes.teen}/consents/new")  # a year by default: past the month
    assert WARNING.format(month=notes.month()) in page_text(form.text)
    assert "the school will use it only if your child also says yes" in page_text(form.text)
    assert 'aria-describedby="ends-on-help turns-18"' in form.text
    day_before = notes.turns_18_in - timedelta(days=1)
    shown = page_text(notes.post(notes.teen, day_before).text)
    assert "Sign this consent" in shown and "turns 18" not in shown
    again = page_text(notes.post(notes.teen, day_before, step="change").text)
    assert NOTE.format(month=notes.month()) in again and "Please note" not in again
    for ends_on in (notes.turns_18_in, notes.turns_18_in + timedelta(days=40)):
        shown = page_text(notes.post(notes.teen, ends_on).text)
        assert "Sign this consent" in shown and WARNING.format(month=notes.month()) in shown, ends_on
    spanish = page_text(notes.world.get(f"/family/{notes.teen}/consents/new?lang=es").text)
    assert f"Atención: su hijo o hija cumple 18 años en {notes.month('es')}." in spanish
    assert "la escuela lo usará solo si su hijo o hija también dice que sí" in spanish
    notes.world.get("/family?lang=en")


def test_no_note_when_the_child_turns_18_after_the_agreements_or_signs_for_themselves(notes: Notes) -> None:
    notes.world.sign_in(PARENT)
    later = notes.world.child_of["ferpa-featured-consented"]  # turns 18 years after the agreements end
    assert "turns 18" not in page_text(notes.world.get(f"/family/{later}/consents/new").text)
    notes.world.sign_in("student.lea.1")
    me = notes.world.child_of["ferpa-featured-just18"]
    assert "turns 18" not in page_text(notes.world.get(f"/family/{me}/consents/new").text)


def test_the_warning_says_what_the_policy_does(notes: Notes) -> None:
    notes.world.sign_in(PARENT)
    signed = notes.post(notes.teen, notes.turns_18_in + timedelta(days=60), step="sign")
    assert signed.status_code == 303
    consent_id = signed.headers["location"].rsplit("#consent-", 1)[1]

    def health_gets(on: date) -> bool:
        at = datetime.combine(on, time(10))
        lines = read(notes.world.url, lambda session: consent_preview(session, consent_id, at))
        return any(line.recipient_agency_id == "health" and "attendance" in line.fields for line in lines)

    assert health_gets(notes.turns_18_in - timedelta(days=1))
    assert not health_gets(notes.turns_18_in + timedelta(days=1))  # the parent's consent alone: not used


def test_the_consent_says_which_chosen_records_each_agency_will_not_get(notes: Notes) -> None:
    notes.world.sign_in(PARENT)
    child = notes.world.child_of["ferpa-featured-revoked"]
    chosen = {"recipient_agency_ids": ["health", "dss", "medicaid"],
              "data_elements": ["attendance", "discipline"]}
    ends_on = now().date() + timedelta(days=200)
    shown = notes.post(child, ends_on, **chosen)
    assert shown.status_code == 200
    reach = page_text(shown.text[shown.text.index('id="reach"'):shown.text.index("Your signature")])
    attendance, discipline = RECORDS["attendance"], RECORDS["discipline"]
    said = {name: reach[reach.index(name):] for name in (HEALTH, DSS, MEDICAID)}
    assert said[HEALTH].startswith(f"{HEALTH} It will get: {attendance} {discipline} ")
    assert said[DSS].startswith(f"{DSS} It will get: {attendance} It will not get: {discipline} ")
    assert said[MEDICAID].startswith(f"{MEDICAID} It will get none of the records you chose.")
    assert "If this is not what you want, change your choices below." in reach
    spanish = page_text(notes.post(child, ends_on, lang="es", **chosen).text)
    assert "Lo que recibirá cada agencia si usted firma" in spanish and "No recibirá:" in spanish
    notes.world.get("/family?lang=en")

    signed = notes.post(child, ends_on, step="sign", **chosen)
    assert signed.status_code == 303
    after = notes.world.get(signed.headers["location"]).text
    assert discipline in preview_row(after, HEALTH, "To plan help")
    dss = preview_row(after, DSS, "To plan help")
    assert attendance in dss and discipline not in dss  # the preview shows what the page said
    assert preview_row(after, MEDICAID, "To plan help") == ""


def test_nothing_to_say_when_every_agency_gets_every_chosen_record(notes: Notes) -> None:
    notes.world.sign_in(PARENT)
    child = notes.world.child_of["ferpa-featured-consented"]
    reach = page_text(notes.post(child, now().date() + timedelta(days=100)).text)
    assert f"{HEALTH} It will get: {RECORDS['attendance']}" in reach
    assert "will not get" not in reach and "change your choices below" not in reach


@pytest.mark.parametrize("lang", ["en", "es"])
def test_the_notes_are_plain(lang: str) -> None:
    env = i18n.environment(lang)
    month = format_skeleton("yMMMM", date(2027, 3, 1), locale=lang)
    for runs_past in (True, False):
        text = plain_text(env.get_template("family/_turns_18.html").render(
            runs_past=runs_past, may_run_past=True, stops=date(2027, 3, 1), month=lambda d: month))
        assert too_hard(text, lang) is None, (too_hard(text, lang), text)
    reach = [Reach("health", ("attendance", "grades"), ("discipline",)), Reach("medicaid", (), ("grades",))]
    text = plain_text(env.get_template("family/_reach.html").render(
        reach=reach, names={"health": "Health Department", "medicaid": "Medicaid"}, RECORDS=RECORDS))
    assert len(text.split()) > 30 and too_hard(text, lang) is None, (too_hard(text, lang), text)
