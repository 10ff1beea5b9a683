"""CLI test fixtures: a temporary data directory, and a database on each backend."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner, Result

from accord.cli.app import app


@dataclass
class Cli:
    runner: CliRunner
    data_dir: Path

    def __call__(self, *args: str) -> Result:
        return self.runner.invoke(app, list(args))

    def ok(self, *args: str) -> Result:
        result = self(*args)
        assert result.exit_code == 0, (result.exit_code, result.output, result.exception)
        return result

    def write_json(self, name: str, data: Any) -> str:
        path = self.data_dir.parent / name
        path.write_text(json.dumps(data), encoding="utf-8")
        return str(path)


@pytest.fixture
def cli(db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Cli:
    """`accord` against an empty database (SQLite, or PostgreSQL when configured)."""
    monkeypatch.setenv("ACCORD_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("ACCORD_DATABASE_URL", db_url)
    monkeypatch.setenv("COLUMNS", "250")  # wide tables: assertions must not meet wrapped cells
    return Cli(CliRunner(), tmp_path / "data")


@pytest.fixture
def ready(cli: Cli) -> Cli:
    """An initialised database with two agencies and two users."""
    cli.ok("init")
    cli.ok("agencies", "add", "--id", "lea", "--name", "Riverside Unified", "--kind", "education",
           "--program", "school_meals", "--program", "federal_education", "--school", "255901001")
    cli.ok("agencies", "add", "--id", "health", "--name", "County Health", "--kind", "health")
    cli.ok("users", "add", "--id", "u-officer", "--agency", "lea", "--role", "records_officer")
    cli.ok("users", "add", "--id", "u-nurse", "--agency", "health", "--role", "caseworker")
    return cli
