"""What the ledger records of a cross-check: the run as a whole (each child's release has its own
decision entry), and a records officer's decision on an uncertain match. Counts and ids only."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from accord.ledger.entries import Draft, EntryKind, utc_stamp


def crosscheck_run_draft(agreement_id: str, run_by: str, at: datetime, figures: dict[str, Any],
                         deleted: list[str]) -> Draft:
    """A run: who ran it, its report's figures, and the submissions deleted once it is recorded."""
    return Draft(EntryKind.ELIGIBILITY_RUN, {
        "agreement": agreement_id, "run_by": run_by, "at": utc_stamp(at), "figures": figures,
        "encodings_deleted": sorted(deleted),
    })


def review_decision_draft(agreement_id: str, review_id: int, accepted: bool, by: str, at: datetime,
                          student_id: str) -> Draft:
    """A records officer's decision on an uncertain match, kept for every later run."""
    return Draft(EntryKind.CROSSCHECK_REVIEW, {
        "agreement": agreement_id, "review": review_id, "decision": "accepted" if accepted else "rejected",
        "by": by, "at": utc_stamp(at),
    }, student_id)
