"""Synthetic students: realistic ages, rights transfers, opt-outs and foster placements.

Each student comes with a birth date, which only the school's node knows (the demo's identities
use it); the hub's `Student` holds the month the student turns 18 (ADR 0016)."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from accord.domain.students import Student, birthday_on_or_after, month_turning_18

SCHOOL = "lea"
CHILD_WELFARE = "cws"


@dataclass(frozen=True, slots=True)
class Featured:
    """Students whose situation the demo and the tests rely on, by what makes them special."""

    consented: str  # 10 years old, a parent's FERPA consent naming the health department
    no_consent: str  # 11 years old, nothing on file
    foster: str  # in foster care with the child-welfare agency
    just_18: str  # turned 18 three days ago; only a parent's consent on file
    revoked: str  # the parent's consent to the health department was revoked
    sud_general: str  # 16, substance-use records, only a general FERPA consent
    sud_part2: str  # 16, a Part 2 consent signed by the minor
    hipaa: str  # a HIPAA authorization lets the health department send records to the school
    dual: str  # 16, enrolled in college classes: FERPA rights are already hers
    opt_out: str  # family opted out of directory information and the Medicaid disclosure

    def ids(self) -> tuple[str, ...]:
        return tuple(getattr(self, f) for f in self.__dataclass_fields__)


def student_id(n: int) -> str:
    return f"stu-{n:06d}"


def _born(as_of: date, years: int, days_past: int) -> date:
    """A birth date making the person `years` old, `days_past` days after that birthday."""
    return birthday_on_or_after(as_of, -years) - timedelta(days=days_past)


Born = tuple[Student, date]  # a student and the birth date the school's node knows


def _born_student(student_id: str, born: date, *, postsecondary_enrolled_on: date | None = None,
                  directory_opt_out: bool = False, meal_disclosure_opt_out: bool = False,
                  foster_care_agency_id: str | None = None) -> Born:
    return Student(student_id, SCHOOL, month_turning_18(born), postsecondary_enrolled_on,
                   directory_opt_out, meal_disclosure_opt_out, foster_care_agency_id), born


def featured_students(as_of: date) -> tuple[Featured, tuple[Born, ...]]:
    """The first ten ids, always the same situations whatever the seed."""
    f = Featured(*(student_id(n) for n in range(1, 11)))
    s = (
        _born_student(f.consented, _born(as_of, 10, 40)),
        _born_student(f.no_consent, _born(as_of, 11, 100)),
        _born_student(f.foster, _born(as_of, 13, 200), foster_care_agency_id=CHILD_WELFARE),
        _born_student(f.just_18, _born(as_of, 18, 3)),
        _born_student(f.revoked, _born(as_of, 9, 10)),
        _born_student(f.sud_general, _born(as_of, 16, 50)),
        _born_student(f.sud_part2, _born(as_of, 16, 120)),
        _born_student(f.hipaa, _born(as_of, 12, 80)),
        _born_student(f.dual, _born(as_of, 16, 150),
                postsecondary_enrolled_on=as_of - timedelta(days=90)),
        _born_student(f.opt_out, _born(as_of, 12, 30), directory_opt_out=True,
                meal_disclosure_opt_out=True),
    )
    return f, s


def _age(rng: random.Random) -> int:
    # Pre-K through a fifth year of high school, thinner at both ends.
    return rng.choices(range(4, 20), weights=[2, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 7, 4, 1])[0]


def random_student(rng: random.Random, n: int, as_of: date) -> Born:
    """One ordinary student; about 1 in 60 turned 18 within a fortnight of `as_of`."""
    if rng.random() < 1 / 60:
        born = _born(as_of, 18, rng.randint(-14, 14))  # negative: turns 18 shortly
    else:
        born = _born(as_of, _age(rng), rng.randint(0, 364))
    age_days = (as_of - born).days
    dual = age_days > 15 * 365 and rng.random() < 0.06
    return _born_student(
        student_id(n), born,
        postsecondary_enrolled_on=as_of - timedelta(days=rng.randint(10, 400)) if dual else None,
        directory_opt_out=rng.random() < 0.04,
        meal_disclosure_opt_out=rng.random() < 0.03,
        foster_care_agency_id=CHILD_WELFARE if rng.random() < 0.015 else None,
    )


def build_students(rng: random.Random, count: int, as_of: date
                   ) -> tuple[Featured, tuple[Student, ...], dict[str, date]]:
    """`count` students (at least the ten featured ones), ids stu-000001 upwards, and their birth
    dates by id."""
    featured, fixed = featured_students(as_of)
    rest = tuple(random_student(rng, n, as_of) for n in range(len(fixed) + 1, count + 1))
    everyone = fixed + rest
    return featured, tuple(s for s, _ in everyone), {s.id: born for s, born in everyone}
