"""A counselor's or caseworker's own case requests, as the ledger recorded them: when, for what
purpose, which elements were asked and released, and why any was refused. Only the asker's own:
the ledger is the one record of requests, so this reads it rather than a second table that could
disagree with it. The hub's id of the child is left out; the asker knows whom they asked about."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from accord.domain.purposes import OutputForm
from accord.ledger.entries import Entry, EntryKind
from accord.store.repositories.ledger import entries_of_kinds

CASE_KINDS = (EntryKind.DISCLOSURE_DECISION, EntryKind.CASE_UNMATCHED)
CASE = OutputForm.CASE_RECORD.value  # an unmatched request has no output form: it was a case request


def _item(entry: Entry) -> dict[str, Any]:
    body = entry.content["body"]
    request, decision = body["request"], body["decision"]
    reasons = [r[1] for r in decision.get("failed", [])] or (
        [decision["reason"]] if "reason" in decision else [])
    return {"ledger_entry": entry.seq, "requested_at": request["requested_at"],
            "source_agency": request["source_agency"], "purpose": request["purpose"],
            "asked": request["asked"], "effect": decision["effect"],
            "released": decision["released"], "refused_because": reasons}


def case_requests_by(session: Session, user_id: str) -> list[dict[str, Any]]:
    """Every case request `user_id` made, oldest first (not cross-check flags or study releases,
    which are decisions of the same kind with another output form)."""
    out = []
    for entry in entries_of_kinds(session, CASE_KINDS):
        request = entry.content["body"]["request"]
        if request["requester"] == user_id and request.get("output", CASE) == CASE:
            out.append(_item(entry))
    return out
