"""What a legal regime allows: each field with the basis (and consent) it rests on."""

from __future__ import annotations

from accord.domain.elements import CATALOG, Sensitivity
from accord.domain.purposes import LegalBasis

# field -> (basis, consent id or None)
Grants = dict[str, tuple[LegalBasis, str | None]]

CODES_OF: dict[Sensitivity, frozenset[str]] = {
    s: frozenset(c for c, e in CATALOG.items() if e.sensitivity is s) for s in Sensitivity
}


def grant(grants: Grants, fields: frozenset[str] | set[str], basis: LegalBasis,
          consent_id: str | None = None) -> None:
    """Record the basis for each field that has none yet (the first basis found stands)."""
    for code in fields:
        grants.setdefault(code, (basis, consent_id))
