"""Deciding a request and recording it, in the caller's transaction: there is no decision
without its ledger entry, and (when the caller commits a release in the same transaction)
no release without one."""

from __future__ import annotations

from sqlalchemy.orm import Session

from accord.ledger.entries import Entry
from accord.ledger.events import decision_draft
from accord.policy import Decision, DisclosureRequest, Facts, decide
from accord.store.facts import load_facts
from accord.workflows.ledger import record


def decide_and_record(session: Session, request: DisclosureRequest,
                      facts: Facts | None = None) -> tuple[Decision, Entry]:
    """Decide on the stored facts (or the ones given) and append the ledger entry."""
    facts = facts if facts is not None else load_facts(session, request)
    decision = decide(request, facts)
    recipient = facts.requester_agency.id if facts.requester_agency is not None else None
    return decision, record(session, decision_draft(request, decision, recipient))
