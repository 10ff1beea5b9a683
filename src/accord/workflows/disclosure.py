"""Deciding a request and recording it, in the caller's transaction: there is no decision
without its ledger entry, and (when the caller commits a release in the same transaction)
no release without one."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.orm import Session

from accord.ledger.entries import Entry
from accord.ledger.events import decision_draft
from accord.policy import Decision, DisclosureRequest, Facts, decide
from accord.policy.fact_index import FactIndex
from accord.store.facts import load_facts
from accord.workflows.ledger import record, record_many


def decide_and_record(session: Session, request: DisclosureRequest,
                      facts: Facts | None = None) -> tuple[Decision, Entry]:
    """Decide on the stored facts (or the ones given) and append the ledger entry."""
    facts = facts if facts is not None else load_facts(session, request)
    decision = decide(request, facts)
    recipient = facts.requester_agency.id if facts.requester_agency is not None else None
    return decision, record(session, decision_draft(request, decision, recipient))


def decide_and_record_many(session: Session, requests: Sequence[DisclosureRequest],
                           index: FactIndex) -> list[tuple[Decision, Entry]]:
    """Decide each request on `index`'s facts and append all their entries in one batch, in the
    requests' order (a run that decides for thousands of children)."""
    decided = []
    for request in requests:
        facts = index.facts_for(request)
        recipient = facts.requester_agency.id if facts.requester_agency is not None else None
        decided.append((decide(request, facts), recipient))
    entries = record_many(session, [decision_draft(r, d, who) for r, (d, who) in zip(requests, decided,
                                                                                      strict=True)])
    return [(d, e) for (d, _), e in zip(decided, entries, strict=True)]
