"""The hub's copy of an agency's file (linkage/hub_copy.py) and `accord encode --hub-copy`."""

from __future__ import annotations

import csv
from pathlib import Path

from typer.testing import CliRunner

from accord.cli.app import app
from accord.linkage.hub_copy import WITHHELD, write_hub_copy

HEADER = ["record_id", "First_Name", "last_name", "date_of_birth", "sex", "street_address", "city",
          "postcode", "grade_level"]
ROW = ["S-1", "Zyra", "Quellwood", "2014-03-14", "F", "12 Fernhollow Lane", "Ashmere", "40117", "Fifth grade"]


def _write(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    return path


def test_the_copy_keeps_every_column_but_the_withheld_ones(tmp_path: Path) -> None:
    source = _write(tmp_path / "students.csv", [HEADER, ROW, ["S-2", "Orrin"]])  # a short row too
    assert write_hub_copy(source, tmp_path / "copy.csv") == 2
    with (tmp_path / "copy.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows == [["record_id", "date_of_birth", "grade_level"], ["S-1", "2014-03-14", "Fifth grade"],
                    ["S-2", "", ""]]
    assert "first_name" in WITHHELD and "date_of_birth" not in WITHHELD


def test_encode_writes_the_copy_beside_the_encodings(tmp_path: Path) -> None:
    runner = CliRunner()
    key = tmp_path / "shared.key"
    assert runner.invoke(app, ["keygen", "--out", str(key)]).exit_code == 0
    source = _write(tmp_path / "students.csv", [HEADER, ROW])
    result = runner.invoke(app, ["encode", "--key-file", str(key), "--in", str(source),
                                 "--out", str(tmp_path / "s.parquet"), "--hub-copy", str(tmp_path / "c.csv")])
    assert result.exit_code == 0, result.output
    copied = (tmp_path / "c.csv").read_text(encoding="utf-8")
    assert "Zyra" not in copied and "Fernhollow" not in copied and "40117" not in copied
    assert "Zyra" not in result.output


def test_an_edfi_file_is_not_copied(tmp_path: Path) -> None:
    runner = CliRunner()
    key = tmp_path / "shared.key"
    runner.invoke(app, ["keygen", "--out", str(key)])
    (tmp_path / "s.json").write_text("[]", encoding="utf-8")
    result = runner.invoke(app, ["encode", "--key-file", str(key), "--in", str(tmp_path / "s.json"),
                                 "--out", str(tmp_path / "s.parquet"), "--hub-copy", str(tmp_path / "c.csv")])
    assert result.exit_code == 2 and "--hub-copy: only a CSV file is copied for the hub" in result.output
    assert not (tmp_path / "c.csv").exists()
