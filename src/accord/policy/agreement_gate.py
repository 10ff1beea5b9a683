"""Find the active agreement that covers a request, honouring the three agreement layers."""

from __future__ import annotations

from accord.domain.agreements import Agreement, AgreementLayer, AgreementStatus
from accord.policy.assessment import Assessment, field_list

_CITE = "34 CFR 99.35(a)(3); Accord: no exchange without an active written agreement"
_LAYERS = "Accord layered agreements"


def _latest_versions(agreements: tuple[Agreement, ...]) -> dict[str, Agreement]:
    latest: dict[str, Agreement] = {}
    for ag in agreements:
        # An amendment still in draft does not displace the active version it amends.
        if ag.status is AgreementStatus.DRAFT and ag.id in latest:
            continue
        held = latest.get(ag.id)
        if held is None or held.status is AgreementStatus.DRAFT or ag.version > held.version:
            latest[ag.id] = ag
    return latest


def _chain(a: Assessment, ag: Agreement, by_id: dict[str, Agreement]) -> tuple[frozenset[str], list[str]]:
    """Elements the whole chain grants (a lower layer cannot grant more than the one above
    it), and every problem with the agreements above this one."""
    problems: list[str] = []
    elements, node, seen = ag.data_elements, ag, {ag.id}
    role = a.requester.role
    while node.parent_id is not None:
        parent = by_id.get(node.parent_id)
        if parent is None or parent.id in seen:
            problems.append(f"its parent agreement {node.parent_id} is not on file")
            break
        if not parent.in_force(a.on):
            problems.append(f"its parent agreement {parent.id} is {parent.status_on(a.on).value}")
        if role not in parent.recipient_roles:
            problems.append(f"its parent agreement {parent.id} does not permit the role "
                            f"{role.value}")
        elements = elements & parent.data_elements
        seen.add(parent.id)
        node = parent
    return elements, problems


def covering_agreement(a: Assessment, fields: frozenset[str]) -> bool:
    """Select the best in-force agreement; record why every other candidate fails."""
    r, role = a.request, a.requester.role
    by_id = _latest_versions(a.facts.agreements)
    candidates = [
        ag for ag in by_id.values()
        if ag.layer is not AgreementLayer.ENTERPRISE_MEMORANDUM
        and r.source_agency_id in ag.source_agency_ids
        and a.recipient.id in ag.recipient_agency_ids
        and r.purpose in ag.purposes
    ]
    best: tuple[int, int, str] | None = None
    problems: list[str] = []
    for ag in candidates:
        issues = []
        if not ag.in_force(a.on):
            issues.append(f"is {ag.status_on(a.on).value}")
        if role not in ag.recipient_roles:
            issues.append(f"does not permit the role {role.value}")
        granted, chain_issues = _chain(a, ag, by_id)
        issues += chain_issues
        if issues:
            problems.append(f"agreement {ag.id} v{ag.version}: " + "; ".join(issues))
            continue
        rank = (len(fields & granted), ag.layer is AgreementLayer.DATA_USE_LICENCE, ag.id)
        if best is None or rank > best:
            best = rank
            a.agreement, a.agreement_fields = ag, granted
    if a.agreement is None:
        if not problems:
            problems.append(f"no agreement between {r.source_agency_id} and {a.recipient.id} "
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
