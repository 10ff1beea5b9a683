"""`accord agreements`: create, validate, sign, activate, terminate, certify destruction."""

from __future__ import annotations

from typing import Any

from tests.unit.cli.conftest import Cli

SIGNED = [{"agency_id": "lea", "signatory_title": "Superintendent", "signed_on": "2026-01-10"},
          {"agency_id": "health", "signatory_title": "Director", "signed_on": "2026-01-11"}]


def memorandum(**changes: Any) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "id": "em-1", "title": "County enterprise MOU", "layer": "enterprise_memorandum",
        "source_agency_ids": ["lea"], "recipient_agency_ids": ["health"],
        "purposes": ["supportive_services"], "legal_bases": ["consent"],
        "data_elements": ["grade_level", "enrollment_status"],
        "recipient_roles": ["caseworker"], "permitted_uses": "service planning for consented children",
        "effective_on": "2026-01-01", "ends_on": "2027-12-31", "destruction_deadline": "2028-03-31",
        "destruction_method": "secure deletion, certified in writing",
        "safeguards": ["encryption at rest", "role-based access"], "signatures": SIGNED,
    }
    doc.update(changes)
    return doc


def test_a_complete_agreement_validates_and_activates(ready: Cli) -> None:
    ready.ok("agreements", "create", ready.write_json("em.json", memorandum()))
    assert "every required element" in ready.ok("agreements", "validate", "em-1", "--on", "2026-02-01").output
    assert "is active" in ready.ok("agreements", "activate", "em-1", "--on", "2026-02-01").output
    shown = ready.ok("agreements", "show", "em-1").output
    assert "active" in shown and "Superintendent" in shown
    assert "em-1" in ready.ok("agreements", "list").output
    again = ready("agreements", "activate", "em-1")
    assert again.exit_code == 1 and "not a draft" in again.output
    early = ready("agreements", "certify-destruction", "em-1", "--on", "2026-05-01")
    assert early.exit_code == 1 and "only after" in early.output  # still active: refused
    assert "terminated" in ready.ok("agreements", "terminate", "em-1", "--on", "2026-06-01").output
    ready.ok("agreements", "certify-destruction", "em-1", "--on", "2026-07-01")
    assert "destruction_certified" in ready.ok("agreements", "show", "em-1").output


def test_validate_lists_every_missing_element_with_its_citation(ready: Cli) -> None:
    incomplete = memorandum(purposes=[], permitted_uses="", destruction_deadline=None,
                            safeguards=[], signatures=SIGNED[:1])
    ready.ok("agreements", "create", ready.write_json("em.json", incomplete))
    result = ready("agreements", "validate", "em-1")
    assert result.exit_code == 1
    out = result.output
    for code, citation in (("purpose", "34 CFR 99.35(a)(3)(ii)"),
                           ("permitted_uses", "34 CFR 99.35(a)(3)(ii)(C)"),
                           ("destruction_deadline", "34 CFR 99.35(a)(3)(iii)"),
                           ("safeguards", "34 CFR 99.35(a)(3)(iv)"),
                           ("signature", "34 CFR 99.35(a)(3)")):
        assert code in out and citation in out
    assert "the signature of party health" in out
    assert "5 missing" in out


def test_activation_refused_lists_the_missing_elements(ready: Cli) -> None:
    ready.ok("agreements", "create", ready.write_json("em.json", memorandum(signatures=[], ends_on=None)))
    result = ready("agreements", "activate", "em-1")
    assert result.exit_code == 1
    assert "effective and end dates" in result.output and "signature of party lea" in result.output
    shown = ready.ok("agreements", "show", "em-1").output
    assert "draft" in shown  # nothing was changed


def test_signing_then_activating(ready: Cli) -> None:
    ready.ok("agreements", "create", ready.write_json("em.json", memorandum(signatures=[])))
    ready.ok("agreements", "sign", "em-1", "--agency", "lea", "--title", "Superintendent",
             "--on", "2026-01-05")
    assert ready("agreements", "activate", "em-1").exit_code == 1
    ready.ok("agreements", "sign", "em-1", "--agency", "health", "--title", "Director",
             "--on", "2026-01-06")
    ready.ok("agreements", "activate", "em-1", "--on", "2026-01-07")
    outsider = ready("agreements", "sign", "em-1", "--agency", "cws", "--title", "X")
    assert outsider.exit_code == 1  # active now: no more signing


def test_bad_files_name_the_file_and_field(ready: Cli) -> None:
    bad = ready.write_json("bad.json", memorandum(purposes=["gossip"]))
    result = ready("agreements", "create", bad)
    assert result.exit_code == 2
    assert "bad.json" in result.output and "'purposes'" in result.output
    assert "Traceback" not in result.output
    result = ready("agreements", "create", ready.write_json("d.json", memorandum(ends_on="soon")))
    assert result.exit_code == 2 and "'ends_on'" in result.output
    missing = ready("agreements", "create", str(ready.data_dir / "nope.json"))
    assert missing.exit_code == 2 and "no such file" in missing.output
    (ready.data_dir / "broken.json").write_text("{", encoding="utf-8")
    broken = ready("agreements", "create", str(ready.data_dir / "broken.json"))
    assert broken.exit_code == 2 and "not valid JSON" in broken.output
    no_id = ready("agreements", "create", ready.write_json("n.json", memorandum(id=None)))
    assert no_id.exit_code == 2 and "field 'id' is required" in no_id.output


def test_unknown_agency_and_duplicate_create_are_bad_input(ready: Cli) -> None:
    ghost = ready("agreements", "create", ready.write_json("g.json", memorandum(source_agency_ids=["ghost"])))
    assert ghost.exit_code == 2 and "not registered" in ghost.output
    path = ready.write_json("em.json", memorandum())
    ready.ok("agreements", "create", path)
    dup = ready("agreements", "create", path)
    assert dup.exit_code == 2 and "exists already" in dup.output
    assert ready("agreements", "show", "nope").exit_code == 2
