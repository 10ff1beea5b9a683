"""`accord ledger`: every change and decision is recorded; checkpoint, verify, prove, export."""

from __future__ import annotations

import json
import os

from sqlalchemy import text

from accord.store.db import make_engine
from tests.unit.cli.conftest import Cli
from tests.unit.cli.test_training_and_decide_cli import ASK, _world


def _ledger_world(ready: Cli) -> Cli:
    cli = _world(ready)  # 2 activations and a consent recorded: 3 entries
    cli.ok(*ASK, "--field", "attendance")  # a decision: entry 4
    return cli


def test_changes_and_decisions_are_recorded_and_verify(ready: Cli) -> None:
    cli = _ledger_world(ready)
    out = cli.ok("ledger", "checkpoint").output
    assert "Checkpoint: 4 entries" in out and "Copies for 2 agencies" in out
    witnesses = cli.data_dir / "witnesses"
    assert len(list(witnesses.rglob("checkpoint-*.json"))) == 2
    verified = cli.ok("ledger", "verify", "--witness", str(witnesses)).output
    assert "The ledger verifies" in verified and "Entries: 4" in verified
    proof = cli.ok("ledger", "prove", "4").output
    assert "The proof verifies." in proof and '"tree_size": 4' in proof


def test_export_is_the_hashed_text(ready: Cli) -> None:
    cli = _ledger_world(ready)
    cli.ok("ledger", "checkpoint")
    out = cli.data_dir.parent / "ledger.jsonl"
    cli.ok("ledger", "export", "--out", str(out))
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    entries = [x for x in lines if "entry" in x]
    assert [e["seq"] for e in entries] == [1, 2, 3, 4]
    kinds = [e["entry"]["kind"] for e in entries]
    assert kinds == ["agreement_activated", "agreement_activated", "consent_recorded",
                     "disclosure_decision"]
    decision = entries[3]["entry"]["body"]["decision"]
    assert decision["effect"] == "permit" and decision["released"] == ["attendance"]
    assert any("checkpoint" in x for x in lines)


def test_verify_names_the_first_tampered_entry(ready: Cli) -> None:
    cli = _ledger_world(ready)
    engine = make_engine(os.environ["ACCORD_DATABASE_URL"])
    with engine.begin() as conn:  # a database administrator switches the protection off
        if conn.dialect.name == "postgresql":
            conn.execute(text("ALTER TABLE ledger_entries DISABLE TRIGGER USER"))
        else:
            conn.execute(text("DROP TRIGGER ledger_entries_no_update"))
        conn.execute(text("UPDATE ledger_entries SET entry_json = replace(entry_json, "
                          "'attendance', 'discipline') WHERE seq = 3"))
    engine.dispose()
    result = cli("ledger", "verify")
    assert result.exit_code == 1
    assert "first problem at entry #3" in result.output and "edited" in result.output


def test_prove_an_entry_that_does_not_exist(ready: Cli) -> None:
    cli = _ledger_world(ready)
    missing = cli("ledger", "prove", "99")
    assert missing.exit_code == 2 and "no entry #99" in missing.output


def test_a_damaged_key_file_is_a_clear_error(ready: Cli) -> None:
    (ready.data_dir / "ledger-signing.key").write_text("not a key", encoding="utf-8")
    for command in (("ledger", "verify"), ("ledger", "checkpoint")):
        result = ready(*command)
        assert result.exit_code == 2 and "ledger signing key" in result.output
