"""A program's household ids are pseudonymised like its record ids; a hub's results come back to
the node's own ids, and only for its own records."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from accord.domain.students import looks_pseudonymous
from accord.node import copy_for_hub, resolve_results
from accord.node.pseudonyms import KEY_BYTES, pseudonymiser
from accord.node.results import ResultsError

KEY = bytes(range(KEY_BYTES))


def _write(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    return path


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_household_ids_reach_the_hub_as_pseudonyms_apart_from_record_ids(tmp_path: Path) -> None:
    source = _write(tmp_path / "list.csv", [["record_id", "first_name", "program", "household_id"],
                                            ["C-1", "Ana", "snap", "CASE-77"],
                                            ["C-2", "Rui", "snap", "CASE-77"],
                                            ["CASE-77", "Lia", "tanf", ""]])
    copy_for_hub(source, tmp_path / "copy.csv", pseudonymiser(KEY))
    rows = _rows(tmp_path / "copy.csv")
    assert "first_name" not in rows[0]
    assert rows[0]["household_id"] == rows[1]["household_id"] and looks_pseudonymous(rows[0]["household_id"])
    assert rows[2]["household_id"] == "" and rows[2]["record_id"] != rows[0]["household_id"]
    assert "CASE-77" not in (tmp_path / "copy.csv").read_text(encoding="utf-8")


def test_results_resolve_to_the_nodes_own_ids(tmp_path: Path) -> None:
    rename = pseudonymiser(KEY)
    own = _write(tmp_path / "students.csv", [["record_id", "first_name"], ["S-1", "Ana"], ["S-2", "Rui"]])
    results = _write(tmp_path / "results.csv", [["record_id", "program", "basis", "released", "run", "date"],
                                                [rename("S-2"), "snap", "matched", "direct_certification",
                                                 "3", "2026-11-29"]])
    assert resolve_results(results, own, rename, tmp_path / "out.csv") == 1
    assert _rows(tmp_path / "out.csv") == [{"student_id": "S-2", "program_category": "snap",
                                            "basis": "matched", "run": "3", "date": "2026-11-29"}]


def test_a_pseudonym_the_node_does_not_know_is_refused_naming_the_row(tmp_path: Path) -> None:
    own = _write(tmp_path / "students.csv", [["record_id"], ["S-1"]])
    results = _write(tmp_path / "results.csv", [["record_id", "program", "basis", "run", "date"],
                                                [pseudonymiser(bytes(KEY_BYTES))("S-1"), "snap", "matched",
                                                 "1", "2026-11-29"]])
    with pytest.raises(ResultsError, match="results.csv row 2 field record_id"):
        resolve_results(results, own, pseudonymiser(KEY), tmp_path / "out.csv")
    assert not (tmp_path / "out.csv").exists()
