"""What is asked, and the facts the decision rests on."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

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
    # The program whose records the source agency discloses (SNAP for a direct-certification
    # flag): direct certification keys on the program, and an agency may run several.
    source_program: Program | None = None


# The programs whose lists a state may certify school meals from: SNAP always (42 USC
# 1758(b)(4)), the others only where the state chose them (Medicaid: the demonstration
# project of 1758(b)(15)).
MANDATORY_DIRECT_CERTIFICATION = frozenset({Program.SNAP})
DIRECT_CERTIFICATION_SOURCES = frozenset({Program.SNAP, Program.TANF, Program.FDPIR,
                                          Program.MEDICAID})


@dataclass(frozen=True, slots=True)
class StateLaw:
    """State choices the federal rules defer to, as the records officer recorded them."""

    minor_may_consent_to_sud_treatment: bool = True  # most states allow it from 12-16
    medicaid_meal_status_election: bool = False  # 42 USC 1758(b)(6)(D), Medicaid/CHIP
    required_course_ids: frozenset[str] = frozenset({"ferpa-basics"})
    # The day households were told their meal status may go to Medicaid/CHIP: the election
    # holds for a household only once it could have opted out.
    medicaid_meal_notice_on: date | None = None
    # Whose lists the state certifies from; never recorded, SNAP alone, the mandatory one.
    direct_certification_programs: frozenset[Program] = MANDATORY_DIRECT_CERTIFICATION
    recorded_in: int | None = None  # the ledger entry that recorded these; None: never recorded

    def provenance(self, is_default: bool, default: str) -> str:
        """Where a setting comes from, for a reason to cite: the ledger entry that recorded it,
        or, never recorded, the default (`default` names it) or a value set outside the ledger."""
        if self.recorded_in is not None:
            return f"state-law setting, ledger entry #{self.recorded_in}"
        return f"default: {default}, never recorded" if is_default else \
            "state-law setting not recorded in the ledger"


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
