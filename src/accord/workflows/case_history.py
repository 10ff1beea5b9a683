"""A counselor's or caseworker's own case requests, as the ledger recorded them: when, for what
purpose, which elements were asked and released, and why any was refused. Only the asker's own:
the ledger is the one record of requests, so this reads it rather than a second table that could
disagree with it. The hub's id of the child is left out; the asker knows whom they asked about.

The ledger keeps which records were released, on which basis, under which terms; never the released
facts themselves (34 CFR 99.32(a) asks for the parties and their interest, not the values), so one
request read back here says what went, not what it said (ADR 0028)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from accord.domain.purposes import OutputForm
from accord.errors import AccordError
from accord.ledger.entries import Entry, EntryKind
from accord.policy.decision import ObligationKind
from accord.store.repositories.ledger import entries_of_kinds, entry_at

CASE_KINDS = (EntryKind.DISCLOSURE_DECISION, EntryKind.CASE_UNMATCHED)
CASE = OutputForm.CASE_RECORD.value  # an unmatched request has no output form: it was a case request


class CaseNotFound(AccordError, LookupError):
    """No case request of that number among the asker's own."""


def _asked_by(entry: Entry, user_id: str) -> bool:
    """A case request (not a cross-check flag or a study release, decisions of the same kind with
    another output form) that `user_id` made."""
    if entry.kind not in CASE_KINDS:
        return False
    request = entry.content["body"]["request"]
    return bool(request["requester"] == user_id and request.get("output", CASE) == CASE)


def _item(entry: Entry) -> dict[str, Any]:
    body = entry.content["body"]
    request, decision = body["request"], body["decision"]
    reasons = [r[1] for r in decision.get("failed", [])] or (
        [decision["reason"]] if "reason" in decision else [])
    # Each failed check with its code, and the ledger's word for why no child was named (None when one
    # was): what a face words in its reader's language.
    failed = [{"check": code, "reason": text, "citation": cite}
              for code, text, cite in decision.get("failed", [])]
    return {"ledger_entry": entry.seq, "requested_at": request["requested_at"],
            "source_agency": request["source_agency"], "purpose": request["purpose"],
            "asked": request["asked"], "effect": decision["effect"],
            "released": decision["released"], "refused_because": reasons, "failed": failed,
            "unidentified": decision.get("identification")}


def case_requests_by(session: Session, user_id: str) -> list[dict[str, Any]]:
    """Every case request `user_id` made, oldest first."""
    return [_item(entry) for entry in entries_of_kinds(session, CASE_KINDS) if _asked_by(entry, user_id)]


def case_answer(session: Session, user_id: str, seq: int) -> dict[str, Any]:
    """The answer to `user_id`'s request recorded as ledger entry `seq`, as the ledger keeps it: the
    request's summary, the legal bases (basis, citation), each failed check, what was withheld, the
    redisclosure terms, whether the records officer was told, and why no child was named (None when
    one was). CaseNotFound for another person's entry, an entry of another kind, or none."""
    entry = entry_at(session, seq)
    if entry is None or not _asked_by(entry, user_id):
        raise CaseNotFound(f"there is no request #{seq} among yours").coded("no_such_case_request",
                                                                           request=str(seq))
    decision = entry.content["body"]["decision"]
    item = _item(entry)
    unmatched = entry.kind is EntryKind.CASE_UNMATCHED
    withheld = [] if unmatched else sorted(set(item["asked"]) - set(item["released"]))
    told = ObligationKind.NOTIFY_RECORDS_OFFICER.value in decision.get("obligations", [])
    return {**item, "bases": list(dict.fromkeys((b[1], b[2]) for b in decision.get("bases", []))),
            "withheld": withheld,
            "not_identified": decision.get("reason") if unmatched else None,
            "redisclosure_notice": decision.get("redisclosure_terms"), "officer_notified": told}
