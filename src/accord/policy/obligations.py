"""What the holder and the recipient must do once a release is permitted."""

from __future__ import annotations

from functools import lru_cache

from accord.domain.agreements import Agreement
from accord.domain.purposes import LegalBasis, OutputForm
from accord.policy.assessment import Assessment
from accord.policy.decision import Obligation, ObligationKind

REDISCLOSURE_NOTICE = (
    "These records come from a student's education record. You may not disclose them to "
    "anyone else without the written consent of the parent or eligible student, except as "
    "34 CFR 99.33(b) allows, and you must destroy them by the date your agreement sets."
)
PART2_NOTICE = (
    "42 CFR part 2 prohibits unauthorized use or disclosure of these records. This information "
    "has been disclosed to you from records protected by federal confidentiality rules."
)
K = ObligationKind
# Obligations are immutable, so the fixed ones are built once.
LEDGER_ENTRY = Obligation(K.LEDGER_ENTRY, "record the request and the decision with the "
                          "student's record", "34 CFR 99.32(a)")
DISCLOSURE_CONTROL = Obligation(K.DISCLOSURE_CONTROL, "release only tables that pass disclosure "
                                "control (minimum cell size, suppression, budget)",
                                "34 CFR 99.31(b)(1)")
REDISCLOSURE = Obligation(K.REDISCLOSURE_NOTICE, REDISCLOSURE_NOTICE, "34 CFR 99.33(a), (c)")
PART2 = Obligation(K.PART2_NOTICE, PART2_NOTICE, "42 CFR 2.32")
RECORD_THREAT = Obligation(K.RECORD_THREAT, "record the articulable and significant threat and "
                           "who received the data", "34 CFR 99.32(a)(5)")
NOTIFY_OFFICER = Obligation(K.NOTIFY_RECORDS_OFFICER, "notify the records officer of the "
                            "emergency disclosure", "Accord emergency procedure")
_PART2_BASES = frozenset({LegalBasis.PART2_CONSENT, LegalBasis.PART2_MEDICAL_EMERGENCY})
_EMERGENCY_BASES = frozenset({LegalBasis.HEALTH_SAFETY_EMERGENCY, LegalBasis.HIPAA_SERIOUS_THREAT,
                              LegalBasis.PART2_MEDICAL_EMERGENCY})


@lru_cache(maxsize=256)
def _destroy_by(ag: Agreement) -> Obligation | None:
    if ag.destruction_deadline is None:
        return None
    return Obligation(K.DESTROY_BY, f"destroy the data by {ag.destruction_deadline.isoformat()} "
                      f"({ag.destruction_method})", "34 CFR 99.35(b)(2)", ag.destruction_deadline)


def release_obligations(a: Assessment, bases: set[LegalBasis]) -> list[Obligation]:
    """Obligations for a permitted release, given the bases it rests on."""
    if a.request.output is OutputForm.AGGREGATE:
        return [LEDGER_ENTRY, DISCLOSURE_CONTROL]
    out = [LEDGER_ENTRY, REDISCLOSURE]
    if not _PART2_BASES.isdisjoint(bases):
        out.append(PART2)
    if a.agreement is not None and (destroy := _destroy_by(a.agreement)) is not None:
        out.append(destroy)
    if not _EMERGENCY_BASES.isdisjoint(bases):
        out += [RECORD_THREAT, NOTIFY_OFFICER]
    return out
