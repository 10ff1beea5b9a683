"""What is asked, and the facts the decision rests on."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from accord.domain.agencies import Agency, Program, User
from accord.domain.agreements import Agreement
from accord.domain.consents import Consent
from accord.domain.purposes import OutputForm, Purpose, StudyPurpose
from accord.domain.students import Student
from accord.domain.training import Completion


@dataclass(frozen=True, slots=True)
class DisclosureRequest:
    requester_id: str
    student_id: str
    source_agency_id: str  # the agency holding the record
    purpose: Purpose
    fields: frozenset[str]
    at: datetime
    output: OutputForm = OutputForm.CASE_RECORD
    stated_interest: str = ""
    threat: str | None = None  # 34 CFR 99.36: the articulable and significant threat
    pre_adjudication: bool = False  # 34 CFR 99.38(a): serving the student before adjudication
    study_purpose: StudyPurpose | None = None
    # The program the requester acts for, where the agency runs several: the school-lunch
    # statute keys on the program, and without it the strictest of the agency's programs applies.
    acting_program: Program | None = None


@dataclass(frozen=True, slots=True)
class StateLaw:
    """State choices the federal rules defer to."""

    minor_may_consent_to_sud_treatment: bool = True  # most states allow it from 12-16
    medicaid_meal_status_election: bool = False  # 42 USC 1758(b)(6), Medicaid/CHIP
    required_course_ids: frozenset[str] = frozenset({"ferpa-basics"})


@dataclass(frozen=True, slots=True)
class Facts:
    """Everything decide() may look at; anything absent counts against the request."""

    requester: User | None
    requester_agency: Agency | None
    source_agency: Agency | None
    student: Student | None
    agreements: tuple[Agreement, ...] = ()  # candidates and their parent agreements
    consents: tuple[Consent, ...] = ()  # the student's consents
    completions: tuple[Completion, ...] = ()  # the requester's training
    state: StateLaw = field(default_factory=StateLaw)
