"""load_facts against the in-memory FactIndex, and whole-or-nothing transactions."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy.orm import Session, sessionmaker

from accord.domain.purposes import Purpose
from accord.policy.fact_index import FactIndex
from accord.policy.request import DisclosureRequest, Facts
from accord.store.db import session_scope
from accord.store.errors import Conflict
from accord.store.facts import load_facts
from accord.store.repositories import agencies, agreements, consents, state_law, students, training
from accord.synth import build_county
from tests.integration.builders import LEA, OFFICER, STUDENT

AS_OF = date(2026, 11, 29)


def _store_county(session: Session) -> FactIndex:
    county = build_county(7, 120, as_of=AS_OF)
    for a in county.agencies:
        agencies.save_agency(session, a)
    for u in county.users:
        agencies.save_user(session, u)
    students.add_students(session, county.students)
    for c in county.courses:
        training.save_course(session, c)
    training.add_completions(session, county.completions)
    for ag in county.agreements:
        agreements.save_agreement(session, ag)
    consents.add_consents(session, county.consents)
    state_law.save_state_law(session, county.state_law)
    session.commit()
    return FactIndex.build(agencies=county.agencies, users=county.users, students=county.students,
                           agreements=county.agreements, consents=county.consents,
                           completions=county.completions, state=county.state_law)


def _same(a: Facts, b: Facts) -> None:
    # Same facts; the order of agreements and consents is not part of the contract.
    assert (a.requester, a.requester_agency, a.source_agency, a.student, a.state) == (
        b.requester, b.requester_agency, b.source_agency, b.student, b.state)
    assert sorted(a.agreements, key=lambda x: (x.id, x.version)) == \
        sorted(b.agreements, key=lambda x: (x.id, x.version))
    assert set(a.consents) == set(b.consents) and set(a.completions) == set(b.completions)


def test_load_facts_matches_the_fact_index_for_every_pair(session: Session) -> None:
    index = _store_county(session)
    session.expunge_all()
    sources = sorted(index.agencies)
    student_ids = sorted(index.students)[:10:3] + ["stu-unknown"]
    checked = 0
    for user_id in sorted(index.users)[::4] + ["nobody"]:
        for source in sources:
            for sid in student_ids:
                req = DisclosureRequest(user_id, sid, source, Purpose.SUPPORTIVE_SERVICES,
                                        frozenset({"grade_level"}), datetime(2026, 11, 29, 10))
                _same(load_facts(session, req), index.facts_for(req))
                checked += 1
    assert checked > 100
    assert any(index.agreements_between(s, index.users[u].agency_id)
               for s in sources for u in index.users)


def test_load_facts_leaves_unknowns_empty(session: Session) -> None:
    req = DisclosureRequest("nobody", "nobody", "nowhere", Purpose.SUPPORTIVE_SERVICES,
                            frozenset(), datetime(2026, 1, 1))
    facts = load_facts(session, req)
    assert facts == Facts(None, None, None, None)


def test_session_scope_commits_whole(session_factory: sessionmaker[Session]) -> None:
    with session_scope(session_factory) as s:
        agencies.save_agency(s, LEA)
        agencies.save_user(s, OFFICER)
    with session_scope(session_factory) as s:
        assert agencies.get_user(s, OFFICER.id) == OFFICER


def test_an_error_rolls_back_everything_written_in_the_scope(
        session_factory: sessionmaker[Session]) -> None:
    with pytest.raises(Conflict):
        with session_scope(session_factory) as s:
            agencies.save_agency(s, LEA)
            agencies.save_user(s, OFFICER)
            students.add_students(s, [STUDENT])
            students.add_students(s, [STUDENT])  # duplicate key: the whole scope is undone
    with session_scope(session_factory) as s:
        assert agencies.list_agencies(s) == []
        assert agencies.get_user(s, OFFICER.id) is None
        assert students.count_students(s) == 0


def test_any_exception_rolls_back(session_factory: sessionmaker[Session]) -> None:
    with pytest.raises(RuntimeError):
        with session_scope(session_factory) as s:
            agencies.save_agency(s, LEA)
            raise RuntimeError("boom")
    with session_scope(session_factory) as s:
        assert agencies.get_agency(s, LEA.id) is None
