"""The eligibility cross-check end to end, through the command line (issue 17): each node encodes
and submits, the hub links, decides and records, each party fetches its results, and the school's
node resolves its certified list to its own student ids."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.workflows.case_county import ledger_entries, read_rows, use_hub
from tests.workflows.crosscheck_county import AGREEMENT, AT, OFFICER, County, build_county

DEFINITION = {"agreement": AGREEMENT, "school": "lea", "school_recipient": "ew.lea", "programs": ["dss"],
              "program_receives": ["enrolled_in_district"], "program_recipients": {"dss": "ew.dss"}}


@pytest.fixture
def county(db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[County]:
    use_hub(monkeypatch, tmp_path, db_url)
    county = build_county(tmp_path, db_url)
    definition = tmp_path / "dc.json"
    definition.write_text(json.dumps(DEFINITION), encoding="utf-8")
    county.ok("crosscheck", "define", str(definition), "--by", OFFICER)
    yield county


def _ledger(county: County) -> list[dict[str, object]]:
    return ledger_entries(county.db_url)


def _truly_listed(county: County, programs: set[str]) -> set[str]:
    """Students who are on the DSS list under one of `programs` (by the synth's truth)."""
    on_list = {county.truth[r] for r, p in county.program_of.items() if p in programs}
    school = {r["record_id"] for r in read_rows(county.root / "students.csv")}
    return {s for s in school if county.truth[s] in on_list}


def test_a_run_certifies_the_listed_children_and_each_party_learns_only_its_flag(county: County) -> None:
    county.ok("state-law", "set", "--by", OFFICER, "--programs", "snap,tanf")
    county.submit_both()
    run = county.run()
    assert not county.names & set(county.shown.split()), "the run printed a name"
    figures = county.report(run)
    certified = county.certified(run)
    truly = _truly_listed(county, {"snap", "tanf"})
    right = {s for s in certified if s in truly}
    assert len(right) >= 0.97 * len(truly), (len(right), len(truly))
    assert len(right) >= 0.999 * len(certified), (len(right), len(certified))
    assert set(certified.values()) <= {"snap", "tanf"}
    assert figures["certified"] == len(certified)
    students = len(read_rows(county.root / "students.csv"))
    assert figures["rosters"] == {"dss": len(county.program_of), "lea": students}
    rate = figures["match_rate"]
    assert isinstance(rate, dict) and rate["snap_school_age"] > 0 and rate["rate"] > 0.5
    assert figures["newly_certified"] is None  # the first run
    # The program agency learned, of its listed children, only that they are enrolled.
    dss = county.root / "dss-results.csv"
    county.ok("crosscheck", "results", str(run), "--agency", "dss", "--out", str(dss))
    rows = read_rows(dss)
    assert rows and {r["released"] for r in rows} == {"enrolled_in_district"}
    assert {r["record_id"][:2] for r in rows} == {"p-"}
    # Every certified child has a decision in the ledger citing direct certification; the run too.
    entries = _ledger(county)
    decisions = [e for e in entries if e["kind"] == "disclosure_decision"
                 and e["body"]["request"]["purpose"] == "eligibility_verification"]  # type: ignore[index]
    permitted = [e for e in decisions if e["body"]["decision"]["effect"] == "permit"]  # type: ignore[index]
    assert len(permitted) == len(certified) + len(rows)
    runs = [e for e in entries if e["kind"] == "eligibility_run" and "figures" in e["body"]]  # type: ignore[operator]
    assert len(runs) == 1 and runs[0]["body"]["encodings_deleted"] == ["dss", "lea"]  # type: ignore[index]
    assert not list(Path(county.root / "data" / "hub").glob("crosschecks/*/*/*.parquet"))


def test_the_states_programs_decide_what_certifies(county: County) -> None:
    # Left at the default (SNAP only), TANF's children are refused by the policy, not certified.
    county.submit_both()
    run = county.run()
    certified = county.certified(run)
    assert set(certified.values()) == {"snap"}
    figures = county.report(run)
    assert figures["refused_by_policy"], figures


def test_a_rerun_on_the_same_submissions_gives_the_same_children(county: County) -> None:
    county.submit_both()
    first = county.run()
    county.submit_both()
    second = county.run("2026-12-29T10:00")
    assert county.certified(first) == county.certified(second)
    figures = county.report(second)
    assert figures["newly_certified"] == 0 and figures["lost_since_last_run"] == 0


def test_uncertain_matches_wait_for_the_officer_and_the_decision_is_kept(county: County) -> None:
    # A cross-check that certifies only near-certain matches leaves some for the officer.
    strict = county.root / "strict.json"
    strict.write_text(json.dumps({**DEFINITION, "certify_from": 0.99999}), encoding="utf-8")
    county.ok("crosscheck", "define", str(strict), "--by", OFFICER)
    county.ok("state-law", "set", "--by", OFFICER, "--programs", "snap,tanf")
    county.submit_both()
    first = county.run()
    listed = county.ok("crosscheck", "review", "list", "--agreement", AGREEMENT)
    assert not county.names & set(listed.split()), "the review queue showed a name"
    reviews = [line.split("│")[1].strip() for line in listed.splitlines()
               if line.count("│") >= 4 and line.split("│")[1].strip().isdigit()]
    pending = county.report(first)["matches"]["review_pending"]  # type: ignore[index]
    assert len(reviews) == pending > 0
    refused = county("crosscheck", "review", "decide", reviews[0], "--accept", "--by", "ew.lea")
    assert refused.exit_code == 2 and "records officer" in refused.output
    county.ok("crosscheck", "review", "decide", reviews[0], "--accept", "--by", OFFICER)
    county.submit_both()
    second = county.run("2026-12-29T10:00")
    assert county.report(second)["by_basis"].get("reviewed", 0) >= 1  # type: ignore[union-attr]
    again = county("crosscheck", "review", "decide", reviews[0], "--reject", "--by", OFFICER)
    assert again.exit_code == 2 and "already" in again.output


def test_bad_submissions_are_one_line_and_nothing_is_kept(county: County) -> None:
    encoded, copy = county.encode("dss", county.root / "dss-list.csv", "dsa-health")
    wrong = county("crosscheck", "submit", "--agreement", AGREEMENT, "--agency", "dss", "--encoded",
                   str(encoded), "--copy", str(copy), "--at", AT)
    assert wrong.exit_code == 2 and "encoded for agreement dsa-health" in wrong.output
    encoded, copy = county.encode("dss", county.root / "dss-list.csv")
    clear = county("crosscheck", "submit", "--agreement", AGREEMENT, "--agency", "dss", "--encoded",
                   str(encoded), "--copy", str(county.root / "dss-list.csv"), "--at", AT)
    assert clear.exit_code == 2 and "never reach the hub" in clear.output
    stranger = county("crosscheck", "submit", "--agreement", AGREEMENT, "--agency", "court", "--encoded",
                      str(encoded), "--copy", str(copy), "--at", AT)
    assert stranger.exit_code == 2 and "takes no part" in stranger.output
    early = county("crosscheck", "run", "--agreement", AGREEMENT, "--by", "ew.lea", "--at", AT)
    assert early.exit_code == 2 and "no submission yet from dss, lea" in early.output
    for result in (wrong, clear, stranger, early):
        assert "Traceback" not in result.output and len(result.output.strip().splitlines()) == 1
    assert not list((county.root / "data" / "hub").glob("crosschecks/*/*/*"))
