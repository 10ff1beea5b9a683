"""Baseline for ADR 0003: how fast Cedar (cedarpy) answers a consent-shaped authorization.

Needs the optional extra: `pip install -e '.[bench]'`. Prints decisions/s for a policy set that
expresses only the consent path (agreement, training, consent covering the field), so the figure
is a ceiling for what Cedar would do for Accord, before reasons are reconstructed.
"""

from __future__ import annotations

import argparse
import time


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=2000)
    args = parser.parse_args()
    import cedarpy  # lazily: an optional benchmark dependency

    policies = """
    permit(principal, action == Action::"read", resource)
    when { principal.trained && resource.agreement_recipients.contains(principal.agency)
           && resource.agreement_fields.contains(resource.field)
           && resource.consent_recipients.contains(principal.agency)
           && resource.consent_fields.contains(resource.field) };
    forbid(principal, action, resource) when { resource.revoked };
    """
    entities = [{"uid": {"type": "User", "id": "cw"}, "parents": [],
                 "attrs": {"trained": True, "agency": "health"}}]
    requests = []
    for i in range(args.requests):
        rid = f"r{i}"
        entities.append({"uid": {"type": "Record", "id": rid}, "parents": [], "attrs": {
            "field": "attendance", "agreement_recipients": ["health"],
            "agreement_fields": ["attendance", "grades"], "consent_recipients": ["health"],
            "consent_fields": ["attendance"], "revoked": i % 5 == 0}})
        requests.append({"principal": 'User::"cw"', "action": 'Action::"read"',
                         "resource": f'Record::"{rid}"', "context": {}})
    best = 0.0
    for _ in range(3):
        start = time.perf_counter()
        results = cedarpy.is_authorized_batch(requests, policies, entities)
        elapsed = time.perf_counter() - start
        best = max(best, len(results) / elapsed)
    allowed = sum(1 for r in results if r.allowed)
    print(f"cedarpy is_authorized_batch: {best:,.0f} decisions/s "
          f"({allowed} permitted of {len(results)}; entities passed per batch)")


if __name__ == "__main__":
    main()
