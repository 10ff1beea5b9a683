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

    @property
    def on(self) -> date:
        return self.request.at.date()

    def holds(self, code: str, text: str, citation: str, fields: frozenset[str] = NO_FIELDS) -> None:
        self.reasons.append(Reason(code, text, citation, True, fields))

    def fails(self, code: str, text: str, citation: str, fields: frozenset[str] = NO_FIELDS) -> None:
        self.reasons.append(Reason(code, text, citation, False, fields))

    # The gates run first and stop the decision when these are missing, so regimes may
    # rely on them being present.
    @property
    def requester(self) -> User:
        assert self.facts.requester is not None
        return self.facts.requester

    @property
    def recipient(self) -> Agency:
        assert self.facts.requester_agency is not None
        return self.facts.requester_agency

    @property
    def source(self) -> Agency:
        assert self.facts.source_agency is not None
        return self.facts.source_agency

    @property
    def student(self) -> Student:
        assert self.facts.student is not None
        return self.facts.student


def field_list(fields: frozenset[str] | set[str]) -> str:
    return ", ".join(sorted(fields))
