"""The working state of one decision: the request, its facts, and every reason checked."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from accord.domain.agencies import Agency, User
from accord.domain.agreements import Agreement
from accord.domain.students import Student
from accord.policy.decision import Reason
from accord.policy.request import DisclosureRequest, Facts

NO_FIELDS: frozenset[str] = frozenset()


@dataclass(slots=True)
class Assessment:
    request: DisclosureRequest
    facts: Facts
    reasons: list[Reason] = field(default_factory=list)
    agreement: Agreement | None = None
    agreement_fields: frozenset[str] = NO_FIELDS
    on: date = field(init=False)  # the day of the request, used by most checks

    def __post_init__(self) -> None:
        self.on = self.request.at.date()

    def holds(self, code: str, text: str, citation: str, fields: frozenset[str] = NO_FIELDS) -> None:
        self.reasons.append(Reason(code, text, citation, True, fields))

    def fails(self, code: str, text: str, citation: str, fields: frozenset[str] = NO_FIELDS) -> None:
        self.reasons.append(Reason(code, text, citation, False, fields))

    def all_hold(self, code: str, checks: list[tuple[bool, str]], citation: str,
                 fields: frozenset[str]) -> bool:
        """Record every condition of `checks` that fails; True when none does."""
        failed = [text for ok, text in checks if not ok]
        for text in failed:
            self.fails(code, text, citation, fields)
        return not failed

    # Set by bind() once the gates have found every party; the regimes rely on them.
    requester: User = field(init=False)
    recipient: Agency = field(init=False)
    source: Agency = field(init=False)
    student: Student = field(init=False)

    def bind(self) -> bool:
        """Attach the parties; False when any of them is missing from the facts."""
        f = self.facts
        if f.requester is None or f.requester_agency is None or f.source_agency is None \
                or f.student is None:
            return False
        self.requester, self.recipient = f.requester, f.requester_agency
        self.source, self.student = f.source_agency, f.student
        return True


def field_list(fields: frozenset[str] | set[str]) -> str:
    return ", ".join(sorted(fields))
