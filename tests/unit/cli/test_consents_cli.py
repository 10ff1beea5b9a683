"""`accord consents`: record (validated), show, FHIR export, revoke, confirm."""

from __future__ import annotations

import json
from typing import Any

from tests.unit.cli.conftest import Cli


def consent(**changes: Any) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "id": "c-1", "student_id": "stu-1", "signer_role": "parent",
        "data_elements": ["grade_level"], "purposes": ["supportive_services"],
        "recipient_agency_ids": ["health"], "recipient_roles": ["caseworker"],
        "signed_on": "2026-01-20", "language": "es", "method": "paper_scan",
        "evidence_ref": "scan-0001", "starts_on": "2026-01-20", "ends_on": "2027-01-20",
        "discloser_agency_id": "lea",
    }
    doc.update(changes)
    return doc


def with_student(cli: Cli, turns_18_in: str = "2030-05") -> Cli:
    cli.ok("students", "add", "--id", "stu-1", "--school", "lea", "--turns-18-in", turns_18_in)
    return cli


def test_record_show_and_revoke(ready: Cli) -> None:
    cli = with_student(ready)
    assert "recorded" in cli.ok("consents", "record", cli.write_json("c.json", consent())).output
    shown = cli.ok("consents", "show", "c-1", "--at", "2026-02-01T10:00").output
    assert "in force" in shown and "yes" in shown and "es / paper_scan" in shown
    cli.ok("consents", "revoke", "c-1", "--at", "2026-03-01T09:00")
    shown = cli.ok("consents", "show", "c-1", "--at", "2026-04-01T10:00").output
    assert "2026-03-01 09:00:00" in shown
    again = cli("consents", "revoke", "c-1")
    assert again.exit_code == 1 and "already revoked" in again.output


def test_an_invalid_consent_is_refused_with_every_defect(ready: Cli) -> None:
    cli = with_student(ready)
    bad = consent(purposes=[], signed_on=None, method="electronic_signature")
    result = cli("consents", "record", cli.write_json("c.json", bad))
    assert result.exit_code == 1
    for text in ("states no purpose", "34 CFR 99.30(b)(2)", "not signed and dated",
                 "does not identify and authenticate", "34 CFR 99.30(d)"):
        assert text in result.output
    assert cli("consents", "show", "c-1").exit_code == 2  # nothing stored


def test_a_parent_cannot_consent_for_a_student_whose_rights_have_passed(ready: Cli) -> None:
    # The student turned 18 in 2025; a parent's signature of January 2026 is refused when recorded.
    cli = with_student(ready, turns_18_in="2025-06")
    result = cli("consents", "record", cli.write_json("c.json", consent()))
    assert result.exit_code == 1 and "when FERPA rights had passed to the student" in result.output
    assert "34 CFR 99.5(a)" in result.output and cli("consents", "show", "c-1").exit_code == 2
    signed_by_her = cli.write_json("s.json", consent(signer_role="student"))
    assert "recorded" in cli.ok("consents", "record", signed_by_her).output


def test_unknown_student_is_bad_input_without_echoing_the_id(ready: Cli) -> None:
    result = ready("consents", "record", ready.write_json("c.json", consent(student_id="stu-secret")))
    assert result.exit_code == 2
    assert "student_id" in result.output and "stu-secret" not in result.output


def test_fhir_export_shape(ready: Cli) -> None:
    cli = with_student(ready)
    cli.ok("consents", "record", cli.write_json("c.json", consent(forms=["ferpa"])))
    out = cli.ok("consents", "show", "c-1", "--fhir", "--at", "2026-02-01T10:00").output
    resource = json.loads(out)
    assert resource["resourceType"] == "Consent" and resource["id"] == "c-1"
    assert resource["status"] == "active"
    assert resource["patient"] == {"reference": "Patient/stu-1"}
    provision = resource["provision"]
    assert provision["type"] == "permit"
    assert provision["period"] == {"start": "2026-01-20", "end": "2027-01-20"}
    assert [c["code"] for c in provision["class"]] == ["grade_level"]
    assert provision["purpose"][0]["code"] == "COC"
    assert {"reference": {"reference": "Organization/health"}}.items() <= provision["actor"][0].items()
    assert resource["policy"] == [{"uri": "https://www.ecfr.gov/current/title-34/part-99/section-99.30"}]
    cli.ok("consents", "revoke", "c-1", "--at", "2026-03-01T09:00")
    after = json.loads(cli.ok("consents", "show", "c-1", "--fhir", "--at", "2026-04-01T00:00").output)
    assert after["status"] == "inactive" and after["provision"]["period"]["end"] == "2026-03-01"


def test_confirm_needs_an_eligible_student(ready: Cli) -> None:
    cli = with_student(ready, turns_18_in="2026-03")
    cli.ok("consents", "record", cli.write_json("c.json", consent()))
    early = cli("consents", "confirm", "c-1", "--on", "2026-01-01")
    assert early.exit_code == 1 and "does not hold FERPA rights" in early.output
    assert cli("consents", "confirm", "c-1", "--on", "2026-02-28").exit_code == 1
    # In the month the student turns 18 the hub does not know the day: the student may confirm.
    assert "confirmed" in cli.ok("consents", "confirm", "c-1", "--on", "2026-03-02").output
    assert "2026-03-02" in cli.ok("consents", "show", "c-1").output
