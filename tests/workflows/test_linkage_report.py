"""The hub's linkage report, from the command line: synth -> encode -> link --report.

The report is one HTML file that opens offline and shows the run's figures: the training steps and
their outcomes, the files' sizes, the pairs compared, the links by band of match probability (the
same counts the links file gives) and Splink's charts. It names no record: no record id of the
input files appears in it, neither whole nor as its hexadecimal part outside the chart libraries.
"""

from __future__ import annotations

import csv
import html as html_module
import json
import re
from pathlib import Path

import pytest

from accord.cli.app import app
from tests.workflows.encoded_county import encoded_county, run, runner

AGENCIES = ("education", "health", "snap_tanf")


@pytest.fixture(scope="module")
def county(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Rosters of 400 students, three agencies' encoded under one shared key."""
    return encoded_county(tmp_path_factory.mktemp("report"), 400, 5, AGENCIES)


def record_ids(rosters: Path) -> set[str]:
    ids: set[str] = set()
    for agency in AGENCIES:
        with (rosters / f"{agency}.csv").open(encoding="utf-8", newline="") as handle:
            ids |= {row["record_id"] for row in csv.DictReader(handle)}
    return ids


def rows_of_text(html: str, table: str, cells: int = 2) -> list[tuple[str, ...]]:
    """The text cells of each row of the report's table `table`."""
    body = re.search(f'<table id="{table}">(.*?)</table>', html, re.S)
    assert body, f"the report has a {table} table"
    found = [tuple(re.findall(r"<td[^>]*>([^<]*)</td>", row))
             for row in re.findall(r"<tr>(.*?)</tr>", body.group(1))]
    return [tuple(html_module.unescape(c) for c in row) for row in found if len(row) == cells]


def rows(html: str, table: str) -> list[tuple[str, int]]:
    """(label, count) of each row of the report's table `table`."""
    return [(label, int(n.replace(",", ""))) for label, n in rows_of_text(html, table)]


def specs(html: str) -> list[dict[str, object]]:
    return [json.loads(text) for text in
            re.findall(r'<script type="application/json" id="spec-\d+">(.*?)</script>', html, re.S)]


def assert_names_no_record(html: str, ids: set[str]) -> None:
    assert len(ids) > 500
    lowered = html.lower()
    assert not [i for i in ids if i.lower() in lowered], "a record id reached the report"
    # Outside the chart libraries (plain scripts), not even an id's hexadecimal part.
    own = own_text(html).lower()
    assert not [i for i in ids if i.split("-")[-1].lower() in own], "part of a record id reached the report"


def own_text(html: str) -> str:
    """The report without the chart libraries and the drawing script (its plain script elements)."""
    return re.sub(r"<script>.*?</script>", "", html, flags=re.S)


def assert_offline(html: str) -> None:
    # The libraries' own code builds tags such as <img src=...> for tooltips; the page itself has none.
    assert not re.search(r"<(script|link|img|iframe)[^>]*\b(src|href)=", own_text(html)), "it loads a file"
    assert "cdn.jsdelivr" not in html
    assert "vegaEmbed(" in html and "vegaLite" in html  # the libraries are in the file


def link_bands(links: Path) -> list[int]:
    """Links per band (0.5-0.9, 0.9-0.99, >= 0.99) counted from the links file itself."""
    with links.open(encoding="utf-8", newline="") as handle:
        probabilities = [float(row["match_probability"]) for row in csv.DictReader(handle)]
    return [sum(0.5 <= p < 0.9 for p in probabilities), sum(0.9 <= p < 0.99 for p in probabilities),
            sum(p >= 0.99 for p in probabilities)]


def test_link_report_shows_the_run_and_names_no_record(county: Path) -> None:
    links, report = county / "links.csv", county / "linkage.html"
    output = run("link", "--left", str(county / "education.parquet"),
                 "--right", str(county / "health.parquet"), "--out", str(links), "--report", str(report))
    html = report.read_text(encoding="utf-8")

    steps = dict(rows_of_text(html, "training"))
    assert steps["u from random pairs within each file"] == "run"
    assert any(step.startswith("EM on pairs blocked by") for step in steps)
    for line in output.splitlines():  # every step the command says it skipped, with its reason
        if line.startswith("  ") and ": skipped" in line:
            step, outcome = line.strip().split(": ", 1)
            assert steps[step] == outcome
    assert dict(rows(html, "files")) == {"education.parquet": 404, "health.parquet": 279}

    bands = rows(html, "bands")
    assert [label for label, _ in bands] == ["0.5 – 0.9", "0.9 – 0.99", "≥ 0.99"]
    assert [n for _, n in bands] == link_bands(links)
    pairs = [n for _, n in rows(html, "pairs")]
    compared, below, scored, set_aside = pairs
    assert compared == below + scored and scored == sum(link_bands(links)) + set_aside
    assert compared > scored > 0

    charts = specs(html)
    assert len(charts) == 4 and all("vega-lite" in str(c["$schema"]) for c in charts)
    weights = json.dumps(charts[1])
    assert "date_of_birth" in weights and "m_probability" in weights
    assert {"first_name", "date_of_birth"} <= {row[0] for row in rows_of_text(html, "levels", cells=5)}
    assert_offline(html)
    assert_names_no_record(html, record_ids(county / "rosters"))


def test_dedupe_and_cluster_reports(county: Path) -> None:
    dupes, report = county / "dupes.csv", county / "dedupe.html"
    run("link", "--dedupe", "--left", str(county / "education.parquet"), "--out", str(dupes),
        "--report", str(report))
    html = report.read_text(encoding="utf-8")
    assert "Duplicates within one file" in html
    assert [n for _, n in rows(html, "bands")] == link_bands(dupes)
    assert_offline(html)
    assert_names_no_record(html, record_ids(county / "rosters"))

    report = county / "cluster.html"
    run("cluster", *(arg for a in AGENCIES for arg in ("--in", str(county / f"{a}.parquet"))),
        "--out", str(county / "clusters.csv"), "--report", str(report))
    html = report.read_text(encoding="utf-8")
    assert [name for name, _ in rows(html, "files")] == [f"{a}.parquet" for a in AGENCIES]
    assert sum(n for _, n in rows(html, "bands")) == rows(html, "pairs")[2][1]  # every scored pair
    assert len(specs(html)) == 4
    assert_names_no_record(html, record_ids(county / "rosters"))


def test_the_scan_would_see_a_record_id(county: Path) -> None:
    # The scan is only worth something if it can fail: a whole id, or its hexadecimal part, is found.
    ids = record_ids(county / "rosters")
    some = sorted(ids)[0]
    for leak in (some, some.split("-")[-1]):
        with pytest.raises(AssertionError):
            assert_names_no_record(f"<p>{leak}</p>", ids)


def test_a_report_path_that_cannot_be_written_is_one_line(county: Path, tmp_path: Path) -> None:
    left, links = str(county / "education.parquet"), tmp_path / "links.csv"
    # A missing folder is found before the run, and nothing is written.
    result = runner.invoke(app, ["link", "--dedupe", "--left", left, "--out", str(links),
                                 "--report", str(tmp_path / "no" / "r.html")])
    assert result.exit_code == 2 and "does not exist" in result.output, result.output
    assert not links.exists()
    # A folder in place of the file is found when the report is written.
    taken = tmp_path / "taken"
    taken.mkdir()
    result = runner.invoke(app, ["link", "--dedupe", "--left", left, "--out", str(links),
                                 "--report", str(taken)])
    assert result.exit_code == 2 and isinstance(result.exception, SystemExit), result.output
    errors = [line for line in result.output.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and errors[0].startswith(f"error: {taken}: cannot write the report ("), errors
    assert not list(tmp_path.glob(".taken*")), "no partial report is left behind"
