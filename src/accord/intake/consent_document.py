"""A Consent from a JSON document (a file, or a request's body) whose keys are its field names.

Sets are JSON lists and dates ISO strings. Revocation and the student's confirmation are not
read from the file: they are recorded by `accord consents revoke` and `confirm`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from accord.domain.agencies import Role
from accord.domain.consents import Consent, ConsentForm, ConsentMethod, SignerRole, Statement
from accord.domain.purposes import Purpose
from accord.intake.json_document import JsonFields, load_object


def consent_from_file(path: Path) -> Consent:
    """Parse the file; validity (34 CFR 99.30 elements) is checked separately."""
    return consent_from_fields(load_object(path))


def consent_from_data(data: Any, where: str) -> Consent:
    """Parse a document already read (a request's JSON body); `where` names it in errors."""
    return consent_from_fields(JsonFields(where, data))


def consent_from_fields(f: JsonFields) -> Consent:
    return Consent(
        id=f.text("id"),
        student_id=f.text("student_id"),
        signer_role=f.enum("signer_role", SignerRole),
        data_elements=frozenset(f.strings("data_elements", [])),
        purposes=f.enums("purposes", Purpose, []),
        recipient_agency_ids=frozenset(f.strings("recipient_agency_ids", [])),
        recipient_roles=f.enums("recipient_roles", Role, []),
        signed_on=f.day("signed_on", None),
        language=f.text("language", ""),
        method=f.enum("method", ConsentMethod),
        evidence_ref=f.text("evidence_ref", ""),
        starts_on=f.day("starts_on"),
        ends_on=f.day("ends_on", None),
        forms=f.enums("forms", ConsentForm, [ConsentForm.FERPA.value]),
        statements=f.enums("statements", Statement, []),
        signer_identity_verified=f.flag("signer_identity_verified"),
        discloser_agency_id=f.text("discloser_agency_id", None),
        captured_at_enrollment=f.flag("captured_at_enrollment"),
    )
