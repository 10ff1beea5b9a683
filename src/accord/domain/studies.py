"""Research and evaluation studies (purpose 3): what a study may use, who may ask it questions,
for how long, and what it may have become (registered, approved, built, destroyed).

A study lives under a data-use licence or data-sharing agreement whose legal basis is the
studies exception (34 CFR 99.31(a)(6)) or audit/evaluation (99.31(a)(3), 99.35). Its analysts
ask only declarative aggregate questions of a pseudonymous table the hub builds for it; nothing
they see is a record. Every agency whose data the study uses approves each version of its scope
through its data steward before anything is built (issue 18).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from accord.errors import AccordError

# What the hub can turn a school's content into, per catalog element: each gives the study
# table dimensions (what rows are grouped by) and measures (what is counted, summed, averaged).
SCHOOL_DIMENSIONS: dict[str, tuple[str, ...]] = {
    "grade_level": ("grade",),
    "enrollment_history": ("school", "entry_year"),
    "english_learner": ("english_learner",),
    "homeless_status": ("homeless",),
    "iep_504_status": ("iep_504",),
}
SCHOOL_MEASURES: dict[str, tuple[str, ...]] = {
    "attendance": ("attendance_rate", "days_recorded"),
}
# Each measure's public bounds: differential privacy clamps every value to them (what one child can
# add to a sum), and a mean is shown within them.
MEASURE_BOUNDS: dict[str, tuple[float, float]] = {
    "attendance_rate": (0.0, 1.0),
    "days_recorded": (0.0, 366.0),
}
STUDY_PREFIX = "study-"
# What a study table holds for a child, where the school has no fact of a dimension for them.
ABSENT = "not_recorded"
# Every dimension's values are known before any child is read, so that which rows a table lists says
# nothing about who is in the study: a flag is yes, no or not recorded; a child on a partner's list
# shows the program the list names (one of the programs the partner runs, among those a list may name),
# or "yes" where the partner runs none, and "no" when not on it; a grade is one of the K-12 scale's
# (the grade levels a district's files write); a school one of those the education agency registered
# (the public school directory); an entry year one of the years a child enrolled during the study can
# have entered school. Not "not recorded": a row nobody is in, beside rows that all pass, is pinned at
# zero by the margins, and the table would be withheld whole (a build whose child lacks one is refused;
# the study declares the dimension's categories with `not_recorded` among them). A study may declare any
# dimension's values instead (its `categories`).
FLAG_DIMENSIONS = ("english_learner", "homeless", "iep_504")
FLAG_VALUES = ("no", ABSENT, "yes")
GRADE_SCALE = ("K", *(str(g) for g in range(1, 13)))
# How many years before the study starts a child enrolled in it may have entered school: kindergarten
# to grade 12 is thirteen school years; pre-kindergarten and a repeated year or two make fifteen.
ENTRY_YEARS_BEFORE = 15
NOT_LISTED, LISTED = "no", "yes"


class StudyError(AccordError, ValueError):
    """A study that cannot be registered, approved, built, asked or destroyed; says why."""


class StudyStatus(StrEnum):
    REGISTERED = "registered"  # waiting for every contributing agency's approval
    APPROVED = "approved"  # every contributing agency approved this version of the scope
    BUILT = "built"  # its pseudonymous table exists; analysts may ask questions
    DESTROYED = "destroyed"  # its data is gone; the destruction is in the ledger


@dataclass(frozen=True, slots=True)
class Study:
    """A registered study. `elements` are the school's catalog elements it uses; `partners` the
    agencies whose lists it links (a child's membership becomes a dimension); `rules` the
    disclosure-control settings (accord.disclosure.rules.Rules.from_dict)."""

    id: str
    agreement_id: str
    title: str
    purpose: str
    scope: str
    school_agency_id: str
    elements: frozenset[str]
    analysts: frozenset[str]
    starts_on: date
    ends_on: date
    destroy_by: date
    partners: frozenset[str] = frozenset()
    rules: dict[str, object] = field(default_factory=dict)
    version: int = 1
    status: StudyStatus = StudyStatus.REGISTERED

    def __post_init__(self) -> None:
        problems = _problems(self)
        if problems:
            raise StudyError(f"study {self.id}: {'; '.join(problems)}").coded("study_not_well_defined",
                                                                             study=self.id)

    @property
    def contributors(self) -> frozenset[str]:
        """Every agency whose data the study uses, each of which must approve it."""
        return self.partners | {self.school_agency_id}

    @property
    def dimensions(self) -> tuple[str, ...]:
        own = [d for e in sorted(self.elements) for d in SCHOOL_DIMENSIONS.get(e, ())]
        return (*own, *sorted(self.partners))

    @property
    def measures(self) -> tuple[str, ...]:
        return tuple(m for e in sorted(self.elements) for m in SCHOOL_MEASURES.get(e, ()))

    def in_force(self, on: date) -> bool:
        return self.starts_on <= on <= self.ends_on


def public_values(study: Study, list_programs: Mapping[str, Iterable[str]],
                  schools: Iterable[str]) -> dict[str, tuple[str, ...]]:
    """Each of the study's dimensions' values, known before any child is read: its flags, each
    partner's membership given the programs the partner runs that a list may name (`list_programs`,
    by partner), the grade scale, the education agency's registered `schools`, and the entry years its
    dates allow."""
    out: dict[str, tuple[str, ...]] = {d: FLAG_VALUES for d in study.dimensions if d in FLAG_DIMENSIONS}
    for partner in sorted(study.partners):
        programs = sorted(set(list_programs.get(partner, ())))
        out[partner] = (NOT_LISTED, *programs) if programs else (NOT_LISTED, LISTED)
    years = range(study.starts_on.year - ENTRY_YEARS_BEFORE, study.ends_on.year + 1)
    school = {"grade": GRADE_SCALE, "school": tuple(sorted(schools)), "entry_year": tuple(map(str, years))}
    return out | {d: values for d, values in school.items() if d in study.dimensions}


def _problems(s: Study) -> list[str]:
    problems = []
    if not s.id.startswith(STUDY_PREFIX) or len(s.id) > 64:
        problems.append(f"its id must start with {STUDY_PREFIX!r} (at most 64 characters)")
    unusable = sorted(s.elements - SCHOOL_DIMENSIONS.keys() - SCHOOL_MEASURES.keys())
    if unusable:
        usable = ", ".join(sorted({*SCHOOL_DIMENSIONS, *SCHOOL_MEASURES}))
        problems.append(f"no study table is built from: {', '.join(unusable)} (usable: {usable})")
    if not s.elements:
        problems.append("name the data elements it uses")
    if not s.analysts:
        problems.append("name its analysts")
    if not s.starts_on <= s.ends_on <= s.destroy_by:
        problems.append("its dates must run start <= end <= destruction")
    for text, what in ((s.purpose, "purpose"), (s.scope, "scope"), (s.title, "title")):
        if not text.strip():
            problems.append(f"state its {what}")
    if s.school_agency_id in s.partners:
        problems.append("the school is not one of its partners")
    return problems
