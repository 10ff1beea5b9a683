"""Ledger entries of the intake and case paths that carry no decision of the policy engine:
a request refused before it reached one (no child could be identified), and a records load.
Neither names a person: the unmatched request has no student, the load only counts rows."""

from __future__ import annotations

from datetime import datetime

from accord.ledger.entries import Draft, EntryKind, utc_stamp

UNMATCHED_REASONS = {
    "not_found": "no record of the source agency matches the child described",
    "ambiguous": "the child described matches more than one record; Accord never guesses between children",
    "uncertain": "the only record that may be the child does not match with enough confidence",
    "other_key": "the child was described under another key than the source agency's roster for the "
                 "agreement, so no record could be compared",
}


def unmatched_draft(requester_id: str, requester_agency_id: str | None, source_agency_id: str,
                    purpose: str, fields: frozenset[str], at: datetime, outcome: str,
                    candidates: int) -> Draft:
    """A case request refused because the hub could not name exactly one child."""
    return Draft(EntryKind.CASE_UNMATCHED, {
        "request": {"requester": requester_id, "requester_agency": requester_agency_id,
                    "source_agency": source_agency_id, "purpose": purpose, "asked": sorted(fields),
                    "requested_at": utc_stamp(at)},
        "decision": {"effect": "deny", "released": [], "identification": outcome,
                     "candidates": candidates, "reason": UNMATCHED_REASONS[outcome]},
    }, None)


def load_draft(agency_id: str, kind: str, source: str, loaded: int, rejected: int, batch_id: int,
               replaced: int = 0) -> Draft:
    """An intake batch committed at the hub: which agency, what kind of records, how many, and
    how many facts it corrected (replaced an earlier load's value with the same natural key)."""
    body: dict[str, object] = {"agency": agency_id, "kind": kind, "source": source, "rows_loaded": loaded,
                               "rows_rejected": rejected, "batch": batch_id}
    if replaced:
        body["facts_replaced"] = replaced
    return Draft(EntryKind.RECORDS_LOADED, body, None)


def key_rotation_draft(old_key_id: str, new_key_id: str, rows: int) -> Draft:
    """Every sealed value at the hub re-sealed under a new content key, the old one retired (its
    file replaced). Key fingerprints and a count only."""
    return Draft(EntryKind.CONTENT_KEY_ROTATED, {"retired_key": old_key_id, "content_key": new_key_id,
                                                 "rows": rows}, None)


def linkage_run_draft(agreement_id: str, purpose: str, rosters: dict[str, int], deleted: list[str],
                      at: datetime) -> Draft:
    """The hub linked the encoded rosters of an agreement's agencies (`rosters`: agency -> records)
    for `purpose`, and deleted the encodings of `deleted` agencies, which the agreement does not
    need kept. Counts only."""
    return Draft(EntryKind.LINKAGE_RUN, {
        "agreement": agreement_id, "purpose": purpose, "rosters": dict(sorted(rosters.items())),
        "encodings_deleted": sorted(deleted), "run_at": utc_stamp(at)}, None)
