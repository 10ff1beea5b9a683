"""The outcome of a policy decision: effect, basis, fields, reasons and obligations."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import NamedTuple

from accord.domain.purposes import LegalBasis


class Effect(StrEnum):
    PERMIT = "permit"
    DENY = "deny"


class Reason(NamedTuple):
    """One condition checked. `holds` False marks a condition that failed.

    A named tuple, not a dataclass: a decision creates several, and this is the hot path."""

    code: str
    text: str
    citation: str
    holds: bool
    fields: frozenset[str] = frozenset()


class ObligationKind(StrEnum):
    LEDGER_ENTRY = "ledger_entry"
    REDISCLOSURE_NOTICE = "redisclosure_notice"
    DESTROY_BY = "destroy_by"
    RECORD_THREAT = "record_threat"
    NOTIFY_RECORDS_OFFICER = "notify_records_officer"
    DISCLOSURE_CONTROL = "disclosure_control"
    PART2_NOTICE = "part2_notice"


@dataclass(frozen=True, slots=True)
class Obligation:
    kind: ObligationKind
    text: str
    citation: str
    due: date | None = None


@dataclass(frozen=True, slots=True)
class Decision:
    effect: Effect
    released: frozenset[str]
    bases: tuple[tuple[str, LegalBasis], ...]  # (field, basis) for each released field
    reasons: tuple[Reason, ...]
    obligations: tuple[Obligation, ...]
    agreement_id: str | None = None
    agreement_version: int | None = None
    consent_ids: tuple[str, ...] = ()

    @property
    def permitted(self) -> bool:
        return self.effect is Effect.PERMIT

    @property
    def failures(self) -> tuple[Reason, ...]:
        return tuple(r for r in self.reasons if not r.holds)

    @property
    def legal_bases(self) -> tuple[LegalBasis, ...]:
        """The distinct bases relied on, in a stable order."""
        return tuple(sorted({b for _, b in self.bases}))

    @property
    def withheld(self) -> frozenset[str]:
        return frozenset().union(*(r.fields for r in self.failures)) - self.released
