"""What a legal regime allows: each field with the basis (and consent) it rests on."""

from __future__ import annotations

from accord.domain.elements import CATALOG, Sensitivity
from accord.domain.purposes import LegalBasis

# field -> (basis, consent id or None)
Grants = dict[str, tuple[LegalBasis, str | None]]


def of_sensitivity(fields: frozenset[str], *classes: Sensitivity) -> frozenset[str]:
    return frozenset(c for c in fields if CATALOG[c].sensitivity in classes)


def grant(grants: Grants, fields: frozenset[str] | set[str], basis: LegalBasis,
          consent_id: str | None = None) -> None:
    for code in fields:
        grants.setdefault(code, (basis, consent_id))
