"""The service's routes, one module per concern, each with a `router`. `ROUTES` lists them: a module
named here is served under `/api/v1`, except those in `AT_ROOT` (health and metrics, for whoever
runs the service). A new module is added to one of the two tuples, nowhere else."""

from __future__ import annotations

AT_ROOT = ("health", "metrics")
ROUTES = ("session", "me", "agreements", "studies", "nodes", "cases", "family", "consents", "training",
          "state_law", "ledger", "crosschecks", "people", "agreement_lifecycle", "study_lifecycle",
          "notices", "oidc", "descriptors")
