"""What the demo hands back: a plain summary of the county and one row per decision.

No names, birth dates or addresses of anyone appear here; students are internal ids.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime, time

from accord.domain.consents import Consent
from accord.policy.decision import Decision
from accord.synth import County
from accord.workflows.demo_case import CaseResult
from accord.workflows.demo_crosscheck import CrossCheckShown
from accord.workflows.demo_script import Scenario
from accord.workflows.demo_study import StudyShown


@dataclass(frozen=True, slots=True)
class CountySummary:
    agencies: tuple[tuple[str, str, str, str], ...]  # id, name, kind, programs
    users_by_role: tuple[tuple[str, int], ...]
    students: int
    minors: int
    eligible_students: int
    foster_care: int
    directory_opt_outs: int
    agreements: tuple[tuple[str, str, int], ...]  # layer, status on the day, count
    consents: tuple[tuple[str, str, int], ...]  # form, status on the day, count
    consent_languages: tuple[tuple[str, int], ...]


@dataclass(frozen=True, slots=True)
class DemoResult:
    key: str
    situation: str
    requester_id: str
    requester_role: str
    requester_agency: str
    holder_agency: str
    student_id: str  # internal id, never an identifier of the person
    purpose: str
    output: str
    asked: tuple[str, ...]
    effect: str
    released: tuple[str, ...]
    bases: tuple[tuple[str, str], ...]  # (basis, citation) of the released fields
    failed: tuple[tuple[str, str], ...]  # (plain reason, citation)
    agreement_id: str | None

    @property
    def permitted(self) -> bool:
        return self.effect == "permit"

    @property
    def citations(self) -> tuple[str, ...]:
        return tuple(c for _, c in self.failed) + tuple(c for _, c in self.bases)


@dataclass(frozen=True, slots=True)
class LedgerSummary:
    entries: int
    root: str
    key_id: str
    signed_at: str
    verified: bool
    witness_copies: int
    first_problem: str | None


@dataclass(frozen=True, slots=True)
class DemoReport:
    as_of: str
    seed: int
    county: CountySummary
    results: tuple[DemoResult, ...]
    persisted_to: str | None  # where the county was stored, if it was
    ledger: LedgerSummary | None = None  # the signed, verified ledger, when there is one
    cases: tuple[CaseResult, ...] = ()  # the case-level releases, when they were run
    crosscheck: CrossCheckShown | None = None  # the eligibility cross-check, when it was run
    study: StudyShown | None = None  # the research study's question, when it was asked

    def result(self, key: str) -> DemoResult:
        return next(r for r in self.results if r.key == key)

    @property
    def permitted(self) -> int:
        return sum(r.permitted for r in self.results)

    @property
    def denied(self) -> int:
        return len(self.results) - self.permitted


def _consent_status(c: Consent, at: datetime) -> str:
    if c.revoked_at is not None and c.revoked_at <= at:
        return "revoked"
    if c.ends_on is not None and at.date() > c.ends_on:
        return "expired"
    return "in force" if c.in_force(at) else "not yet in force"


def _sorted_counts(counter: Counter[tuple[str, str]]) -> tuple[tuple[str, str, int], ...]:
    return tuple((a, b, n) for (a, b), n in sorted(counter.items()))


def summarize(county: County) -> CountySummary:
    """Counts a records officer would want to see before reading the decisions."""
    on = county.as_of
    at = datetime.combine(on, time(10, 0))
    return CountySummary(
        agencies=tuple((a.id, a.name, a.kind.value.replace("_", " "),
                        ", ".join(sorted(p.value.replace("_", " ") for p in a.programs)))
                       for a in county.agencies),
        users_by_role=tuple(sorted(Counter(u.role.value for u in county.users).items())),
        students=len(county.students),
        minors=sum(s.is_minor(on) for s in county.students),
        eligible_students=sum(s.is_eligible_student(on) for s in county.students),
        foster_care=sum(s.foster_care_agency_id is not None for s in county.students),
        directory_opt_outs=sum(s.directory_opt_out for s in county.students),
        agreements=_sorted_counts(Counter((a.layer.value, a.status_on(on).value)
                                          for a in county.agreements)),
        consents=_sorted_counts(Counter((f.value, _consent_status(c, at))
                                        for c in county.consents for f in c.forms)),
        consent_languages=tuple(sorted(Counter(c.language for c in county.consents).items())),
    )


def result_of(s: Scenario, d: Decision, county: County) -> DemoResult:
    """Flatten one scripted decision into plain strings."""
    r = s.request
    user = next(u for u in county.users if u.id == r.requester_id)
    return DemoResult(
        key=s.key, situation=s.situation, requester_id=user.id, requester_role=user.role.value,
        requester_agency=user.agency_id, holder_agency=r.source_agency_id,
        student_id=r.student_id, purpose=r.purpose.value, output=r.output.value,
        asked=tuple(sorted(r.fields)), effect=d.effect.value, released=tuple(sorted(d.released)),
        bases=tuple((b.value, b.citation) for b in d.legal_bases),
        failed=tuple((f.text, f.citation) for f in d.failures),
        agreement_id=d.agreement_id,
    )
