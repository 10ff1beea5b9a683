"""build_county: a deterministic synthetic county, as domain objects only (no I/O).

Everyone in it is made up. Students carry internal ids only; staff carry job titles.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date

from accord.domain.agencies import Agency, User
from accord.domain.agreements import Agreement
from accord.domain.consents import Consent
from accord.domain.students import Student, turning_18_bounds
from accord.domain.training import Completion, Course
from accord.policy.request import StateLaw
from accord.synth.agencies import AGENCIES, COURSES, build_completions, build_users
from accord.synth.agreements import build_agreements
from accord.synth.consents import random_consents
from accord.synth.featured_consents import featured_consents
from accord.synth.students import Featured, build_students


@dataclass(frozen=True, slots=True)
class County:
    as_of: date
    seed: int
    agencies: tuple[Agency, ...]
    users: tuple[User, ...]
    students: tuple[Student, ...]
    courses: tuple[Course, ...]
    completions: tuple[Completion, ...]
    agreements: tuple[Agreement, ...]
    consents: tuple[Consent, ...]
    state_law: StateLaw
    featured: Featured  # the students whose situations the demo relies on
    # What the school's node knows and the hub never holds (ADR 0016): the demo's identities use it.
    birth_dates: dict[str, date]


def build_county(seed: int, students: int = 3000, *, as_of: date,
                 research_projects: int = 3) -> County:
    """The same seed, size and date always give the same county.

    One `random.Random(seed)` drives everything, in a fixed order, so adding students never
    reshuffles the agencies or agreements.
    """
    if students < 10:
        raise ValueError("a county needs at least the ten featured students")
    rng = random.Random(seed)
    users = build_users()
    completions = build_completions(rng, users, as_of)
    featured, pupils, birth_dates = build_students(rng, students, as_of)
    featured_ids = set(featured.ids())
    consents = featured_consents(featured, as_of)
    for s in pupils:
        if s.id not in featured_ids:
            consents.extend(random_consents(rng, s, as_of, birth_dates[s.id]))
    return County(
        as_of=as_of, seed=seed, agencies=AGENCIES, users=users, students=pupils,
        courses=COURSES, completions=completions,
        agreements=build_agreements(AGENCIES, as_of, research_projects),
        consents=tuple(consents),
        # This state has not elected the Medicaid/CHIP meal-status disclosure; the demo shows
        # what changes when it does. Minors may consent to their own SUD treatment.
        state_law=StateLaw(minor_may_consent_to_sud_treatment=True,
                           medicaid_meal_status_election=False),
        featured=featured, birth_dates=birth_dates,
    )


def _as_sent(student: Student, born: date | None, as_of: date | None) -> Student:
    if as_of is None or born is None:
        return student
    earliest, latest = turning_18_bounds(born, as_of)
    return replace(student, turns_18_in=earliest, turns_18_by=None if latest == earliest else latest)


def renamed(county: County, rename: Callable[[str], str], as_of: date | None = None) -> County:
    """The county with every student id replaced by `rename`'s (the school's pseudonyms, as the
    hub is to hold them: ADR 0022). A consent numbered after its student (`ferpa-000011`, this
    module's own numbering) is numbered after the new id, and so is the reference to its signed
    form. With `as_of`, each student's month of turning 18 is what the school's node sends on that
    day: the month only when near, else its bounds (ADR 0030)."""
    def consent(c: Consent) -> Consent:
        kind, _, number = c.id.partition("-")
        own = number == c.student_id.removeprefix("stu-")
        new_id = rename(c.student_id)
        if not own:
            return replace(c, student_id=new_id)
        number = f"{kind}-{new_id}"  # and the evidence's reference, which quotes the number
        return replace(c, id=number, student_id=new_id, evidence_ref=c.evidence_ref.replace(c.id, number))

    return replace(
        county,
        students=tuple(_as_sent(replace(s, id=rename(s.id)), county.birth_dates.get(s.id), as_of)
                       for s in county.students),
        consents=tuple(consent(c) for c in county.consents),
        featured=Featured(*(rename(i) for i in county.featured.ids())),
        birth_dates={rename(k): v for k, v in county.birth_dates.items()})
