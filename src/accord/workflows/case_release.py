"""Purpose 1, the case-level release: one child's permitted facts to a counselor or caseworker.

The requester describes the child the way their agency knows them, encoded at their agency under
the key of the two agencies' agreement (`query`, one encoded record). The hub finds the child in
the roster the source agency submitted for that agreement, with the lookup model trained for the
requester's agency, and never guesses: no match, two candidates, or one unsure candidate is a
refusal, logged. A named child's request goes
to the policy; the decision, the release and (in an emergency) the records officer's notice are
written in the caller's transaction, so none exists without the others.
"""

from __future__ import annotations

from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from sqlalchemy.orm import Session

from accord.domain.agencies import Program, User
from accord.domain.content import ContentItem
from accord.domain.purposes import Purpose
from accord.errors import AccordError
from accord.ledger.intake_events import UNMATCHED_REASONS, unmatched_draft
from accord.linkage.hub.encoded import OtherKeyError, read_layout
from accord.linkage.hub.lookup import Resolution, find_candidates, resolve
from accord.policy import Decision, DisclosureRequest
from accord.policy.decision import ObligationKind
from accord.policy.obligations import REDISCLOSURE_NOTICE
from accord.store.crypto import ContentCipher
from accord.store.repositories.agencies import get_user
from accord.store.repositories.agreements import parties_of
from accord.store.repositories.content import notify_officer, student_for_record
from accord.store.repositories.sealed_content import content_for
from accord.workflows.disclosure import decide_and_record
from accord.workflows.hub_files import HubFiles
from accord.workflows.hub_recovery import SessionOpener
from accord.workflows.ledger import record


class CaseRequestError(AccordError, ValueError):
    """The request cannot be handled at all (unknown requester, no roster or model, bad query)."""


@dataclass(frozen=True, slots=True)
class CaseRequest:
    """What a counselor or caseworker asks for, about a child described by `query`."""

    requester_id: str
    source_agency_id: str
    purpose: Purpose
    fields: frozenset[str]
    at: datetime
    query: Path
    stated_interest: str = ""
    threat: str | None = None
    pre_adjudication: bool = False
    acting_program: Program | None = None


@dataclass(frozen=True, slots=True)
class CaseOutcome:
    """What happened: how the child was identified, the decision, the ledger entry, the release."""

    identification: Resolution
    entry_seq: int
    decision: Decision | None = None
    released: list[ContentItem] = field(default_factory=list)
    notice: str | None = None
    refusal: str | None = None
    officer_notified: bool = False

    @property
    def permitted(self) -> bool:
        return self.decision is not None and self.decision.permitted


@dataclass(frozen=True, slots=True)
class _Identified:
    resolution: Resolution
    record_id: str | None
    candidates: int
    outcome: str  # what the ledger says of an unidentified child (UNMATCHED_REASONS)


def _identify(session: Session, hub: HubFiles, request: CaseRequest, requester_agency_id: str) -> _Identified:
    """Find the child in the roster the source agency submitted for the agreement the requester
    encoded the description under: the two agencies' agreement, and no other."""
    agreement_id = read_layout(request.query).agreement
    if not agreement_id:
        raise CaseRequestError(f"{request.query.name}: encoded for no agreement; encode the child for the "
                               "agreement between the two agencies (`accord node encode --agreement ID`)"
                               ).coded("encoded_for_no_agreement")
    parties = parties_of(session, agreement_id)
    if parties is None or not {requester_agency_id, request.source_agency_id} <= parties:
        raise CaseRequestError(f"{request.query.name}: encoded for agreement {agreement_id}, which does "
                               f"not bind agencies {requester_agency_id} and {request.source_agency_id}"
                               ).coded("agreement_does_not_bind", agreement=agreement_id,
                                       requester_agency=requester_agency_id, source=request.source_agency_id)
    roster = hub.roster_path(agreement_id, request.source_agency_id)
    model = hub.lookup_model_path(agreement_id, request.source_agency_id, requester_agency_id)
    if not roster.exists():
        raise CaseRequestError(f"agency {request.source_agency_id} has no roster at the hub for agreement "
                               f"{agreement_id} yet").coded("no_roster", agency=request.source_agency_id,
                                                            agreement=agreement_id)
    if not model.exists():
        raise CaseRequestError(f"no lookup model for requests from agency {requester_agency_id} under "
                               f"agreement {agreement_id}: load that agency's roster for it first"
                               ).coded("no_lookup_model", agency=requester_agency_id, agreement=agreement_id)
    try:
        found = find_candidates(roster, model, request.query)
    except OtherKeyError:
        # The requester's node used another key than the school's: a request all the same, which
        # cannot name a child, so it is refused and logged like one that matches nobody.
        return _Identified(Resolution.NOT_FOUND, None, 0, "other_key")
    if len(found) > 1:
        raise CaseRequestError("the child's description must be one encoded record"
                               ).coded("one_child_per_file")
    candidates = next(iter(found.values()), [])
    resolution, match = resolve(candidates)
    outcome = "not_found" if resolution is Resolution.FOUND else resolution.value
    return _Identified(resolution, match.record_id if match else None, len(candidates), outcome)


def request_case(session: Session, hub: HubFiles, request: CaseRequest, cipher: ContentCipher) -> CaseOutcome:
    """Identify the child, decide, record, and release the permitted facts (one transaction)."""
    requester, found = identify_case(session, hub, request)
    return record_case(session, request, requester, found, cipher)


def request_case_in_steps(open_reader: SessionOpener, open_writer: SessionOpener, hub: HubFiles,
                          request: CaseRequest, cipher: ContentCipher,
                          searching: AbstractContextManager[object] | None = None) -> CaseOutcome:
    """request_case, with the child found outside the write transaction: the search takes seconds
    and must not hold other writers off (SQLite has one). The record is looked up again, with the
    decision, in the transaction that writes. `searching` is held while the child is searched for:
    a service bounds how many searches run at once, so that CPU-bound linkage queues instead of
    starving the short writes (50 at once left the ledger's writer past its busy timeout)."""
    with open_reader() as session, searching or nullcontext():
        requester, found = identify_case(session, hub, request)
    with open_writer() as session:
        return record_case(session, request, requester, found, cipher)


def identify_case(session: Session, hub: HubFiles, request: CaseRequest) -> tuple[User, _Identified]:
    requester = get_user(session, request.requester_id)
    if requester is None:
        raise CaseRequestError(f"unknown requester {request.requester_id}").coded("no_such_user")
    return requester, _identify(session, hub, request, requester.agency_id)


def record_case(session: Session, request: CaseRequest, requester: User, found: _Identified,
                cipher: ContentCipher) -> CaseOutcome:
    """Decide on the identified child, record it in the ledger and release the permitted facts."""
    record_id, resolution = found.record_id, found.resolution
    student_id = student_for_record(session, request.source_agency_id, record_id) if record_id else None
    if student_id is None or record_id is None:
        entry = record(session, unmatched_draft(
            request.requester_id, requester.agency_id, request.source_agency_id, request.purpose.value,
            request.fields, request.at, found.outcome, found.candidates))
        shown = Resolution.NOT_FOUND if resolution is Resolution.FOUND else resolution
        return CaseOutcome(shown, entry.seq, refusal=UNMATCHED_REASONS[found.outcome])
    decision, entry = decide_and_record(session, DisclosureRequest(
        requester_id=request.requester_id, student_id=student_id,
        source_agency_id=request.source_agency_id, purpose=request.purpose, fields=request.fields,
        at=request.at, stated_interest=request.stated_interest, threat=request.threat,
        pre_adjudication=request.pre_adjudication, acting_program=request.acting_program))
    if not decision.permitted:
        return CaseOutcome(resolution, entry.seq, decision)
    items = content_for(session, request.source_agency_id, record_id, decision.released, cipher)
    notify = any(o.kind is ObligationKind.NOTIFY_RECORDS_OFFICER for o in decision.obligations)
    if notify:
        notify_officer(session, request.source_agency_id, entry.seq, "emergency_disclosure",
                       _emergency_summary(requester.agency_id, request.requester_id, decision))
    notice = REDISCLOSURE_NOTICE if any(
        o.kind is ObligationKind.REDISCLOSURE_NOTICE for o in decision.obligations) else None
    return CaseOutcome(resolution, entry.seq, decision, items, notice, officer_notified=notify)


def release_record(outcome: CaseOutcome) -> dict[str, object]:
    """The outcome as the requester receives it, the same from the command line and the API."""
    decision = outcome.decision
    return {
        "ledger_entry": outcome.entry_seq, "identification": outcome.identification.value,
        "permitted": outcome.permitted, "refusal": outcome.refusal,
        "released": [{"element": i.element, "occurred_on": i.occurred_on, "values": i.values}
                     for i in outcome.released],
        "withheld": sorted(decision.withheld) if decision else [],
        "refused_because": [{"check": r.code, "reason": r.text, "citation": r.citation}
                            for r in (decision.failures if decision else ())],
        "redisclosure_notice": outcome.notice,
        "officer_notified": outcome.officer_notified,
    }


def _emergency_summary(agency_id: str, requester_id: str, decision: Decision) -> str:
    """Who received what, under which basis: no person is named, only the ledger entry."""
    bases = sorted({b.citation for _, b in decision.bases})
    return (f"{requester_id} of {agency_id} received {', '.join(sorted(decision.released))} "
            f"under {', '.join(bases)}; the threat is recorded in the ledger entry")
