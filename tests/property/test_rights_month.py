"""The hub's month of the 18th birthday against the plain reading of the birth date (ADR 0016):
whatever the hub takes as sure is so, and it is unsure only within the birthday's month."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from accord.domain.students import Student, birthday_on_or_after, month_turning_18


@given(st.dates(date(1990, 1, 1), date(2020, 12, 31)), st.integers(-400, 400))
def test_the_month_never_contradicts_the_birth_date(born: date, offset: int) -> None:
    eighteenth = birthday_on_or_after(born, 18)
    on = eighteenth + timedelta(days=offset)
    student = Student("s", "lea", month_turning_18(born))
    really_18 = eighteenth <= on
    if student.is_eligible_student(on):
        assert really_18
    if student.is_minor(on) and not student.turning_18(on):
        assert not really_18
    if student.turning_18(on):
        assert on.year == eighteenth.year and on.month == eighteenth.month
    else:
        assert student.is_eligible_student(on) == really_18
