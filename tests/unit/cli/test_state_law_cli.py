"""`accord state-law`: the records officer records the state's choices; each change is one ledger
entry, and show names it."""

from __future__ import annotations

import json
from typing import Any

from tests.unit.cli.conftest import Cli


def _entries(cli: Cli) -> list[dict[str, Any]]:
    out = cli.data_dir.parent / "ledger.jsonl"
    cli.ok("ledger", "export", "--out", str(out))
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    return [x["entry"] for x in lines if "entry" in x]


def test_show_before_anything_is_recorded(ready: Cli) -> None:
    out = ready.ok("state-law", "show").output
    assert "defaults, never recorded" in out and "not elected" in out and "snap" in out
    shown = json.loads(ready.ok("state-law", "show", "--json").output)
    assert shown["recorded_in"] is None and shown["direct_certification_programs"] == ["snap"]


def test_set_writes_one_ledger_entry_and_show_names_it(ready: Cli) -> None:
    out = ready.ok("state-law", "set", "--by", "u-officer", "--medicaid-election",
                   "--notice-on", "2026-08-15", "--programs", "snap,tanf").output
    assert "ledger entry #1" in out
    [entry] = _entries(ready)
    assert entry["kind"] == "state_law_changed" and entry["student"] is None
    body = entry["body"]
    assert body["by"] == "u-officer" and body["replaces"] is None
    assert body["before"]["direct_certification_programs"] == ["snap"]
    assert body["after"] == {
        "medicaid_meal_status_election": True, "medicaid_meal_notice_on": "2026-08-15",
        "direct_certification_programs": ["snap", "tanf"],
        "minor_may_consent_to_sud_treatment": True, "required_course_ids": ["ferpa-basics"]}
    shown = ready.ok("state-law", "show").output
    assert "recorded in ledger entry #1" in shown and "snap, tanf" in shown
    assert "2026-08-15" in shown and "elected" in shown
    assert json.loads(ready.ok("state-law", "show", "--json").output)["recorded_in"] == 1


def test_a_second_change_replaces_the_first_and_the_same_settings_are_no_change(ready: Cli) -> None:
    ready.ok("state-law", "set", "--by", "u-officer", "--programs", "snap,fdpir")
    again = ready.ok("state-law", "set", "--by", "u-officer", "--programs", "fdpir,snap").output
    assert "No change" in again and "ledger entry #1" in again
    assert len(_entries(ready)) == 1
    ready.ok("state-law", "set", "--by", "u-officer", "--no-minor-sud-consent")
    entries = _entries(ready)
    assert len(entries) == 2 and entries[1]["body"]["replaces"] == 1
    law = json.loads(ready.ok("state-law", "show", "--json").output)
    assert law["recorded_in"] == 2 and law["direct_certification_programs"] == ["fdpir", "snap"]
    assert law["minor_may_consent_to_sud_treatment"] is False


def test_the_defaults_can_be_recorded_as_they_are(ready: Cli) -> None:
    """Recording the defaults is a change of record: decisions then cite the officer's entry."""
    out = ready.ok("state-law", "set", "--by", "u-officer", "--programs", "snap").output
    assert "ledger entry #1" in out and len(_entries(ready)) == 1


def test_a_caseworker_is_refused_in_one_line(ready: Cli) -> None:
    result = ready("state-law", "set", "--by", "u-nurse", "--programs", "snap,tanf")
    assert result.exit_code == 1
    assert result.output.count("\n") == 1 and "only a records officer" in result.output
    assert "Traceback" not in result.output
    unknown = ready("state-law", "set", "--by", "nobody", "--programs", "snap")
    assert unknown.exit_code == 2 and "--by" in unknown.output
    assert _entries(ready) == []


def test_an_election_needs_the_day_households_were_notified(ready: Cli) -> None:
    result = ready("state-law", "set", "--by", "u-officer", "--medicaid-election")
    assert result.exit_code == 2 and result.output.count("\n") == 1
    assert "--notice-on" in result.output
    assert _entries(ready) == []
    assert "defaults, never recorded" in ready.ok("state-law", "show").output


def test_bad_input_is_one_line(ready: Cli) -> None:
    for args, words in [(("--programs", "snap,lottery"), "lottery"),
                        (("--programs", "tanf"), "must include snap"),
                        (("--programs", "snap,chip"), "chip is not a program"),
                        (("--notice-on", "last week"), "--notice-on"),
                        ((), "nothing to set")]:
        result = ready("state-law", "set", "--by", "u-officer", *args)
        assert result.exit_code == 2, (args, result.output)
        assert words in result.output and result.output.count("\n") == 1, result.output
    assert _entries(ready) == []
