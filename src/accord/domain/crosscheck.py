"""Eligibility cross-checks (purpose 2): which rosters are matched under an agreement, what each
party may receive, how often it runs, and how sure a match must be before a child is certified.

The best-known cross-check is direct certification for free school meals: the district's
enrollment is matched against the SNAP, TANF, FDPIR or Medicaid lists the state uses, so that
eligible children are certified without an application (42 USC 1758(b)(4); 7 CFR 245.6a). A
cross-check is one per agreement: the agreement says what data and for what use; the cross-check
says which of its parties' rosters are matched and who receives which flag.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from accord.domain.agencies import Program
from accord.domain.elements import CATALOG
from accord.errors import AccordError

# The lists a school's meals may be certified from (7 CFR 245.6a(b)); Medicaid where the state
# takes part in USDA's demonstration. Which of them a state uses is its records officer's setting.
PROGRAM_LISTS = (Program.SNAP, Program.TANF, Program.FDPIR, Program.MEDICAID)

# Certification rests on a match the machine is sure of (a wrongly certified child is a real cost:
# issue 17 asks for precision of 99.9%); below it, down to the review floor, a person decides. An
# uncertain match into a program household with a certified child is taken from HOUSEHOLD_FROM
# (more likely than not, and the household agrees). Measured (ADR 0023) on synthetic state rosters
# of 500,000 against 200,000: from 0.8, precision 0.9996, recall 0.9825; from 0.9, recall 0.9690;
# household extension from the review floor (0.2) made 105 of the 173,000 certifications wrong.
CERTIFY_FROM = 0.8
HOUSEHOLD_FROM = 0.5
REVIEW_FROM = 0.2

# What a match itself establishes, and so all a run can release: for the school, that the child is
# certified (and on which program's list); for a program, that its listed child is enrolled. A
# value the school stores (meal status for Medicaid outreach) is a case release, not a match.
PARTICIPATION = {Program.SNAP: "snap_participation", Program.TANF: "tanf_participation",
                 Program.MEDICAID: "medicaid_enrollment"}
SCHOOL_FLAGS = frozenset({"direct_certification", *PARTICIPATION.values()})
PROGRAM_FLAGS = frozenset({"enrolled_in_district"})


class CrossCheckError(AccordError, ValueError):
    """A cross-check that cannot be defined, submitted to or run; the message says why."""


class Band(StrEnum):
    """How sure the match between an enrolled child and a program's record is."""

    CERTAIN = "certain"  # certified without a person's look
    REVIEW = "review"  # between the floor and certainty: the records officer decides


class Basis(StrEnum):
    """Why a child was certified in a run."""

    MATCHED = "matched"  # a certain match with a record on the program's list
    REVIEWED = "reviewed"  # an uncertain match the records officer accepted (kept across runs)
    HOUSEHOLD = "household"  # extended eligibility: another child of the program's household matched


class ReviewStatus(StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    REJECTED = "rejected"


@dataclass(frozen=True, slots=True)
class CrossCheck:
    """A cross-check under `agreement_id`: the school's enrollment against the program agencies'
    lists. `school_receives` are the flags the school's meal office gets per certified child;
    `program_receives` what each program agency gets per matched record of its list (outreach),
    often nothing. Each flag goes to a named user, whom the policy checks (role, training)."""

    agreement_id: str
    school_agency_id: str
    school_recipient: str
    program_agency_ids: frozenset[str]
    school_receives: frozenset[str] = frozenset({"direct_certification"})
    program_receives: frozenset[str] = frozenset()
    program_recipients: dict[str, str] = field(default_factory=dict)
    every_days: int = 30
    certify_from: float = CERTIFY_FROM
    review_from: float = REVIEW_FROM
    household_from: float = HOUSEHOLD_FROM

    def __post_init__(self) -> None:
        problems = _problems(self)
        if problems:
            raise CrossCheckError(f"cross-check for agreement {self.agreement_id}: {'; '.join(problems)}"
                                  ).coded("crosscheck_not_well_defined", agreement=self.agreement_id)

    def school_flags(self, program: Program) -> frozenset[str]:
        """What the school is asked to receive for a child found on `program`'s list: the
        certification, and participation in that program only."""
        return frozenset(f for f in self.school_receives
                         if f == "direct_certification" or f == PARTICIPATION.get(program))

    @property
    def parties(self) -> frozenset[str]:
        return self.program_agency_ids | {self.school_agency_id}

    def band(self, probability: float) -> Band | None:
        """The band a match of this probability falls in; None below the review floor."""
        if probability >= self.certify_from:
            return Band.CERTAIN
        return Band.REVIEW if probability >= self.review_from else None


def _problems(c: CrossCheck) -> list[str]:
    problems = []
    if not c.program_agency_ids:
        problems.append("name at least one program agency whose list is matched")
    if c.school_agency_id in c.program_agency_ids:
        problems.append("the school cannot also be one of the program agencies")
    for what, fields, allowed in (("school_receives", c.school_receives, SCHOOL_FLAGS),
                                  ("program_receives", c.program_receives, PROGRAM_FLAGS)):
        unknown = sorted(f for f in fields if f not in CATALOG)
        if unknown:
            problems.append(f"{what} names unknown data elements: {', '.join(unknown)}")
        not_flags = sorted(f for f in fields if f in CATALOG and f not in allowed)
        if not_flags:
            problems.append(f"{what} may hold only what a match establishes ({', '.join(sorted(allowed))}), "
                            f"not: {', '.join(not_flags)}")
    if not c.school_receives:
        problems.append("school_receives names no flag: the school would learn nothing")
    if c.program_receives:
        missing = sorted(c.program_agency_ids - c.program_recipients.keys())
        if missing:
            problems.append(f"program_recipients names no user for: {', '.join(missing)}")
    stray = sorted(c.program_recipients.keys() - c.program_agency_ids)
    if stray:
        problems.append("program_recipients names agencies that are not in the cross-check: "
                        + ", ".join(stray))
    if not 0.0 < c.review_from <= c.household_from <= c.certify_from < 1.0 or c.review_from == c.certify_from:
        problems.append("review_from, household_from and certify_from must be probabilities in that order "
                        "(review_from < certify_from)")
    if c.every_days < 1:
        problems.append("every_days must be at least 1")
    return problems


def program_of(text: str) -> Program | None:
    """A program list's category as the program's roster writes it ("snap", "SNAP"); None when it
    is not one a school's meals are certified from."""
    value = text.strip().lower()
    return next((p for p in PROGRAM_LISTS if p.value == value), None)


def first_program(programs: set[Program]) -> Program:
    """The one category the school is told when several lists hold the child: SNAP first, as the
    statute names it first (and it carries the household's extended eligibility)."""
    return next(p for p in PROGRAM_LISTS if p in programs)
