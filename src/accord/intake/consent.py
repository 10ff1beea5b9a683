"""Consent choices captured on the enrollment form, read from the enrollment row's consent columns."""

from __future__ import annotations

import re
from collections.abc import Mapping

from accord.domain.elements import CATALOG
from accord.domain.purposes import Purpose

from .csv_schema import CONSENT_COLUMNS
from .errors import RowIssue
from .records import EnrollmentConsent
from .values import required, required_date

SIGNER_ROLES = frozenset({"parent", "eligible_student"})
_PURPOSES = frozenset(p.value for p in Purpose)
# Only something shaped like a catalogue code is echoed back in a reason.
_CODE_SHAPE = re.compile(r"[a-z0-9_]{1,40}")


def consent_from_row(rec: Mapping[str, str], record_id: str) -> EnrollmentConsent | None:
    """The consent on this row, None when its consent columns are absent or all blank."""
    if not any(rec.get(name, "").strip() for name in CONSENT_COLUMNS):
        return None
    agency = required(rec, "consent_recipient_agency_id")
    codes = frozenset(c.strip() for c in required(rec, "consent_elements").split(";") if c.strip())
    unknown = sorted(codes - CATALOG.keys())
    if unknown:
        shown = [c for c in unknown if _CODE_SHAPE.fullmatch(c)]
        named = f": {', '.join(shown)}" if len(shown) == len(unknown) else ""
        raise RowIssue("consent_elements", f"not in the data-element catalogue{named}")
    if not codes:
        raise RowIssue("consent_elements", "no data element listed")
    purpose = required(rec, "consent_purpose")
    if purpose not in _PURPOSES:
        expected = ", ".join(sorted(_PURPOSES))
        raise RowIssue("consent_purpose", f"unknown purpose (expected one of: {expected})")
    signed_on = required_date(rec, "consent_signed_on")
    role = required(rec, "consent_signer_role")
    if role not in SIGNER_ROLES:
        raise RowIssue("consent_signer_role", "unknown signer role (expected parent or eligible_student)")
    language = required(rec, "consent_language")
    return EnrollmentConsent(record_id, agency, codes, purpose, signed_on, role, language)
