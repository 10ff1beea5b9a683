"""Agencies, the programs they run, and the people who act for them."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class AgencyKind(StrEnum):
    EDUCATION = "education"
    HEALTH = "health"
    SOCIAL_SERVICES = "social_services"
    LABOR = "labor"
    JUVENILE_JUSTICE = "juvenile_justice"
    NUTRITION_PROGRAM = "nutrition_program"
    # A university or research organisation conducting studies for an education agency
    # (34 CFR 99.31(a)(6)); it holds no student records of its own in Accord.
    RESEARCH = "research"


class Program(StrEnum):
    """Programs an agency administers; several statutes key on the program, not the agency."""

    SCHOOL_MEALS = "school_meals"  # NSLP / SBP, run under the National School Lunch Act
    WIC = "wic"  # Child Nutrition Act program
    SNAP = "snap"
    FDPIR = "fdpir"
    TANF = "tanf"
    MEDICAID = "medicaid"
    CHIP = "chip"
    STATE_HEALTH = "state_health"  # a state health program other than Medicaid/CHIP
    FEDERAL_EDUCATION = "federal_education"  # e.g. Title I, NAEP
    CHILD_WELFARE = "child_welfare"  # responsible for children in foster care
    SUD_TREATMENT = "sud_treatment"  # federally assisted substance-use program (42 CFR Part 2)
    WORKFORCE = "workforce"
    JUVENILE_COURT = "juvenile_court"


CHILD_NUTRITION_PROGRAMS = frozenset({Program.SCHOOL_MEALS, Program.WIC})
MEANS_TESTED_NUTRITION_PROGRAMS = frozenset({Program.SNAP, Program.FDPIR})


class Role(StrEnum):
    RECORDS_OFFICER = "records_officer"
    CASEWORKER = "caseworker"
    ELIGIBILITY_WORKER = "eligibility_worker"
    ANALYST = "analyst"
    PARENT = "parent"
    ELIGIBLE_STUDENT = "eligible_student"
    ADMINISTRATOR = "administrator"


@dataclass(frozen=True, slots=True)
class Agency:
    id: str
    name: str
    kind: AgencyKind
    programs: frozenset[Program] = field(default_factory=frozenset)
    # An education agency's schools as the public school directory lists them (their NCES or state
    # ids): what a study's school dimension lists, whichever of them its children attend.
    schools: frozenset[str] = field(default_factory=frozenset)

    def runs(self, *programs: Program) -> bool:
        """True when the agency administers any of the given programs."""
        return not self.programs.isdisjoint(programs)


@dataclass(frozen=True, slots=True)
class User:
    """A person who acts in Accord for an agency. `id` is the login name shown in logs."""

    id: str
    agency_id: str
    role: Role
    display_name: str = ""
