"""Find the active agreement that covers a request, honouring the three agreement layers."""

from __future__ import annotations

from datetime import date

from accord.domain.agencies import Role
from accord.domain.agreements import Agreement, AgreementLayer, AgreementStatus
from accord.policy.assessment import Assessment, field_list

_CITE = "34 CFR 99.35(a)(3); Accord: no exchange without an active written agreement"
_LAYERS = "Accord layered agreements"
_MEMORANDUM = AgreementLayer.ENTERPRISE_MEMORANDUM
_LICENCE = AgreementLayer.DATA_USE_LICENCE


def _latest_versions(agreements: tuple[Agreement, ...]) -> dict[str, Agreement]:
    latest = {ag.id: ag for ag in agreements}
    if len(latest) == len(agreements):
        return latest  # the usual case: one version of each agreement
    latest = {}
    for ag in agreements:
        # An amendment still in draft does not displace the active version it amends.
        if ag.status is AgreementStatus.DRAFT and ag.id in latest:
            continue
        held = latest.get(ag.id)
        if held is None or held.status is AgreementStatus.DRAFT or ag.version > held.version:
            latest[ag.id] = ag
    return latest


# (elements granted by the agreement and all above it, problems with the agreements above it,
#  the agreement's own problem as seen from below)
Chain = tuple[frozenset[str], tuple[str, ...], str | None]


def _chain(ag: Agreement, by_id: dict[str, Agreement], on: date, role: Role,
           memo: dict[str, Chain], depth: int = 0) -> Chain:
    """A lower layer cannot grant more than the one above it: intersect up the chain, and
    collect every problem above. `memo` keeps each agreement's chain for this decision,
    since sibling agreements share their parents."""
    known = memo.get(ag.id)
    if known is not None:
        return known
    elements: frozenset[str] = ag.data_elements
    problems: tuple[str, ...] = ()
    if ag.parent_id is not None:
        parent = by_id.get(ag.parent_id)
        if parent is None or depth > len(by_id):
            problems = (f"its parent agreement {ag.parent_id} is not on file",)
        else:
            above, above_problems, parent_problem = _chain(parent, by_id, on, role, memo, depth + 1)
            elements = elements & above
            problems = ((parent_problem,) if parent_problem else ()) + above_problems
    own = _own_problem(ag, on, role)
    chain = (elements, problems, f"its parent agreement {own}" if own else None)
    memo[ag.id] = chain
    return chain


def _own_problem(ag: Agreement, on: date, role: Role) -> str | None:
    issues = []
    status = ag.status_on(on)
    if status is not AgreementStatus.ACTIVE:
        issues.append(f"is {status.value}")
    if role not in ag.recipient_roles:
        issues.append(f"does not permit the role {role.value}")
    return f"{ag.id} " + " and ".join(issues) if issues else None


def covering_agreement(a: Assessment, fields: frozenset[str]) -> bool:
    """Select the in-force agreement that grants the most of the request (a data-use licence
    before a broader agreement; then the smallest id, so the choice never depends on order);
    record why every other candidate fails."""
    r, role, on, recipient = a.request, a.requester.role, a.on, a.recipient.id
    source, purpose = r.source_agency_id, r.purpose
    by_id = _latest_versions(a.facts.agreements)
    best: tuple[int, bool] = (-1, False)
    best_id = ""
    problems: list[str] = []
    memo: dict[str, Chain] = {}
    for ag in by_id.values():
        if (ag.layer is _MEMORANDUM or source not in ag.source_agency_ids
                or recipient not in ag.recipient_agency_ids or purpose not in ag.purposes):
            continue
        is_licence = ag.layer is _LICENCE
        bound = (len(fields & ag.data_elements), is_licence)
        if bound < best or (bound == best and ag.id > best_id):
            continue  # cannot beat the agreement already chosen; its problems are moot
        granted, chain_issues, own = _chain(ag, by_id, on, role, memo)
        if own is not None or chain_issues:
            mine = (own.removeprefix("its parent agreement "),) if own else ()
            problems.append(f"agreement {ag.id} v{ag.version}: " + "; ".join(mine + chain_issues))
            continue
        rank = (len(fields & granted), is_licence)
        if rank > best or (rank == best and ag.id < best_id):
            best, best_id = rank, ag.id
            a.agreement, a.agreement_fields = ag, granted
    if a.agreement is None:
        if not problems:
            problems.append(f"no agreement between {r.source_agency_id} and {recipient} "
                            f"covers {r.purpose.value.replace('_', ' ')}")
        for p in problems:
            a.fails("agreement", p, _CITE, fields)
        return False
    ag = a.agreement
    a.holds("agreement", f"agreement {ag.id} v{ag.version} is active and covers this purpose",
            _CITE)
    outside = fields - a.agreement_fields
    if outside:
        a.fails("outside_agreement", f"not among the data elements of agreement {ag.id} "
                f"(or of the agreements above it): {field_list(outside)}",
                "34 CFR 99.35(a)(3)(ii); " + _LAYERS, outside)
    return True
