"""What the ledger records for each kind of event (34 CFR 99.32(a)): built from domain and
policy objects, never from names. Students appear by internal id only."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from accord.domain.agreements import Agreement
from accord.domain.consents import Consent
from accord.ledger.entries import Draft, EntryKind, utc_stamp
from accord.policy.decision import Decision, ObligationKind
from accord.policy.obligations import REDISCLOSURE_NOTICE
from accord.policy.request import DisclosureRequest, StateLaw


def _day(d: date | None) -> str | None:
    return d.isoformat() if d else None


def decision_draft(request: DisclosureRequest, decision: Decision,
                   recipient_agency_id: str | None) -> Draft:
    """A request and its decision, permitted or denied, with everything 99.32 asks for."""
    destroy_by = next((o.due for o in decision.obligations if o.kind is ObligationKind.DESTROY_BY),
                      None)
    redisclosure = any(o.kind is ObligationKind.REDISCLOSURE_NOTICE for o in decision.obligations)
    body: dict[str, Any] = {
        "request": {
            "requester": request.requester_id, "requester_agency": recipient_agency_id,
            "source_agency": request.source_agency_id, "purpose": request.purpose.value,
            "output": request.output.value, "legitimate_interest": request.stated_interest,
            "asked": sorted(request.fields), "requested_at": utc_stamp(request.at),
            "threat": request.threat, "pre_adjudication": request.pre_adjudication,
            "study_purpose": request.study_purpose.value if request.study_purpose else None,
            "acting_program": request.acting_program.value if request.acting_program else None,
            "source_program": request.source_program.value if request.source_program else None,
        },
        "decision": {
            "effect": decision.effect.value,
            "released": sorted(decision.released),
            "bases": [[f, b.value, b.citation] for f, b in decision.bases],
            "agreement": None if decision.agreement_id is None else {
                "id": decision.agreement_id, "version": decision.agreement_version},
            "consents": list(decision.consent_ids),
            "failed": [[r.code, r.text, r.citation] for r in decision.failures],
            "obligations": sorted({o.kind.value for o in decision.obligations}),
            "redisclosure_terms": REDISCLOSURE_NOTICE if redisclosure else None,
            "destroy_by": _day(destroy_by),
        },
    }
    return Draft(EntryKind.DISCLOSURE_DECISION, body, request.student_id)


def agreement_draft(kind: EntryKind, agreement: Agreement, by: str, on: date) -> Draft:
    """Activation, termination or certified destruction of an agreement."""
    return Draft(kind, {
        "agreement": agreement.id, "version": agreement.version, "by": by, "on": on.isoformat(),
        "layer": agreement.layer.value, "sources": sorted(agreement.source_agency_ids),
        "recipients": sorted(agreement.recipient_agency_ids),
        "purposes": sorted(p.value for p in agreement.purposes),
        "data_elements": sorted(agreement.data_elements),
        "destruction_deadline": _day(agreement.destruction_deadline),
    })


def consent_draft(kind: EntryKind, consent: Consent, by: str, at: datetime) -> Draft:
    """A consent recorded, revoked, or confirmed by the student who now holds the rights."""
    return Draft(kind, {
        "consent": consent.id, "by": by, "at": utc_stamp(at),
        "signer": consent.signer_role.value, "signed_on": _day(consent.signed_on),
        "forms": sorted(f.value for f in consent.forms), "language": consent.language,
        "data_elements": sorted(consent.data_elements),
        "purposes": sorted(p.value for p in consent.purposes),
        "recipient_agencies": sorted(consent.recipient_agency_ids),
        "recipient_roles": sorted(r.value for r in consent.recipient_roles),
        "starts_on": consent.starts_on.isoformat(), "ends_on": _day(consent.ends_on),
        "revoked_at": utc_stamp(consent.revoked_at) if consent.revoked_at else None,
    }, consent.student_id)


def state_law_draft(before: StateLaw, after: StateLaw, by: str, at: datetime) -> Draft:
    """The state-law settings before and after a change: plain values, no person. `replaces`
    is the entry that recorded the settings before (None: they were the defaults)."""
    return Draft(EntryKind.STATE_LAW_CHANGED, {
        "by": by, "at": utc_stamp(at), "replaces": before.recorded_in,
        "before": _settings(before), "after": _settings(after),
    })


def _settings(law: StateLaw) -> dict[str, Any]:
    return {
        "medicaid_meal_status_election": law.medicaid_meal_status_election,
        "medicaid_meal_notice_on": _day(law.medicaid_meal_notice_on),
        "direct_certification_programs": sorted(p.value for p in law.direct_certification_programs),
        "minor_may_consent_to_sud_treatment": law.minor_may_consent_to_sud_treatment,
        "required_course_ids": sorted(law.required_course_ids),
    }
