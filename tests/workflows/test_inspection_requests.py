"""Parents' requests to inspect the child's records (34 CFR 99.10), on SQLite and PostgreSQL: only the
family that holds the child's rights may ask (as for the family's other pages: after 18, the student
and no longer the parent); asking again while a request is open changes nothing; the school's records
officer sees the open requests of the school's students only, with 45 days from the request, and marks
one answered once; both steps are in the ledger and in the family's history."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from accord.domain.agencies import User
from accord.domain.inspections import InspectionRequest
from accord.ledger.entries import EntryKind
from accord.store.repositories.agencies import get_user
from accord.store.repositories.ledger import entries_for_student
from accord.synth import build_county
from accord.workflows.demo_store import store_county
from accord.workflows.family import NotYourChild, family_history, record_guardianship
from accord.workflows.inspection_requests import (
    InspectionNotFound,
    NotAnOfficer,
    ask_to_inspect,
    family_requests,
    mark_answered,
    open_for_officer,
)

AT = datetime(2026, 10, 5, 9, 30)


@pytest.fixture
def county(engine: Engine, session_factory: sessionmaker[Session]) -> dict[str, str]:
    """The synthetic county (stored as the demo stores it) and its families; consent id -> student."""
    built = build_county(7, 200, as_of=AT.date() - timedelta(days=40))
    store_county(engine, built)
    child_of = {c.id: c.student_id for c in built.consents}
    with session_factory.begin() as session:
        families = (("parent.lea.1", "ferpa-featured-consented"), ("parent.lea.2", "ferpa-featured-dual"),
                    ("parent.lea.3", "ferpa-featured-just18"), ("student.lea.1", "ferpa-featured-just18"))
        for user, consent in families:
            record_guardianship(session, "ro.lea.1", user, child_of[consent], AT)
    return child_of


def _user(session: Session, user_id: str) -> User:
    user = get_user(session, user_id)
    assert user is not None
    return user


def test_the_family_asks_and_the_schools_officer_answers_within_45_days(
        county: dict[str, str], session: Session) -> None:
    child = county["ferpa-featured-consented"]
    parent, officer = _user(session, "parent.lea.1"), _user(session, "ro.lea.1")
    asked = ask_to_inspect(session, parent, child, AT)
    assert (asked.student_id, asked.requested_by, asked.is_open) == (child, "parent.lea.1", True)
    assert asked.due_on == AT.date() + timedelta(days=45) and asked.days_left(AT.date()) == 45
    assert ask_to_inspect(session, parent, child, AT + timedelta(days=3)) == asked  # the first one's clock
    assert family_requests(session, parent, child, AT.date()) == [asked]
    assert open_for_officer(session, officer) == [asked]
    assert open_for_officer(session, _user(session, "ro.health.1")) == []  # not their school's student

    done = mark_answered(session, officer, asked.id, AT + timedelta(days=10))
    assert not done.is_open and done.answered_by == "ro.lea.1"
    assert open_for_officer(session, officer) == []
    with pytest.raises(InspectionNotFound):
        mark_answered(session, officer, asked.id, AT + timedelta(days=11))
    kinds = [e.kind for e in entries_for_student(session, child)]
    assert kinds.count(EntryKind.INSPECTION_REQUESTED) == kinds.count(EntryKind.INSPECTION_ANSWERED) == 1
    said = " ".join(x.sentence for x in family_history(session, parent, child, AT.date()))
    assert ("you asked to see your child's school records; the school must let you see them by "
            "19 November 2026") in said
    assert "the records office answered the request to see your child's school records" in said
    again = ask_to_inspect(session, parent, child, AT + timedelta(days=20))  # answered: a new request
    assert again.id != asked.id and again.is_open


def test_only_the_family_holding_the_rights_may_ask(county: dict[str, str], session: Session) -> None:
    child, adult = county["ferpa-featured-consented"], county["ferpa-featured-just18"]
    with pytest.raises(NotYourChild):
        ask_to_inspect(session, _user(session, "parent.lea.2"), child, AT)  # another family's child
    with pytest.raises(NotYourChild):
        ask_to_inspect(session, _user(session, "parent.lea.1"), "stu-made-up", AT)
    with pytest.raises(NotYourChild):  # the student is 18: the rights are theirs, not the parent's
        ask_to_inspect(session, _user(session, "parent.lea.3"), adult, AT)
    own = ask_to_inspect(session, _user(session, "student.lea.1"), adult, AT)
    assert own.requested_by == "student.lea.1"
    with pytest.raises(NotAnOfficer):
        open_for_officer(session, _user(session, "cw.lea.1"))
    with pytest.raises(InspectionNotFound):  # another agency's records officer: not their school
        mark_answered(session, _user(session, "ro.health.1"), own.id, AT)
    assert family_requests(session, _user(session, "student.lea.1"), adult, AT.date())[0].is_open


def test_an_overdue_request_says_so() -> None:
    req = InspectionRequest(1, "stu-1", "parent.1", AT)
    due, late = AT.date() + timedelta(days=45), AT.date() + timedelta(days=47)
    assert req.days_left(due) == 0 and not req.overdue(due)
    assert req.days_left(late) == -2 and req.overdue(late)
    answered = InspectionRequest(1, "stu-1", "parent.1", AT, AT + timedelta(days=50), "ro.1")
    assert not answered.overdue(AT.date() + timedelta(days=60))
