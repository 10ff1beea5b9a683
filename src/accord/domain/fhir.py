"""Export a consent as an HL7 FHIR R4 Consent resource (provision: actors, purposes, classes)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from accord.domain.consents import Consent, ConsentForm
from accord.domain.purposes import Purpose

ACCORD_SYSTEM = "urn:accord"
_ACT_REASON = "http://terminology.hl7.org/CodeSystem/v3-ActReason"
_PARTICIPATION = "http://terminology.hl7.org/CodeSystem/v3-ParticipationType"

# The closest v3 ActReason purpose-of-use codes.
_PURPOSE_OF_USE: dict[Purpose, tuple[str, str]] = {
    Purpose.SUPPORTIVE_SERVICES: ("COC", "coordination of care"),
    Purpose.ELIGIBILITY_VERIFICATION: ("COVERAGE", "coverage under policy or program"),
    Purpose.RESEARCH_EVALUATION: ("HRESCH", "healthcare research"),
    Purpose.HEALTH_SAFETY_EMERGENCY: ("ETREAT", "emergency treatment"),
    Purpose.JUVENILE_JUSTICE: ("PUBHLTH", "public health"),
}

_POLICY_URI: dict[ConsentForm, str] = {
    ConsentForm.FERPA: "https://www.ecfr.gov/current/title-34/part-99/section-99.30",
    ConsentForm.HIPAA_AUTHORIZATION: "https://www.ecfr.gov/current/title-45/section-164.508",
    ConsentForm.PART2: "https://www.ecfr.gov/current/title-42/section-2.31",
    ConsentForm.NSLA: "https://www.ecfr.gov/current/title-7/section-245.6",
}


def fhir_status(c: Consent, at: datetime) -> str:
    if c.revoked_at is not None and c.revoked_at <= at:
        return "inactive"
    return "active" if c.in_force(at) else "inactive"


def to_fhir_consent(c: Consent, at: datetime) -> dict[str, Any]:
    """The consent as a FHIR R4 Consent resource (a plain JSON-ready dict)."""
    period: dict[str, str] = {"start": c.starts_on.isoformat()}
    end = c.ends_on.isoformat() if c.ends_on else None
    if c.revoked_at is not None:
        end = min(filter(None, [end, c.revoked_at.date().isoformat()]))
    if end:
        period["end"] = end
    actors: list[dict[str, Any]] = [
        {"role": _ircp(), "reference": {"reference": f"Organization/{a}"}}
        for a in sorted(c.recipient_agency_ids)
    ] + [
        {"role": _ircp(), "reference": {"display": f"role:{r.value}"}}
        for r in sorted(c.recipient_roles)
    ]
    performer = "Patient" if c.signer_role.value == "student" else "RelatedPerson"
    return {
        "resourceType": "Consent",
        "id": c.id,
        "status": fhir_status(c, at),
        "scope": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/consentscope",
                              "code": "patient-privacy"}]},
        "category": [{"coding": [{"system": "http://loinc.org", "code": "59284-0"}]}],
        "patient": {"reference": f"Patient/{c.student_id}"},
        "dateTime": c.signed_on.isoformat() if c.signed_on else None,
        "performer": [{"display": f"{performer} ({c.signer_role.value})"}],
        "organization": ([{"reference": f"Organization/{c.discloser_agency_id}"}]
                         if c.discloser_agency_id else []),
        "sourceReference": {"reference": f"DocumentReference/{c.evidence_ref}",
                            "display": f"form language: {c.language}; method: {c.method.value}"},
        "policy": [{"uri": _POLICY_URI[f]} for f in sorted(c.forms)],
        "provision": {
            "type": "permit",
            "period": period,
            "actor": actors,
            "purpose": [{"system": _ACT_REASON, "code": _PURPOSE_OF_USE[p][0],
                         "display": _PURPOSE_OF_USE[p][1]} for p in sorted(c.purposes)],
            "class": [{"system": f"{ACCORD_SYSTEM}:data-element", "code": e}
                      for e in sorted(c.data_elements)],
        },
    }


def _ircp() -> dict[str, Any]:
    return {"coding": [{"system": _PARTICIPATION, "code": "IRCP",
                        "display": "information recipient"}]}
