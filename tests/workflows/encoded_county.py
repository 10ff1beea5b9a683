"""Synthetic agencies' rosters encoded at the agencies under one shared key, through the command
line: what the linkage workflow tests link (`accord synth`, `keygen`, then `encode` per agency)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from typer.testing import CliRunner

from accord.cli.app import app

runner = CliRunner()


def run(*args: str) -> str:
    """A command that must succeed; its output."""
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def encoded_county(out: Path, students: int, seed: int, agencies: Sequence[str]) -> Path:
    """`out` with rosters/ (synth's CSVs and truth.csv), shared.key and <agency>.parquet for each
    of `agencies`."""
    run("synth", "--students", str(students), "--out", str(out / "rosters"), "--seed", str(seed))
    run("node", "keygen", "--out", str(out / "shared.key"))
    for agency in agencies:
        run("node", "encode", "--key-file", str(out / "shared.key"), "--in",
            str(out / "rosters" / f"{agency}.csv"),
            "--out", str(out / f"{agency}.parquet"))
    return out
