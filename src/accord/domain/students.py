"""Students as the policy sees them: no names, no birth date, only what decides who holds FERPA
rights. The school's node sends the month a student turns 18, not the day (ADR 0016): the hub
knows a student is a minor before that month and an adult after it, and within it does not know
which, so the policy asks for what holds either way."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

AGE_OF_ELIGIBILITY = 18  # 34 CFR 99.3, "eligible student"


def birthday_on_or_after(born: date, years: int) -> date:
    """The date a person born on `born` turns `years` (29 February rolls to 1 March)."""
    try:
        return born.replace(year=born.year + years)
    except ValueError:
        return date(born.year + years, 3, 1)


# What the node's copy says in place of a birth date it holds but cannot read (impossible, before
# 1900 or after today): a school's own file should not have one, and the hub refuses the row; a
# row with no birth date at all carries nothing, and its age is unknown to the hub.
UNREADABLE_BIRTH_DATE = "unreadable"


# The shape of the ids a school's node gives its students at the hub (node.pseudonyms, ADR 0022):
# `p-` and 26 letters of base32. The hub tells by it a school that sends pseudonyms.
PSEUDONYM_PREFIX = "p-"
PSEUDONYM_LETTERS = 26
_BASE32 = frozenset("abcdefghijklmnopqrstuvwxyz234567")


def looks_pseudonymous(record_id: str) -> bool:
    """Whether `record_id` has a pseudonym's shape (no key tells more)."""
    return (len(record_id) == len(PSEUDONYM_PREFIX) + PSEUDONYM_LETTERS
            and record_id.startswith(PSEUDONYM_PREFIX)
            and _BASE32.issuperset(record_id[len(PSEUDONYM_PREFIX):]))


def month_turning_18(born: date) -> date:
    """The fact the school's node sends for a birth date: the first day of the month of the 18th
    birthday."""
    return birthday_on_or_after(born, AGE_OF_ELIGIBILITY).replace(day=1)


def _last_day(month: date) -> date:
    return (month.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)


@dataclass(frozen=True, slots=True)
class Student:
    """A student known to the hub by an internal id; identity lives only in the encodings."""

    id: str
    school_agency_id: str
    turns_18_in: date | None = None  # first day of the month of the 18th birthday
    postsecondary_enrolled_on: date | None = None
    directory_opt_out: bool = False  # 34 CFR 99.37(a)(3)
    meal_disclosure_opt_out: bool = False  # parent declined the Medicaid/CHIP disclosure
    foster_care_agency_id: str | None = None  # child-welfare agency responsible, if any

    def rights_transfer_date(self) -> date | None:
        """The first day FERPA rights have surely passed from the parents to the student: the
        first postsecondary enrolment, or the last day of the month the student turns 18."""
        candidates = [d for d in (self.postsecondary_enrolled_on,) if d is not None]
        if self.turns_18_in is not None:
            candidates.append(_last_day(self.turns_18_in))
        return min(candidates) if candidates else None

    def is_eligible_student(self, on: date) -> bool:
        """True when the student surely holds FERPA rights personally on the given day."""
        transfer = self.rights_transfer_date()
        return transfer is not None and transfer <= on

    def is_minor(self, on: date) -> bool:
        """Not surely 18 on the given day (unknown ages count as minors: the safer reading)."""
        return self.turns_18_in is None or _last_day(self.turns_18_in) > on

    def turning_18(self, on: date) -> bool:
        """The student turns 18 in the month of `on` (on or before its last day) and rights have
        not passed otherwise: the hub cannot tell whether the birthday is past."""
        return (self.turns_18_in is not None and self.turns_18_in <= on < _last_day(self.turns_18_in)
                and not self.is_eligible_student(on))
