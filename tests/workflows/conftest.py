"""Fixtures shared by the workflow tests."""

from tests.workflows.intake_hub import hub  # noqa: F401 (the intake tests' hub fixture)
