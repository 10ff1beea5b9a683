"""`accord init`, agencies and users."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from accord.cli.app import app
from accord.store.migrate import head_revision
from tests.unit.cli.conftest import Cli


def test_init_creates_the_data_dir_and_is_idempotent(cli: Cli) -> None:
    assert not cli.data_dir.exists()
    first = cli.ok("init")
    assert cli.data_dir.is_dir()
    assert head_revision() in first.output and "was empty" in first.output
    assert "nothing to do" in cli.ok("init").output


def test_default_database_is_sqlite_in_the_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ACCORD_DATA_DIR", str(tmp_path / "d"))
    monkeypatch.delenv("ACCORD_DATABASE_URL", raising=False)
    result = CliRunner().invoke(app, ["init"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "d" / "accord.db").is_file()


def test_commands_before_init_say_so(cli: Cli) -> None:
    result = cli("agencies", "list")
    assert result.exit_code == 2
    assert "accord init" in result.output
    assert "Traceback" not in result.output


def test_agencies_and_users(ready: Cli) -> None:
    listed = ready.ok("agencies", "list").output
    assert "Riverside Unified" in listed and "federal_education, school_meals" in listed
    assert "255901001" in listed  # its school, from the directory
    users = ready.ok("users", "list", "--agency", "health").output
    assert "u-nurse" in users and "u-officer" not in users


def test_a_user_of_an_unknown_agency_is_bad_input(ready: Cli) -> None:
    result = ready("users", "add", "--id", "u-x", "--agency", "nowhere", "--role", "analyst")
    assert result.exit_code == 2
    assert "not registered" in result.output
    assert len(result.output.strip().splitlines()) == 1 and result.exception.__class__ is SystemExit


def test_a_bad_enum_value_exits_2(ready: Cli) -> None:
    result = ready("agencies", "add", "--id", "x", "--name", "X", "--kind", "bakery")
    assert result.exit_code == 2
