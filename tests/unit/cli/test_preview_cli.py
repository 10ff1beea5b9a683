"""`accord preview`: what a consent, a student's record or an agreement would let go."""

from __future__ import annotations

from tests.unit.cli.conftest import Cli
from tests.unit.cli.test_training_and_decide_cli import _world

AT = ("--at", "2026-02-01T10:00")


def test_consent_preview_names_the_recipient_fields_and_basis(ready: Cli) -> None:
    cli = _world(ready)
    out = cli.ok("preview", "consent", "c-1", *AT).output
    assert "health" in out and "caseworker" in out and "Attendance" in out
    assert "consent (34 CFR 99.30)" in out


def test_revoked_consent_previews_less(ready: Cli) -> None:
    cli = _world(ready)
    cli.ok("consents", "revoke", "c-1", "--at", "2026-01-25T00:00")
    out = cli.ok("preview", "consent", "c-1", *AT).output
    assert "34 CFR 99.30" not in out and "Attendance" not in out


def test_agreement_preview_separates_what_needs_consent(ready: Cli) -> None:
    cli = _world(ready)
    out = cli.ok("preview", "agreement", "dsa-1", *AT).output
    assert "needs consent" in out and "Attendance" in out
    assert "without consent" in out


def test_student_preview_and_unknown_ids(ready: Cli) -> None:
    cli = _world(ready)
    assert "Attendance" in cli.ok("preview", "student", "stu-1", *AT).output
    missing = cli("preview", "student", "stu-404")
    assert missing.exit_code == 2 and "no such student" in missing.output
    assert cli("preview", "consent", "c-404").exit_code == 2
