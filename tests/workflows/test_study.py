"""A study end to end, through the command line (issue 18): registered, approved by every
contributing agency, built from the school's content and the SNAP/TANF office's list linked on
encodings, asked declarative questions whose answers pass disclosure control, and destroyed."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.workflows.case_county import ledger_entries, use_hub
from tests.workflows.crosscheck_county import (
    DSS_OFFICER,
    GRADES,
    OFFICER,
    STUDY_AGREEMENT,
    County,
    build_county,
)

STUDY = "study-meals"
DEFINITION = {"id": STUDY, "agreement": STUDY_AGREEMENT, "title": "Free meals and attendance",
              "purpose": "improve instruction: does attendance differ by meal benefits?",
              "scope": "grades 3-8, school year 2026-27", "school": "lea",
              "elements": ["attendance", "grade_level"], "analysts": ["an.univ"], "partners": ["dss"],
              "starts_on": "2026-09-01", "ends_on": "2027-06-30", "destroy_by": "2027-09-30",
              "rules": {"min_count": 10, "review": "none"}}
AT = "2026-11-30T10:00"


@pytest.fixture
def county(db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[County]:
    use_hub(monkeypatch, tmp_path, db_url)
    county = build_county(tmp_path, db_url)
    county.load_school_content()
    yield county


def _register(county: County, **changes: object) -> None:
    path = county.root / "study.json"
    path.write_text(json.dumps({**DEFINITION, **changes}), encoding="utf-8")
    county.ok("study", "register", str(path), "--by", OFFICER, "--at", AT)


def _submitted(county: County, **changes: object) -> None:
    """Registered, approved by both agencies, each agency's submission in: ready to build."""
    _register(county, **changes)
    county.ok("study", "approve", STUDY, "--agency", "lea", "--by", OFFICER, "--at", AT)
    county.ok("study", "approve", STUDY, "--agency", "dss", "--by", DSS_OFFICER, "--at", AT)
    for agency, source in (("lea", "students.csv"), ("dss", "dss-list.csv")):
        encoded, copy = county.encode(agency, county.root / source, STUDY_AGREEMENT)
        county.ok("study", "submit", STUDY, "--agency", agency, "--encoded", str(encoded), "--copy",
                  str(copy))


def _built(county: County, **changes: object) -> None:
    _submitted(county, **changes)
    county.ok("study", "build", STUDY, "--by", OFFICER, "--at", AT)


def _ask(county: County, spec: dict[str, object], analyst: str = "an.univ") -> dict[str, object]:
    path = county.root / "query.json"
    path.write_text(json.dumps(spec), encoding="utf-8")
    out = county.ok("study", "query", STUDY, "--spec", str(path), "--analyst", analyst, "--json", "--at", AT)
    return dict(json.loads(out))


def _ledger(county: County) -> list[dict[str, object]]:
    return ledger_entries(county.db_url)


def test_nothing_is_built_before_every_contributing_agency_approves(county: County) -> None:
    _register(county)
    county.ok("study", "approve", STUDY, "--agency", "lea", "--by", OFFICER, "--at", AT)
    early = county("study", "build", STUDY, "--by", OFFICER, "--at", AT)
    assert early.exit_code == 2 and "not approved by: dss" in early.output
    wrong = county("study", "approve", STUDY, "--agency", "dss", "--by", OFFICER, "--at", AT)
    assert wrong.exit_code == 2 and "records officer of agency dss" in wrong.output
    kinds = [e["kind"] for e in _ledger(county)]
    assert kinds.count("study_registered") == 1 and kinds.count("study_approved") == 1


def test_a_study_answers_with_safe_cells_only_and_records_each_release(county: County) -> None:
    _built(county)
    catalog = county.ok("study", "catalog", STUDY)
    assert "grade" in catalog and "dss" in catalog and "attendance_rate" in catalog
    assert "values of dss" in catalog and "snap" in catalog, "the analyst sees each dimension's values"
    answer = _ask(county, {"measures": ["count", "mean:attendance_rate"], "group_by": ["grade", "dss"]})
    rows, cells = answer["rows"], answer["cells"]
    assert isinstance(rows, list) and isinstance(cells, list) and rows
    keys = {(r["grade"], r["dss"]) for r in rows}  # type: ignore[index]
    assert len(keys) == len({k[0] for k in keys}) * len({k[1] for k in keys}), "every combination listed"
    assert all(c["error"] is None for c in cells), "no noise under the rules"
    assert not county.names & set(json.dumps(answer).split('"')), "a name in the answer"
    statuses = {c["status"] for c in cells}
    assert statuses <= {"released", "suppressed_primary", "suppressed_complementary", "rounded"}
    for c in cells:  # a released count is never a small cell
        value = rows[c["row"]][c["measure"]]
        if c["measure"] == "count" and value is not None:
            assert value >= 10, (c, value)
        if c["status"].startswith("suppressed"):
            assert value is None
    released = [e for e in _ledger(county) if e["kind"] == "study_release"]
    assert len(released) == 1 and released[0]["body"]["table_sha256"]  # type: ignore[index]
    built = [e for e in _ledger(county) if e["kind"] == "study_built"]
    assert built and built[0]["body"]["linked"]["dss"] > 0  # type: ignore[index]


def test_only_the_studys_trained_analysts_may_ask(county: County) -> None:
    _built(county)
    spec = county.root / "q.json"
    spec.write_text(json.dumps({"measures": ["count"], "group_by": ["grade"]}), encoding="utf-8")
    for who, says in (("ew.lea", "not one of the study's named analysts"),
                      ("nobody", "not registered")):
        refused = county("study", "query", STUDY, "--spec", str(spec), "--analyst", who, "--at", AT)
        assert refused.exit_code == 2 and says in refused.output, refused.output
    bad = county.root / "bad.json"
    bad.write_text(json.dumps({"measures": ["count"], "group_by": ["surname"]}), encoding="utf-8")
    refused = county("study", "query", STUDY, "--spec", str(bad), "--analyst", "an.univ", "--at", AT)
    assert refused.exit_code == 2 and "'surname' is not in the study's catalog" in refused.output


def test_a_destroyed_study_answers_nothing_and_leaves_its_certificate(county: County) -> None:
    _built(county)
    shown = county.ok("study", "destroy", STUDY, "--by", OFFICER, "--at", AT)
    certificate = Path(shown.split("certificate: ")[1].strip())
    body = json.loads(certificate.read_text(encoding="utf-8"))
    assert body["study"] == STUDY and body["records_destroyed"] > 1000
    assert not list((county.root / "data" / "hub" / "studies").glob(f"{STUDY}/*"))
    spec = county.root / "q.json"
    spec.write_text(json.dumps({"measures": ["count"]}), encoding="utf-8")
    refused = county("study", "query", STUDY, "--spec", str(spec), "--analyst", "an.univ", "--at", AT)
    assert refused.exit_code == 2 and "destroyed" in refused.output
    assert [e["kind"] for e in _ledger(county)].count("study_destroyed") == 1


DP_RULES = {"dp": {"accounting": "rho", "total": 0.2, "per_table": 0.05, "per_analyst": 0.1,
                   "keys": {"dss": ["no", "snap", "tanf"], "grade": [str(g) for g in range(1, 13)]}}}


def test_a_study_under_differential_privacy_noises_every_figure_and_spends_its_budget(county: County) -> None:
    _built(county, rules=DP_RULES)
    question = {"measures": ["count", "mean:attendance_rate"], "group_by": ["dss"]}
    first = _ask(county, question)
    cells, rows = first["cells"], first["rows"]
    assert isinstance(cells, list) and isinstance(rows, list)
    assert [r["dss"] for r in rows] == ["no", "snap", "tanf"], "the public keys, in order"
    assert {c["status"] for c in cells} == {"noised"} and all(c["error"] > 0 for c in cells)
    budget = first["budget"]
    assert isinstance(budget, dict) and abs(budget["spent"] - 0.05) < 1e-9, budget
    assert abs(budget["study_remaining"] - 0.15) < 1e-9 and abs(budget["analyst_remaining"] - 0.05) < 1e-9
    again = _ask(county, question)
    assert again["rows"] == rows and again["cells"] == cells, "a repeated question gets the stored answer"
    shown = county.ok("study", "budget", STUDY)
    assert "0.15" in shown and "an.univ" in shown  # the study's balance left, and the analyst's row
    _ask(county, {"measures": ["count"], "group_by": ["grade"]})
    spec = county.root / "q3.json"
    spec.write_text(json.dumps({"measures": ["count"], "group_by": ["grade", "dss"]}), encoding="utf-8")
    refused = county("study", "query", STUDY, "--spec", str(spec), "--analyst", "an.univ", "--at", AT)
    assert refused.exit_code == 2 and "refused, nothing charged" in refused.output, refused.output
    assert "0.1 for the study, 0 for an.univ" in " ".join(refused.output.split())  # a 0.1 share, spent
    releases = [e["body"] for e in _ledger(county) if e["kind"] == "study_release"]
    spent = [r.get("spent") for r in releases]  # type: ignore[union-attr]
    assert spent == [pytest.approx(0.05), None, pytest.approx(0.05)]
    assert releases[1]["repeat_of"]  # type: ignore[index]
    bad = county.root / "bad.json"
    bad.write_text(json.dumps({"measures": ["count"], "group_by": ["homeless"]}), encoding="utf-8")
    refused = county("study", "query", STUDY, "--spec", str(bad), "--analyst", "an.univ", "--at", AT)
    assert refused.exit_code == 2, refused.output


def test_a_release_the_rules_cannot_settle_waits_for_two_reviewers(county: County) -> None:
    # the default review: flagged releases wait; the study declares the grades it covers (a grade no
    # child is in makes a wholly empty row, which no suppression pattern protects: the table withheld)
    _built(county, rules={"min_count": 10, "categories": {"grade": list(GRADES)}})
    held = _ask(county, {"measures": ["count"], "group_by": ["grade", "dss"]})
    review = held["review"]
    assert isinstance(review, dict) and review["status"] == "pending_review" and held["rows"] == []
    assert any("first table of its kind" in r for r in review["reasons"])
    release = str(review["release"])
    assert "release" not in {e["kind"] for e in _ledger(county) if e["kind"] == "study_release"}
    listed = county.ok("study", "review", "list", STUDY)
    assert release in listed and "first table" in listed
    waiting = county.ok("study", "release", STUDY, release, "--analyst", "an.univ")
    assert "pending review" in waiting
    for who, says in (("an.univ", "may not review"), ("nobody", "may not review")):
        refused = county("study", "review", "decide", STUDY, release, "--by", who, "--approve",
                         "--comment", "checked", "--at", AT)
        assert refused.exit_code == 2 and says in refused.output, refused.output
    shown = county.ok("study", "review", "show", STUDY, release, "--by", OFFICER)
    assert '"rows"' in shown and '"cells"' in shown and "first table of its kind" in shown
    said = county.ok("study", "review", "decide", STUDY, release, "--by", OFFICER, "--approve",
                     "--comment", "small cells hidden with their complements", "--at", AT)
    assert "a second reviewer is needed" in said
    again = county("study", "review", "decide", STUDY, release, "--by", OFFICER, "--approve",
                   "--comment", "again", "--at", AT)
    assert again.exit_code == 2 and "already decided" in again.output
    said = county.ok("study", "review", "decide", STUDY, release, "--by", DSS_OFFICER, "--approve",
                     "--comment", "programs' cells checked", "--at", AT)
    assert "released" in said
    table = json.loads(county.ok("study", "release", STUDY, release, "--analyst", "an.univ", "--json"))
    assert table["rows"] and {c["status"] for c in table["cells"]} >= {"released"}
    entries = _ledger(county)
    reviews = [e["body"] for e in entries if e["kind"] == "study_review"]
    assert [r["decision"] for r in reviews] == ["approve", "approve"]  # type: ignore[index]
    released = [e["body"] for e in entries if e["kind"] == "study_release"]
    assert len(released) == 1 and released[0]["reviewers"] == sorted([OFFICER, DSS_OFFICER])  # type: ignore[index]
    # a second question of the same kind is not held, unless the rules cannot settle it
    answered = _ask(county, {"measures": ["count"], "group_by": ["dss", "grade"]})
    assert answered["rows"] and "review" not in answered


def test_one_rejection_keeps_a_held_release_from_its_analyst(county: County) -> None:
    _built(county, rules={"min_count": 10, "review": "all"})
    held = _ask(county, {"measures": ["count"], "group_by": ["dss"]})
    release = str(held["review"]["release"])  # type: ignore[index]
    county.ok("study", "review", "decide", STUDY, release, "--by", DSS_OFFICER, "--reject",
              "--comment", "the program counts are too fine for this district", "--at", AT)
    shown = county.ok("study", "release", STUDY, release, "--analyst", "an.univ")
    assert "rejected" in shown
    late = county("study", "review", "decide", STUDY, release, "--by", OFFICER, "--approve",
                  "--comment", "fine", "--at", AT)
    assert late.exit_code == 2 and "not waiting for review" in late.output
    assert not [e for e in _ledger(county) if e["kind"] == "study_release"]


def test_the_synthetic_twin_answers_any_question_with_nothing_recorded_and_no_budget(county: County) -> None:
    _built(county, rules=DP_RULES)
    spec = county.root / "twin.json"
    question = {"measures": ["count", "mean:attendance_rate"], "group_by": ["grade", "dss"]}
    spec.write_text(json.dumps(question), encoding="utf-8")
    before = len(_ledger(county))
    for _ in range(3):  # as often as they like
        out = json.loads(county.ok("study", "query", STUDY, "--spec", str(spec), "--analyst", "an.univ",
                                   "--twin", "--json", "--at", AT))
        assert out["twin"] is True and out["rows"]
        assert {c["status"] for c in out["cells"]} == {"synthetic"}
        assert {r["dss"] for r in out["rows"]} <= {"no", "snap", "tanf"}  # the public values only
        assert all(0 <= (r["mean:attendance_rate"] or 0) <= 1 for r in out["rows"])
    assert len(_ledger(county)) == before, "the twin records nothing"
    assert "0.2" in county.ok("study", "budget", STUDY), "and spends no budget"
    assert not county.names & set(json.dumps(out).split('"'))
    refused = county("study", "query", STUDY, "--spec", str(spec), "--analyst", "nobody", "--twin",
                     "--at", AT)
    assert refused.exit_code == 2 and "not registered" in refused.output
    shown = county.ok("study", "query", STUDY, "--spec", str(spec), "--analyst", "an.univ", "--twin",
                      "--at", AT)
    assert "synthetic twin" in shown


def test_a_held_question_under_differential_privacy_is_not_answered_before_review(county: County) -> None:
    _built(county, rules={"dp": DP_RULES["dp"], "review": "all"})
    question = {"measures": ["count"], "group_by": ["dss"]}
    held = _ask(county, question)
    assert held["review"]["status"] == "pending_review" and held["rows"] == []  # type: ignore[index]
    path = county.root / "again.json"
    path.write_text(json.dumps(question), encoding="utf-8")
    again = county("study", "query", STUDY, "--spec", str(path), "--analyst", "an.univ", "--at", AT)
    assert again.exit_code == 2 and "waits for review" in again.output, again.output


def test_agency_nodes_submit_through_the_api_and_the_study_builds_from_it(county: County) -> None:
    """The nodes' encodings go to the hub over the service (client credentials, their own agency's
    route) instead of `accord study submit`; the build reads them as it reads the command line's."""
    from fastapi.testclient import TestClient

    from accord.api import create_app
    from accord.config import Settings

    _register(county)
    county.ok("study", "approve", STUDY, "--agency", "lea", "--by", OFFICER, "--at", AT)
    county.ok("study", "approve", STUDY, "--agency", "dss", "--by", DSS_OFFICER, "--at", AT)
    client = TestClient(create_app(Settings(data_dir=county.root / "data", database_url=county.db_url,
                                            content_key_file=county.root / "content.key"),
                                   secure_cookies=False))
    for agency, source in (("lea", "students.csv"), ("dss", "dss-list.csv")):
        said = county.ok("clients", "add", "--agency", agency).split()
        client_id, secret = said[1], said[-1]
        token = client.post("/api/v1/token", data={"grant_type": "client_credentials", "client_id": client_id,
                                                   "client_secret": secret}).json()["access_token"]
        encoded, copy = county.encode(agency, county.root / source, STUDY_AGREEMENT)
        with encoded.open("rb") as e, copy.open("rb") as c:
            sent = client.post(f"/api/v1/studies/{STUDY}/submissions/{agency}",
                               headers={"Authorization": f"Bearer {token}"},
                               files={"encodings": ("e.parquet", e), "hub_copy": ("c.csv", c)})
        assert sent.status_code == 200, sent.text
        assert sent.json()["rows"] > 0
    built = county.ok("study", "build", STUDY, "--by", OFFICER, "--at", AT)
    assert "children under the study's own pseudonyms" in built


def test_declared_categories_are_the_catalogs_and_a_build_whose_children_they_miss_is_refused(
        county: County) -> None:
    grades = ["K", *(str(g) for g in range(1, 13))]
    _submitted(county, rules={"min_count": 10, "review": "none", "categories": {"dss": ["no", "snap"]}})
    refused = county("study", "build", STUDY, "--by", OFFICER, "--at", AT)
    assert refused.exit_code == 2, refused.output
    assert "children's dss is tanf, not among its values (no, snap)" in refused.output
    assert not county.names & set(refused.output.split()), "counts and categories only"
    _built(county, rules={"min_count": 10, "review": "none", "categories": {"grade": grades}})
    catalog = county.ok("study", "catalog", STUDY)
    assert "K, 1, 2, 3" in catalog and "no, snap, tanf" in catalog, catalog
    answer = _ask(county, {"measures": ["count"], "group_by": ["grade"]})
    assert [r["grade"] for r in answer["rows"]] == grades  # type: ignore[index]
