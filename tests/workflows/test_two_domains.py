"""Two trust domains (ADR 0014, P1): the agencies' nodes in their own directories, the hub in
its own; every hub step of a load and a case request runs after the nodes' directories, and with
them the only copies of the linkage key, are gone from the machine."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from accord.cli.app import app
from tests.workflows.case_county import seed_world

COLUMNS = ["record_id", "first_name", "middle_name", "last_name", "date_of_birth", "sex",
           "street_address", "city", "postcode"]
PEOPLE = [
    ["Zyra", "Mirelle", "Quellwood", "2014-03-14", "Female", "12 Fernhollow Lane", "Ashmere", "40117"],
    ["Orrin", "", "Tavistrand", "2013-11-02", "Male", "7 Gildencroft Road", "Ashmere", "40117"],
    ["Pella", "Ivo", "Marchbourne", "2015-06-30", "Female", "3 Wickerbay Court", "Ashmere", "40118"],
    ["Brannoc", "", "Elsworthy", "2014-01-09", "Male", "88 Quarry Row", "Dunmarsh", "40221"],
]


def _write(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([header, *rows])
    return path


def _ok(result: Result) -> str:
    assert result.exit_code == 0, (result.output, result.exception)
    return result.output


def test_the_hub_runs_with_no_key_file_on_the_machine(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    run = CliRunner().invoke
    lea, health, outbox, hub = (tmp_path / d for d in ("node-lea", "node-health", "outbox", "hub"))
    outbox.mkdir()  # what the nodes send the hub
    monkeypatch.setenv("ACCORD_DATA_DIR", str(hub))
    monkeypatch.setenv("ACCORD_CONTENT_KEY_FILE", str(hub / "content.key"))
    monkeypatch.setenv("COLUMNS", "200")

    # The agencies' nodes: the school makes the key, the health department gets a copy of it.
    monkeypatch.setenv("ACCORD_NODE_DIR", str(lea))
    _ok(run(app, ["node", "keygen"]))
    health.mkdir()
    shutil.copy2(lea / "linkage.key", health / "linkage.key")
    students = _write(lea / "students.csv", COLUMNS, [[f"S-{n}", *p] for n, p in enumerate(PEOPLE)])
    _ok(run(app, ["node", "encode", "--in", str(students), "--out", str(outbox / "students.parquet"),
                  "--hub-copy", str(outbox / "students.csv"), "--agreement", "dsa-health"]))
    monkeypatch.setenv("ACCORD_NODE_DIR", str(health))
    roster = _write(health / "roster.csv", COLUMNS, [[f"H-{n}", *p] for n, p in enumerate(PEOPLE[:3])])
    _ok(run(app, ["node", "encode", "--in", str(roster), "--out", str(outbox / "roster.parquet"),
                  "--hub-copy", str(outbox / "roster.csv"), "--agreement", "dsa-health"]))
    child = _write(health / "child.csv", COLUMNS, [["ASK-1", *PEOPLE[0]]])
    _ok(run(app, ["node", "encode", "--in", str(child), "--out", str(outbox / "child.parquet"),
                  "--agreement", "dsa-health"]))

    # Off the machine with the nodes: no key file is left anywhere.
    shutil.rmtree(lea)
    shutil.rmtree(health)
    monkeypatch.setenv("ACCORD_NODE_DIR", str(tmp_path / "no-node-here"))
    assert not [p for p in tmp_path.rglob("*") if p.is_file() and b"accord-linkage-key" in p.read_bytes()]

    # The hub, from what the nodes sent.
    _ok(run(app, ["init"]))
    seed_world(f"sqlite:///{hub / 'accord.db'}")
    _ok(run(app, ["intake", "content-key", "--out", str(hub / "content.key")]))
    _ok(run(app, ["intake", "load", "--agency", "lea", "--kind", "students",
                  "--in", str(outbox / "students.csv"), "--encoded", str(outbox / "students.parquet")]))
    _ok(run(app, ["intake", "load", "--agency", "health", "--kind", "roster", "--element",
                  "clinical_conditions", "--in", str(outbox / "roster.csv"),
                  "--encoded", str(outbox / "roster.parquet")]))
    asked = _ok(run(app, ["case", "request", "--requester", "cw.health", "--student-ref",
                          str(outbox / "child.parquet"), "--source", "lea",
                          "--purpose", "supportive_services", "--fields", "attendance",
                          "--at", "2026-11-29T10:00"]))
    assert "Zyra" not in asked and "Quellwood" not in asked
    assert "The ledger verifies" in _ok(run(app, ["ledger", "verify"]))
    linked = _ok(run(app, ["link", "--left", str(outbox / "students.parquet"),
                           "--right", str(outbox / "roster.parquet"), "--out", str(tmp_path / "links.csv")]))
    assert "links at match probability" in linked
    assert not (tmp_path / "no-node-here").exists()
    assert not [p for p in tmp_path.rglob("*") if p.is_file() and b"accord-linkage-key" in p.read_bytes()]
