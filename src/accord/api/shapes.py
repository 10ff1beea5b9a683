"""How the service writes the domain's objects as JSON, where more than one route shows them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from accord.domain.consents import Consent
from accord.policy.preview import PreviewLine


def consent_summary(c: Consent, at: datetime) -> dict[str, Any]:
    """A consent as its signer reads it: what, why, to whom, signed when, in force from and to."""
    return {"id": c.id, "elements": sorted(c.data_elements), "purposes": sorted(p.value for p in c.purposes),
            "recipients": sorted(c.recipient_agency_ids),
            "recipient_roles": sorted(r.value for r in c.recipient_roles), "signer": c.signer_role.value,
            "signed_on": c.signed_on, "language": c.language, "method": c.method.value,
            "starts_on": c.starts_on, "ends_on": c.ends_on, "revoked_at": c.revoked_at,
            "confirmed_by_student_on": c.confirmed_by_student_on, "in_force": c.in_force(at)}


def preview_line(x: PreviewLine) -> dict[str, Any]:
    """One recipient's share in a preview: who, for what, from whom, which elements, on what basis."""
    return {"recipient": x.recipient_agency_id, "role": x.role.value, "purpose": x.purpose.value,
            "source": x.source_agency_id, "elements": sorted(x.fields),
            "bases": [{"basis": b.value, "citation": b.citation} for b in x.bases],
            "withheld_because": list(x.withheld_because)}
