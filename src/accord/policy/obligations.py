"""What the holder and the recipient must do once a release is permitted."""

from __future__ import annotations

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


def ledger_entry() -> Obligation:
    return Obligation(ObligationKind.LEDGER_ENTRY, "record the request and the decision with "
                      "the student's record", "34 CFR 99.32(a)")


def release_obligations(a: Assessment, bases: set[LegalBasis]) -> list[Obligation]:
    """Obligations for a permitted release, given the bases it rests on."""
    out = [ledger_entry()]
    if a.request.output is OutputForm.AGGREGATE:
        out.append(Obligation(ObligationKind.DISCLOSURE_CONTROL, "release only tables that pass "
                              "disclosure control (minimum cell size, suppression, budget)",
                              "34 CFR 99.31(b)(1)"))
        return out
    out.append(Obligation(ObligationKind.REDISCLOSURE_NOTICE, REDISCLOSURE_NOTICE,
                          "34 CFR 99.33(a), (c)"))
    if bases & {LegalBasis.PART2_CONSENT, LegalBasis.PART2_MEDICAL_EMERGENCY}:
        out.append(Obligation(ObligationKind.PART2_NOTICE, PART2_NOTICE, "42 CFR 2.32"))
    ag = a.agreement
    if ag is not None and ag.destruction_deadline is not None:
        out.append(Obligation(ObligationKind.DESTROY_BY, f"destroy the data by "
                              f"{ag.destruction_deadline.isoformat()} ({ag.destruction_method})",
                              "34 CFR 99.35(b)(2)", ag.destruction_deadline))
    if bases & {LegalBasis.HEALTH_SAFETY_EMERGENCY, LegalBasis.HIPAA_SERIOUS_THREAT,
                LegalBasis.PART2_MEDICAL_EMERGENCY}:
        out.append(Obligation(ObligationKind.RECORD_THREAT, "record the articulable and "
                              "significant threat and who received the data",
                              "34 CFR 99.32(a)(5)"))
        out.append(Obligation(ObligationKind.NOTIFY_RECORDS_OFFICER, "notify the records "
                              "officer of the emergency disclosure", "Accord emergency procedure"))
    return out
