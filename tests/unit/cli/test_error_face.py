"""The one place errors become what the user sees (cli/common.AccordGroup): an AccordError its
line and code, a missing file its path, Ctrl-C a line, anything else a line and a crash report
that holds no message and no value."""

from __future__ import annotations

from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from accord.cli.common import AccordGroup
from accord.errors import AccordError, StoreBusy

PLANTED = "Zyra Quellwood 2014-03-14"  # a name and birth date a library's message might quote


def _app() -> typer.Typer:
    app = typer.Typer(cls=AccordGroup, pretty_exceptions_enable=False)

    @app.command()
    def fails(what: str) -> None:
        if what == "accord":
            raise AccordError("grades.csv, row 3, field mark: not a mark")
        if what == "busy":
            raise StoreBusy("another Accord process held the store")
        if what == "missing":
            Path("/nonexistent/attendance.csv").read_text()
        if what == "interrupt":
            raise KeyboardInterrupt
        raise ValueError(f"cannot parse {PLANTED}")

    @app.command()
    def other() -> None:
        """A second command, so that the group dispatches by name."""

    return app


def _run(what: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[int, str]:
    monkeypatch.setenv("ACCORD_DATA_DIR", str(tmp_path))
    result = CliRunner().invoke(_app(), ["fails", what])
    return result.exit_code, result.output


@pytest.mark.parametrize(("what", "code", "line"), [
    ("accord", 2, "error: grades.csv, row 3, field mark: not a mark"),
    ("busy", 75, "error: another Accord process held the store"),
    ("missing", 2, "error: file not found: /nonexistent/attendance.csv"),
    ("interrupt", 130, "error: interrupted: what was not committed was rolled back (a load stopped after its "
                       "commit is finished by the next one)"),
])
def test_each_kind_of_error_is_one_line_and_its_code(what: str, code: int, line: str, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    got, shown = _run(what, tmp_path, monkeypatch)
    assert (got, shown.strip()) == (code, line)


def test_an_unexpected_error_writes_a_report_without_any_message(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    code, shown = _run("unexpected", tmp_path, monkeypatch)
    assert code == 70 and len(shown.strip().splitlines()) == 1, shown
    assert "unexpected error (ValueError); details without personal data are in " in shown
    assert PLANTED not in shown and "Zyra" not in shown
    [report] = (tmp_path / "crash-reports").iterdir()
    assert str(report) in shown.replace("\n", "")
    text = report.read_text(encoding="utf-8")
    assert "builtins.ValueError" in text and "test_error_face.py:" in text and " in fails" in text
    assert "Zyra" not in text and "2014" not in text
