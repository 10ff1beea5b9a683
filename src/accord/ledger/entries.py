"""Ledger entries: canonical JSON, hash-chained.

Each entry is stored as the exact canonical JSON text that was hashed, so verification
hashes the stored bytes themselves and never depends on re-serialising them the same way.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

GENESIS = "0" * 64  # the "previous hash" of the first entry


class EntryKind(StrEnum):
    DISCLOSURE_DECISION = "disclosure_decision"  # a request and its decision, permit or deny
    STUDY_RELEASE = "study_release"
    ELIGIBILITY_RUN = "eligibility_run"
    AGREEMENT_ACTIVATED = "agreement_activated"
    AGREEMENT_TERMINATED = "agreement_terminated"
    DESTRUCTION_CERTIFIED = "destruction_certified"
    CONSENT_RECORDED = "consent_recorded"
    CONSENT_REVOKED = "consent_revoked"
    CONSENT_CONFIRMED = "consent_confirmed"
    CASE_UNMATCHED = "case_unmatched"  # a case request refused because the child was not identified
    RECORDS_LOADED = "records_loaded"  # an agency's intake batch reached the hub
    LINKAGE_RUN = "linkage_run"  # the hub linked two agencies' stored encodings under an agreement
    CONTENT_KEY_ROTATED = "content_key_rotated"  # the hub re-sealed all content under a new key
    STATE_LAW_CHANGED = "state_law_changed"  # the records officer changed a state-law setting
    CROSSCHECK_REVIEW = "crosscheck_review"  # the records officer decided an uncertain cross-check match
    STUDY_REGISTERED = "study_registered"  # a study registered, or its scope changed (a new version)
    STUDY_APPROVED = "study_approved"  # a contributing agency's data steward approved a study's version
    STUDY_BUILT = "study_built"  # the hub built (or rebuilt) a study's pseudonymous table
    STUDY_DESTROYED = "study_destroyed"  # a study's data destroyed, with its certificate
    STUDY_REVIEW = "study_review"  # a reviewer approved or rejected a study release held for review
    INSPECTION_REQUESTED = "inspection_requested"  # a family asked to see the child's records (99.10)
    INSPECTION_ANSWERED = "inspection_answered"  # the records officer let them see the records


def canonical_json(value: Any) -> str:
    """Sorted keys, no insignificant whitespace, UTF-8 text; only str, int, bool, None, lists
    and objects are used, so this is the RFC 8785 (JCS) form for Accord's entries."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      allow_nan=False)


def sha256_hex(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def utc_stamp(at: datetime) -> str:
    """An ISO 8601 UTC timestamp with microseconds (naive times are taken as UTC)."""
    if at.tzinfo is not None:
        at = at.astimezone(UTC).replace(tzinfo=None)
    return at.isoformat(timespec="microseconds") + "Z"


@dataclass(frozen=True, slots=True)
class Draft:
    """What a writer hands the ledger; the ledger adds position, time and chain."""

    kind: EntryKind
    body: dict[str, Any]
    student_id: str | None = None


@dataclass(frozen=True, slots=True)
class Entry:
    seq: int  # 1, 2, 3 ... without gaps
    entry_json: str  # the canonical text that was hashed
    entry_hash: str  # SHA-256 of entry_json, hex
    kind: EntryKind
    student_id: str | None

    @property
    def content(self) -> dict[str, Any]:
        parsed: dict[str, Any] = json.loads(self.entry_json)
        return parsed


def seal(draft: Draft, seq: int, prev_hash: str, recorded_at: datetime) -> Entry:
    """The entry at position `seq`, chained to `prev_hash`."""
    text = canonical_json({
        "seq": seq, "prev": prev_hash, "recorded_at": utc_stamp(recorded_at),
        "kind": draft.kind.value, "student": draft.student_id, "body": draft.body,
    })
    return Entry(seq, text, sha256_hex(text), draft.kind, draft.student_id)
