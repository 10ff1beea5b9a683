"""What the ledger records of a study: its registration and each change of scope, each agency's
approval, each build, each release (the query, the cells' outcomes, the table's hash) and its
destruction. Ids, codes and counts only; each child's inclusion is a decision entry of its own."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from accord.domain.studies import Study
from accord.ledger.entries import Draft, EntryKind, utc_stamp


def _study(study: Study) -> dict[str, Any]:
    return {"study": study.id, "version": study.version, "agreement": study.agreement_id}


def registered_draft(study: Study, by: str, at: datetime) -> Draft:
    return Draft(EntryKind.STUDY_REGISTERED, {
        **_study(study), "by": by, "at": utc_stamp(at), "title": study.title, "purpose": study.purpose,
        "scope": study.scope, "elements": sorted(study.elements), "partners": sorted(study.partners),
        "analysts": sorted(study.analysts), "ends_on": study.ends_on.isoformat(),
        "destroy_by": study.destroy_by.isoformat(), "rules": study.rules})


def approved_draft(study: Study, agency_id: str, by: str, at: datetime) -> Draft:
    return Draft(EntryKind.STUDY_APPROVED, {**_study(study), "agency": agency_id, "by": by,
                                            "at": utc_stamp(at)})


def built_draft(study: Study, by: str, at: datetime, records: int, linked: dict[str, int],
                deleted: list[str]) -> Draft:
    return Draft(EntryKind.STUDY_BUILT, {**_study(study), "by": by, "at": utc_stamp(at), "records": records,
                                         "linked": linked, "encodings_deleted": sorted(deleted)})


def release_draft(study: Study, analyst: str, at: datetime, spec: dict[str, Any], outcomes: dict[str, int],
                  table_hash: str, extra: dict[str, Any] | None = None) -> Draft:
    """A release; `extra` adds what differential privacy records (the budget spent, or the earlier
    release a repeated question was answered from)."""
    return Draft(EntryKind.STUDY_RELEASE, {**_study(study), "analyst": analyst, "at": utc_stamp(at),
                                           "query": spec, "outcomes": outcomes, "table_sha256": table_hash,
                                           **(extra or {})})


def destroyed_draft(study: Study, by: str, at: datetime, records: int, method: str) -> Draft:
    return Draft(EntryKind.STUDY_DESTROYED, {**_study(study), "by": by, "at": utc_stamp(at),
                                             "records_destroyed": records, "method": method})


def review_draft(study: Study, release_id: int, reviewer: str, decision: str, comment: str,
                 at: datetime) -> Draft:
    return Draft(EntryKind.STUDY_REVIEW, {**_study(study), "release": release_id, "reviewer": reviewer,
                                          "decision": decision, "comment": comment, "at": utc_stamp(at)})
