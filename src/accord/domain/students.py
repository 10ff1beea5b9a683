"""Students as the policy sees them: no names, no birth date, only what decides who holds FERPA
rights. The school's node sends the month a student turns 18, not the day (ADR 0016), and only
for students whose birthday is near; of the others it says only "after" or "before" a month the
whole file shares (ADR 0030). The hub knows a student is a minor before the earliest month the
18th birthday can fall in and an adult after the latest, and between them does not know which,
so the policy asks for what holds either way."""

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


# What the node says when the 18th birthday is not near the file's date (ADR 0030): the months
# that bound it. Ahead, one open bound for every such student in the file ("not before"); past,
# the year of the birthday, which the grade tells the hub anyway. The open end of "not before".
NO_LATER_MONTH = date(9999, 12, 1)
MONTHS_KEPT_AHEAD = 2  # this month and the next two are sent exactly; later ones as "not before"


def _add_months(month: date, months: int) -> date:
    index = month.year * 12 + month.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def turning_18_bounds(born: date, as_of: date) -> tuple[date, date]:
    """The (earliest, latest) month of the 18th birthday the school's node tells the hub on
    `as_of`: the month itself when it falls in `as_of`'s month or the MONTHS_KEPT_AHEAD after it;
    otherwise only that it comes after the last of those, or, for a birthday already past, its year
    (up to the month before `as_of`'s): enough to refuse a parent's consent signed after it."""
    month, this_month = month_turning_18(born), as_of.replace(day=1)
    last_kept = _add_months(this_month, MONTHS_KEPT_AHEAD)
    if month > last_kept:
        return _add_months(last_kept, 1), NO_LATER_MONTH
    if month < this_month:
        return month.replace(month=1), min(month.replace(month=12), _add_months(this_month, -1))
    return month, month


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
    # The latest month the 18th birthday can fall in, when the node sent bounds rather than the
    # month (turning_18_bounds): `turns_18_in` is then the earliest. None: the month is exact.
    turns_18_by: date | None = None

    def _latest_month(self) -> date | None:
        return self.turns_18_by if self.turns_18_by is not None else self.turns_18_in

    def rights_transfer_date(self) -> date | None:
        """The first day FERPA rights have surely passed from the parents to the student: the
        first postsecondary enrolment, or the last day of the latest month the student can turn 18."""
        candidates = [d for d in (self.postsecondary_enrolled_on,) if d is not None]
        latest = self._latest_month()
        if latest is not None and latest != NO_LATER_MONTH:
            candidates.append(_last_day(latest))
        return min(candidates) if candidates else None

    def is_eligible_student(self, on: date) -> bool:
        """True when the student surely holds FERPA rights personally on the given day."""
        transfer = self.rights_transfer_date()
        return transfer is not None and transfer <= on

    def is_minor(self, on: date) -> bool:
        """Not surely 18 on the given day (unknown ages count as minors: the safer reading)."""
        latest = self._latest_month()
        return latest is None or latest == NO_LATER_MONTH or _last_day(latest) > on

    def turning_18(self, on: date) -> bool:
        """The 18th birthday may be past or not on `on` (from the earliest month it can fall in
        to the last day of the latest) and rights have not passed otherwise: in the month itself
        when the hub holds it, or past the bounds a node sent for a birthday not yet near."""
        latest = self._latest_month()
        return (self.turns_18_in is not None and latest is not None and self.turns_18_in <= on
                and (latest == NO_LATER_MONTH or on < _last_day(latest)) and not self.is_eligible_student(on))

    def turns_18_month_known(self) -> bool:
        """Whether the hub holds the month itself (it may hold only bounds, or nothing)."""
        return self.turns_18_in is not None and self._latest_month() == self.turns_18_in
