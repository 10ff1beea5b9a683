"""`accord training` and `accord decide` end to end through the store."""

from __future__ import annotations

from tests.unit.cli.conftest import Cli
from tests.unit.cli.test_agreements_cli import memorandum
from tests.unit.cli.test_consents_cli import consent, with_student


def test_courses_completions_and_status(ready: Cli) -> None:
    ready.ok("training", "courses", "add", "--id", "ferpa-basics", "--title", "FERPA basics")
    ready.ok("training", "courses", "add", "--id", "extra", "--title", "Extra", "--optional")
    assert "FERPA basics" in ready.ok("training", "courses", "list").output
    before = ready.ok("training", "status", "--user", "u-nurse", "--on", "2026-02-01").output
    assert "missing or expired" in before
    ready.ok("training", "complete", "--user", "u-nurse", "--course", "ferpa-basics", "--on", "2026-01-15")
    after = ready.ok("training", "status", "--user", "u-nurse", "--on", "2026-02-01").output
    assert "current" in after and "2027-01-15" in after and "Training is current" in after
    unknown = ready("training", "complete", "--user", "u-nurse", "--course", "nope")
    assert unknown.exit_code == 2 and "--course" in unknown.output


def _world(cli: Cli) -> Cli:
    with_student(cli)
    em = memorandum(data_elements=["attendance", "grade_level"])
    cli.ok("agreements", "create", cli.write_json("em.json", em))
    dsa = memorandum(id="dsa-1", layer="data_sharing_agreement", parent_id="em-1",
                     data_elements=["attendance"])
    cli.ok("agreements", "create", cli.write_json("dsa.json", dsa))
    cli.ok("agreements", "activate", "em-1", "--on", "2026-01-12")
    cli.ok("agreements", "activate", "dsa-1", "--on", "2026-01-12")
    cli.ok("consents", "record", cli.write_json("c.json", consent(data_elements=["attendance"])))
    cli.ok("training", "courses", "add", "--id", "ferpa-basics", "--title", "FERPA basics")
    cli.ok("training", "complete", "--user", "u-nurse", "--course", "ferpa-basics", "--on", "2026-01-15")
    return cli


ASK = ("decide", "--requester", "u-nurse", "--student", "stu-1", "--source", "lea",
       "--purpose", "supportive_services", "--at", "2026-02-01T10:00")


def test_decide_permits_with_agreement_consent_and_training(ready: Cli) -> None:
    cli = _world(ready)
    out = cli.ok(*ASK, "--field", "attendance").output
    assert "PERMIT" in out and "Released: attendance" in out
    assert "dsa-1" in out and "34 CFR 99.30" in out
    assert "Reasons" in out


def test_decide_denies_after_revocation_and_still_exits_0(ready: Cli) -> None:
    cli = _world(ready)
    cli.ok("consents", "revoke", "c-1", "--at", "2026-01-25T00:00")
    out = cli.ok(*ASK, "--field", "attendance").output
    assert "DENY" in out and "Released: nothing" in out


def test_decide_rejects_bad_input(ready: Cli) -> None:
    unknown = ready(*ASK, "--field", "shoe_size")
    assert unknown.exit_code == 2 and "shoe_size" in unknown.output
    assert ready(*ASK[:-2], "--at", "yesterday", "--field", "grade_level").exit_code == 2
    assert ready(*ASK[:8], "gossip", "--field", "grade_level").exit_code == 2


def test_decide_takes_the_program_the_request_is_for(ready: Cli) -> None:
    cli = _world(ready)
    out = cli.ok(*ASK, "--field", "meal_eligibility_status", "--program", "wic").output
    assert "DENY" in out and "does not administer wic" in out
    assert cli(*ASK, "--field", "attendance", "--program", "lottery").exit_code == 2
