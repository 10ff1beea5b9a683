"""`accord ledger history`: the parent view end to end, on SQLite and PostgreSQL.

It runs through the real `accord` app, against the database the `ready` fixture built.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from typer.testing import Result

from accord.cli.ledger_history import CSV_COLUMNS, NOTHING
from tests.unit.cli.conftest import Cli
from tests.unit.cli.test_training_and_decide_cli import ASK, _world

BORN = "2012-05-01"  # with_student's default birth date: it must never be printed
ALSO_BORN = ("1 May 2012", "05/01/2012", "2012")

def _history(cli: Cli, *args: str) -> Result:
    return cli.ok("ledger", "history", *args)


def _story(cli: Cli) -> Cli:
    """A consent recorded, one release under it, a refusal, then the consent withdrawn."""
    _world(cli)
    cli.ok(*ASK, "--field", "attendance")
    cli.ok(*ASK, "--field", "meal_eligibility_status")
    cli.ok("consents", "revoke", "c-1", "--at", "2026-03-01T09:00")
    return cli


def _no_birth_date(text: str) -> None:
    assert BORN not in text
    for form in ALSO_BORN:
        assert form not in text


def test_text_tells_the_story_oldest_first(ready: Cli) -> None:
    out = _history(_story(ready), "--student", "stu-1").output
    _no_birth_date(out)
    assert "On 20 January 2026 you signed a consent (form in Spanish) letting County Health" in out
    assert ("On 1 February 2026 County Health received attendance to plan services, with your "
            "consent signed 20 January 2026.") in out
    assert "asked for free/reduced-price meal eligibility status" in out and "nothing was shared" in out
    assert "was withdrawn" in out
    assert out.index("you signed a consent") < out.index("received attendance") < out.index("withdrawn")
    student = _history(ready, "--student", "stu-1", "--reader", "student").output
    assert "your parent signed a consent" in student


def test_json_and_csv_export(ready: Cli, tmp_path: Path) -> None:
    cli = _story(ready)
    as_json = tmp_path / "history.json"
    said = _history(cli, "--student", "stu-1", "--format", "json", "--out", str(as_json)).output
    assert "4 entries written to" in said
    text = as_json.read_text(encoding="utf-8")
    _no_birth_date(text)
    lines = json.loads(text)
    assert [x["kind"] for x in lines] == ["consent_recorded", "disclosure_decision",
                                          "disclosure_decision", "consent_revoked"]
    assert set(lines[0]) == {"seq", "date", "kind", "sentence", "citations"}
    assert lines[1]["date"] == "2026-02-01" and "34 CFR 99.30" in lines[1]["citations"]
    assert "CFR" not in lines[1]["sentence"]

    as_csv = tmp_path / "history.csv"
    _history(cli, "--student", "stu-1", "--format", "csv", "--out", str(as_csv))
    text = as_csv.read_text(encoding="utf-8")
    _no_birth_date(text)
    rows = list(csv.reader(io.StringIO(text)))
    assert tuple(rows[0]) == CSV_COLUMNS and len(rows) == 5
    assert [r[3] for r in rows[1:]] == [x["sentence"] for x in lines]

    on_screen = _history(cli, "--student", "stu-1", "--format", "json").output
    assert json.loads(on_screen) == lines


def test_unknown_student_nothing_shared_exit_0(ready: Cli, tmp_path: Path) -> None:
    assert NOTHING in _history(ready, "--student", "stu-nobody").output
    out = tmp_path / "empty.json"
    _history(ready, "--student", "stu-nobody", "--format", "json", "--out", str(out))
    assert json.loads(out.read_text(encoding="utf-8")) == []


def test_bad_format_is_refused(ready: Cli) -> None:
    result = ready("ledger", "history", "--student", "stu-1", "--format", "pdf")
    assert result.exit_code == 2


def test_the_history_in_spanish(ready: Cli) -> None:
    """--language es: the same entries, dates and citations, the sentences in Spanish."""
    cli = _story(ready)
    english = json.loads(_history(cli, "--student", "stu-1", "--format", "json").output)
    out = _history(cli, "--student", "stu-1", "--format", "json", "--language", "es").output
    _no_birth_date(out)
    spanish = json.loads(out)
    assert [{**x, "sentence": ""} for x in spanish] == [{**x, "sentence": ""} for x in english]
    assert spanish[0]["sentence"].startswith("El 20 de enero de 2026, usted firmó un permiso")
    assert "No se compartió nada" in spanish[2]["sentence"]
    assert "se anuló el permiso que usted firmó el 20 de enero de 2026" in spanish[3]["sentence"]
