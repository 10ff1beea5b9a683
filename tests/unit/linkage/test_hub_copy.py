"""The hub's copy of an agency's file (linkage/hub_copy.py) and `accord node encode --hub-copy`."""

from __future__ import annotations

import csv
import json
from datetime import date
from pathlib import Path

from typer.testing import CliRunner

from accord.cli.app import app
from accord.linkage.hub_copy import WITHHELD, write_edfi_hub_copy, write_hub_copy

HEADER = ["record_id", "First_Name", "last_name", "date_of_birth", "sex", "street_address", "city",
          "postcode", "grade_level"]
ROW = ["S-1", "Zyra", "Quellwood", "2014-03-14", "F", "12 Fernhollow Lane", "Ashmere", "40117", "Fifth grade"]


def _write(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    return path


def test_the_copy_keeps_every_column_but_the_withheld_ones(tmp_path: Path) -> None:
    future = ["S-3", "Pella", "Marchbourne", "2090-01-05"]  # a typo: marked, and the hub refuses it
    source = _write(tmp_path / "students.csv", [HEADER, ROW, ["S-2", "Orrin"], future])  # a short row too
    assert write_hub_copy(source, tmp_path / "copy.csv") == 3
    with (tmp_path / "copy.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    # The birth date becomes the month the person turns 18 (ADR 0016); a short row, no month.
    assert rows == [["record_id", "grade_level", "turns_18_in"], ["S-1", "Fifth grade", "2032-03"],
                    ["S-2", "", ""], ["S-3", "", "unreadable"]]
    assert "first_name" in WITHHELD and "date_of_birth" in WITHHELD


def test_encode_writes_the_copy_beside_the_encodings(tmp_path: Path) -> None:
    runner = CliRunner()
    key = tmp_path / "shared.key"
    assert runner.invoke(app, ["node", "keygen", "--out", str(key)]).exit_code == 0
    source = _write(tmp_path / "students.csv", [HEADER, ROW])
    result = runner.invoke(app, ["node", "encode", "--key-file", str(key), "--in", str(source),
                                 "--out", str(tmp_path / "s.parquet"), "--hub-copy", str(tmp_path / "c.csv")])
    assert result.exit_code == 0, result.output
    copied = (tmp_path / "c.csv").read_text(encoding="utf-8")
    assert "Zyra" not in copied and "Fernhollow" not in copied and "40117" not in copied
    assert "Zyra" not in result.output


def test_an_edfi_students_copy_keeps_only_the_id_and_the_month_of_turning_18(tmp_path: Path) -> None:
    students = [{"studentUniqueId": "S-1", "firstName": "Zyra", "lastSurname": "Quellwood",
                 "birthDate": "2014-03-14", "birthSexDescriptor": "uri://ed-fi.org/SexDescriptor#Female"}]
    (tmp_path / "s.json").write_text(json.dumps(students), encoding="utf-8")
    assert write_edfi_hub_copy(tmp_path / "s.json", tmp_path / "c.json") == 1
    kept = {"studentUniqueId": "S-1", "_ext": {"accord": {"turns18In": "2032-03"}}}
    assert json.loads((tmp_path / "c.json").read_text(encoding="utf-8")) == [kept]
    (tmp_path / "s.ndjson").write_text("\n".join(json.dumps(o) for o in students * 2), encoding="utf-8")
    assert write_edfi_hub_copy(tmp_path / "s.ndjson", tmp_path / "c.ndjson") == 2
    lines = (tmp_path / "c.ndjson").read_text(encoding="utf-8").splitlines()
    assert [json.loads(line) for line in lines] == [kept] * 2


def test_a_school_copy_gives_the_month_only_when_near(tmp_path: Path) -> None:
    # ADR 0030: the month a student turns 18 narrows the birth date to one of some thirty days;
    # the hub needs it only near the birthday, so the school's copy gives the others' bounds.
    near = ["S-4", "Anwen", "Tallowby", "2009-01-20"]
    past = ["S-5", "Brisk", "Hollin", "2005-07-01"]
    source = _write(tmp_path / "students.csv", [HEADER, ROW, near, past])
    assert write_hub_copy(source, tmp_path / "copy.csv", as_of=date(2026, 11, 15)) == 3
    with (tmp_path / "copy.csv").open(encoding="utf-8", newline="") as handle:
        months = [row[-1] for row in csv.reader(handle)][1:]
    assert months == ["2027-02/..", "2027-01", "2023-01/2023-12"]
    students = [{"studentUniqueId": "S-1", "birthDate": "2014-03-14"}]
    (tmp_path / "s.json").write_text(json.dumps(students), encoding="utf-8")
    write_edfi_hub_copy(tmp_path / "s.json", tmp_path / "c.json", as_of=date(2026, 11, 15))
    assert json.loads((tmp_path / "c.json").read_text(encoding="utf-8"))[0]["_ext"]["accord"] == {
        "turns18In": "2027-02/.."}


def test_under_pseudonyms_only_a_program_list_keeps_its_months(tmp_path: Path) -> None:
    # The hub reads months of turning 18 only from a program's list (USDA's school-age measure);
    # any other file a node pseudonymises gives them only when near (ADR 0030).
    runner = CliRunner()
    key, names = tmp_path / "shared.key", tmp_path / "pseudonym.key"
    assert runner.invoke(app, ["node", "keygen", "--out", str(key)]).exit_code == 0
    assert runner.invoke(app, ["node", "pseudonym-key", "--out", str(names)]).exit_code == 0
    students = _write(tmp_path / "students.csv", [HEADER, ROW])
    listed = _write(tmp_path / "list.csv", [[*HEADER, "program"], [*ROW, "snap"]])
    months = []
    for source in (students, listed):
        copy = tmp_path / f"{source.stem}-hub.csv"
        result = runner.invoke(app, ["node", "encode", "--key-file", str(key), "--in", str(source), "--out",
                                     str(tmp_path / f"{source.stem}.parquet"), "--hub-copy", str(copy),
                                     "--pseudonym-key", str(names), "--as-of", "2026-11-15"])
        assert result.exit_code == 0, result.output
        with copy.open(encoding="utf-8", newline="") as handle:
            months.append(next(csv.DictReader(handle))["turns_18_in"])
    assert months == ["2027-02/..", "2032-03"]
