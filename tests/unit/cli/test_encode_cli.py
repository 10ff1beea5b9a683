"""`accord node keygen` and `accord node encode`: the agency node's commands (ADR 0014, P1)."""

from __future__ import annotations

import stat
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner, Result

from accord.cli.app import app

HEADER = "record_id,first_name,middle_name,last_name,date_of_birth,sex,street_address,city,postcode\n"
GOOD = "s-001,Maribel,Ines,Quintero-Vidal,2011-07-15,F,18 Larkspur Lane,Millbrook,04321\n"
BAD_DATE = "s-002,Tobias,,Wrenfield,2012-02-31,M,7 Quarry Road,Ashcombe,04322\n"


def run(*args: str) -> Result:
    return CliRunner().invoke(app, list(args), env={"COLUMNS": "200"})


@pytest.fixture
def key_file(tmp_path: Path) -> Path:
    path = tmp_path / "shared.key"
    assert run("node", "keygen", "--out", str(path)).exit_code == 0
    return path


def run_encode(key_file: Path, source: Path, out: Path) -> Result:
    return run("node", "encode", "--key-file", str(key_file), "--in", str(source), "--out", str(out))


def roster(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "people.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_keygen_writes_0600_and_refuses_overwrite(tmp_path: Path, key_file: Path) -> None:
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    before = key_file.read_bytes()
    result = run("node", "keygen", "--out", str(key_file))
    assert result.exit_code == 2
    assert "refusing to overwrite" in result.output
    assert key_file.read_bytes() == before


def test_encode_summary_counts_a_bad_date_without_failing(tmp_path: Path, key_file: Path) -> None:
    out = tmp_path / "people.parquet"
    result = run_encode(key_file, roster(tmp_path, HEADER + GOOD + BAD_DATE), out)
    assert result.exit_code == 0, result.output
    assert "rows read: 2" in result.output and "rows written: 2" in result.output
    line = next(ln for ln in result.output.splitlines() if "date_of_birth" in ln)
    assert [c.strip() for c in line.split("│")[2:4]] == ["1", "1"]  # missing 1, of which unusable 1
    assert pq.read_table(out).num_rows == 2
    for clear in ("Maribel", "Wrenfield", "2012-02-31"):
        assert clear not in result.output


def test_missing_record_id_column_is_exit_2(tmp_path: Path, key_file: Path) -> None:
    out = tmp_path / "people.parquet"
    text = HEADER.replace("record_id", "pupil_no") + GOOD
    result = run_encode(key_file, roster(tmp_path, text), out)
    assert result.exit_code == 2
    assert "people.csv row 1: the required column record_id is missing" in result.output
    assert not out.exists()


def test_duplicate_id_names_the_row_and_writes_nothing(tmp_path: Path, key_file: Path) -> None:
    out = tmp_path / "people.parquet"
    text = HEADER + GOOD + BAD_DATE + GOOD
    result = run_encode(key_file, roster(tmp_path, text), out)
    assert result.exit_code == 2
    assert "people.csv row 4, column record_id: duplicate of row 2" in result.output
    assert "s-001" not in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["people.csv", "shared.key"]


def test_bad_key_file_is_exit_2(tmp_path: Path) -> None:
    bad = tmp_path / "not.key"
    bad.write_text("hello")
    bad.chmod(0o600)
    result = run_encode(bad, roster(tmp_path, HEADER + GOOD), tmp_path / "o.parquet")
    assert result.exit_code == 2 and "not an Accord linkage key file" in result.output


def test_a_key_file_others_can_read_is_refused(tmp_path: Path, key_file: Path) -> None:
    key_file.chmod(0o644)
    result = run_encode(key_file, roster(tmp_path, HEADER + GOOD), tmp_path / "o.parquet")
    assert result.exit_code == 2 and "the linkage key file can be read by other users (mode 644)" \
        in " ".join(result.output.split()), result.output
    assert not (tmp_path / "o.parquet").exists()


def test_unwritable_output_is_exit_2(tmp_path: Path, key_file: Path) -> None:
    result = run_encode(key_file, roster(tmp_path, HEADER + GOOD), tmp_path / "no-such-dir" / "o.parquet")
    assert result.exit_code == 2 and "cannot write" in result.output


def test_the_node_keeps_its_key_in_its_own_directory_never_the_hubs(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ACCORD_NODE_DIR", str(tmp_path / "node"))
    monkeypatch.setenv("ACCORD_DATA_DIR", str(tmp_path / "hub"))
    assert run("node", "keygen").exit_code == 0
    assert (tmp_path / "node" / "linkage.key").is_file()
    source, out = roster(tmp_path, HEADER + GOOD), tmp_path / "people.parquet"
    shown = run("node", "encode", "--in", str(source), "--out", str(out))  # the node's key by default
    assert shown.exit_code == 0 and out.is_file(), shown.output
    refused = run("node", "keygen", "--out", str(tmp_path / "hub" / "linkage.key"))
    assert refused.exit_code == 2 and "inside the hub's data directory" in refused.output
    assert not (tmp_path / "hub").exists()
    monkeypatch.setenv("ACCORD_NODE_DIR", str(tmp_path / "hub" / "node"))  # a node inside the hub
    assert run("node", "keygen").exit_code == 2 and not (tmp_path / "hub").exists()
