"""Agencies, users, students and training round-trip on both backends."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from sqlalchemy.orm import Session

from accord.domain.agencies import Program, Role, User
from accord.domain.students import NO_LATER_MONTH, Student
from accord.domain.training import Course
from accord.store.errors import Conflict
from accord.store.repositories import agencies, students, training
from tests.integration.builders import (
    AGENCIES,
    COURSE,
    LEA,
    NURSE,
    OFFICER,
    STUDENT,
    completion,
    seed_parties,
)


def test_agencies_and_users_round_trip(session: Session) -> None:
    seed_parties(session)
    session.commit()
    assert agencies.list_agencies(session) == sorted(AGENCIES, key=lambda a: a.id)
    assert agencies.get_agency(session, "lea") == LEA
    assert agencies.get_agency(session, "nobody") is None
    assert agencies.get_user(session, "u-nurse") == NURSE
    assert agencies.list_users(session) == [NURSE, OFFICER]
    assert agencies.list_users(session, agency_id="lea") == [OFFICER]


def test_saving_an_agency_again_replaces_its_programs_and_schools(session: Session) -> None:
    seed_parties(session)
    agencies.save_agency(session, replace(LEA, schools=frozenset({"255901001", "255901002"})))
    session.commit()
    changed = replace(LEA, name="Riverside USD", programs=frozenset({Program.SCHOOL_MEALS, Program.WIC}),
                      schools=frozenset({"255901002", "255901003"}))
    agencies.save_agency(session, changed)
    session.commit()
    session.expunge_all()
    assert agencies.get_agency(session, "lea") == changed
    agencies.save_user(session, replace(OFFICER, role=Role.ADMINISTRATOR))
    assert agencies.get_user(session, OFFICER.id).role is Role.ADMINISTRATOR  # type: ignore[union-attr]


def test_a_user_needs_a_registered_agency(session: Session) -> None:
    with pytest.raises(Conflict) as err:
        agencies.save_user(session, User("u-x", "no-such-agency", Role.ANALYST))
    # Neither the driver's text nor the row's values reach the message.
    assert "no-such-agency" not in str(err.value)
    assert "not registered" in str(err.value)


def test_students_round_trip_and_bulk_insert(session: Session) -> None:
    seed_parties(session)
    assert students.get_student(session, "stu-1") == STUDENT
    roster = [Student(f"bulk-{i:05d}", "lea", date(2008 + i % 10, 1 + i % 12, 1 + i % 28),
                      directory_opt_out=i % 7 == 0) for i in range(3000)]
    assert students.add_students(session, roster) == 3000
    session.commit()
    assert students.count_students(session) == 3001
    assert students.get_student(session, "bulk-00007") == roster[7]
    assert len(students.list_students(session, school_agency_id="lea")) == 3001
    students.save_student(session, replace(STUDENT, directory_opt_out=True))
    assert students.get_student(session, "stu-1").directory_opt_out  # type: ignore[union-attr]


def test_bounds_of_the_month_round_trip_and_a_reload_replaces_them(session: Session) -> None:
    # ADR 0030: bounds from one students file, the month itself from a later one, and back.
    seed_parties(session)
    bounded = Student("far-1", "lea", date(2027, 2, 1), turns_18_by=NO_LATER_MONTH)
    before = Student("past-1", "lea", date(1900, 1, 1), turns_18_by=date(2026, 10, 1))
    students.add_students(session, [bounded, before])
    session.commit()
    assert [students.get_student(session, s.id) for s in (bounded, before)] == [bounded, before]
    exact = replace(bounded, turns_18_in=date(2027, 3, 1), turns_18_by=None)
    students.replace_students(session, [exact, replace(before, turns_18_by=date(2026, 11, 1))])
    session.commit()
    assert students.get_student(session, "far-1") == exact
    assert students.get_student(session, "past-1").turns_18_by == date(2026, 11, 1)  # type: ignore[union-attr]


def test_bulk_insert_refuses_an_existing_student(session: Session) -> None:
    seed_parties(session)
    session.commit()
    with pytest.raises(Conflict) as err:
        students.add_students(session, [STUDENT])
    assert "stu-1" not in str(err.value) and "2010-02-28" not in str(err.value)
    assert "already exists" in str(err.value)
    session.rollback()
    assert students.count_students(session) == 1


def test_courses_and_completions(session: Session) -> None:
    seed_parties(session)
    other = Course("hipaa", "HIPAA for partners", 730, False)
    training.save_course(session, COURSE)
    training.save_course(session, other)
    first, second = completion(on=date(2025, 1, 2)), completion(on=date(2026, 1, 2))
    training.save_completion(session, second)
    training.save_completion(session, first)
    assert training.add_completions(session, [completion("u-officer")]) == 1
    session.commit()
    assert training.list_courses(session) == [COURSE, other]
    assert training.get_course(session, "hipaa") == other
    assert training.completions_for_user(session, "u-nurse") == [first, second]
    assert len(training.list_completions(session)) == 3
