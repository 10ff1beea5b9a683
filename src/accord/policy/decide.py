"""decide(request, facts) -> Decision: pure and default-deny.

A field is released only when it was requested, the agreement grants it, the requester's role
may receive it, and every law that governs it allows it (the strictest wins). A denial lists
every condition that failed, not just the first.
"""

from __future__ import annotations

from collections.abc import Callable

from accord.domain.elements import CATALOG, Sensitivity
from accord.domain.purposes import LegalBasis, OutputForm
from accord.policy.agreement_gate import covering_agreement
from accord.policy.assessment import Assessment
from accord.policy.decision import Decision, Effect, Reason
from accord.policy.ferpa import ferpa_grants
from accord.policy.gates import known_fields, parties_known, role_may_receive, training_current
from accord.policy.grants import Grants
from accord.policy.health import hipaa_grants, part2_grants
from accord.policy.nsla import nsla_grants
from accord.policy.obligations import LEDGER_ENTRY, release_obligations
from accord.policy.programs import benefit_grants, justice_grants
from accord.policy.request import DisclosureRequest, Facts

_S = Sensitivity
# Each regime is handed only the requested fields of its own sensitivity classes.
Regime = Callable[[Assessment, frozenset[str]], Grants]
REGIMES: tuple[tuple[frozenset[Sensitivity], Regime], ...] = (
    (frozenset({_S.DIRECTORY, _S.EDUCATION_RECORD}), ferpa_grants),
    (frozenset({_S.MEAL_ELIGIBILITY}), nsla_grants),
    (frozenset({_S.HEALTH}), hipaa_grants),
    (frozenset({_S.SUBSTANCE_USE}), part2_grants),
    (frozenset({_S.BENEFIT_STATUS}), benefit_grants),
    (frozenset({_S.JUSTICE_RECORD}), justice_grants),
)
_REGIME_OF: dict[str, Regime] = {
    code: regime for code, e in CATALOG.items()
    for classes, regime in REGIMES if e.sensitivity in classes
}


def decide(request: DisclosureRequest, facts: Facts) -> Decision:
    """Decide one disclosure request against the facts; never raises on missing facts."""
    a = Assessment(request, facts)
    if not parties_known(a):
        return _deny(a)
    held = known_fields(a)
    trained = training_current(a)
    allowed_for_role = role_may_receive(a, held)
    has_agreement = covering_agreement(a, held)
    candidates = allowed_for_role & a.agreement_fields
    grants = _legal_grants(a, allowed_for_role)
    released = frozenset(grants) & candidates
    if not (trained and has_agreement and released):
        return _deny(a)
    bases = {grants[c][0] for c in released}
    ag = a.agreement
    return Decision(
        effect=Effect.PERMIT,
        released=released,
        bases=tuple(sorted((c, grants[c][0]) for c in released)),
        reasons=_relevant(a, released),
        obligations=tuple(release_obligations(a, bases)),
        agreement_id=ag.id if ag else None,
        agreement_version=ag.version if ag else None,
        consent_ids=tuple(sorted({cid for c in released if (cid := grants[c][1]) is not None})),
    )


def _legal_grants(a: Assessment, fields: frozenset[str]) -> Grants:
    if a.request.output is OutputForm.AGGREGATE:
        a.holds("de_identified", "only de-identified aggregate tables leave the hub",
                LegalBasis.DE_IDENTIFIED.citation, fields)
        return {c: (LegalBasis.DE_IDENTIFIED, None) for c in fields}
    grants: Grants = {}
    by_regime: dict[Regime, set[str]] = {}
    for code in fields:
        by_regime.setdefault(_REGIME_OF[code], set()).add(code)
    for _, regime in REGIMES:  # in table order, so reasons come out in a stable order
        mine = by_regime.get(regime)
        if mine:
            grants.update(regime(a, frozenset(mine)))
    return grants


def _relevant(a: Assessment, released: frozenset[str]) -> tuple[Reason, ...]:
    # A failed path is moot for a field another basis released; keep the rest.
    return tuple(r for r in a.reasons if r.holds or not r.fields or not r.fields <= released)


def _deny(a: Assessment) -> Decision:
    if all(r.holds for r in a.reasons):
        a.fails("default_deny", "nothing requested could be released", "Accord default deny")
    return Decision(Effect.DENY, frozenset(), (), tuple(a.reasons), (LEDGER_ENTRY,),
                    a.agreement.id if a.agreement else None,
                    a.agreement.version if a.agreement else None)
