"""Students as the policy sees them: no names, only what decides who holds FERPA rights."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache

AGE_OF_ELIGIBILITY = 18  # 34 CFR 99.3, "eligible student"


def birthday_on_or_after(born: date, years: int) -> date:
    """The date a person born on `born` turns `years` (29 February rolls to 1 March)."""
    try:
        return born.replace(year=born.year + years)
    except ValueError:
        return date(born.year + years, 3, 1)


@dataclass(frozen=True, slots=True)
class Student:
    """A student known to the hub by an internal id; identity lives only in the encodings."""

    id: str
    school_agency_id: str
    date_of_birth: date | None = None
    postsecondary_enrolled_on: date | None = None
    directory_opt_out: bool = False  # 34 CFR 99.37(a)(3)
    meal_disclosure_opt_out: bool = False  # parent declined the Medicaid/CHIP disclosure
    foster_care_agency_id: str | None = None  # child-welfare agency responsible, if any

    def rights_transfer_date(self) -> date | None:
        """When FERPA rights passed (or will pass) from the parents to the student."""
        candidates = [d for d in (self.postsecondary_enrolled_on,) if d is not None]
        if self.date_of_birth is not None:
            candidates.append(_eighteenth_birthday(self.date_of_birth))
        return min(candidates) if candidates else None

    def is_eligible_student(self, on: date) -> bool:
        """True when the student holds FERPA rights personally on the given day."""
        transfer = self.rights_transfer_date()
        return transfer is not None and transfer <= on

    def is_minor(self, on: date) -> bool:
        """Under 18 on the given day (unknown birth dates count as minors: the safer reading)."""
        if self.date_of_birth is None:
            return True
        return _eighteenth_birthday(self.date_of_birth) > on



@lru_cache(maxsize=65536)
def _eighteenth_birthday(born: date) -> date:
    # Every decision asks this, often several times; it depends on the birth date alone.
    return birthday_on_or_after(born, AGE_OF_ELIGIBILITY)
