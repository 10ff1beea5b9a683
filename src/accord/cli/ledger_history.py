"""`accord ledger history`: the parent view of the disclosure ledger (34 CFR 99.32(c)).

Every request about one student, granted or refused, and every consent recorded, withdrawn or
confirmed, one plain sentence each; exportable as JSON or CSV. The student is "your child"
(or "you"): nothing here looks up or prints a name, birth date or address.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from enum import StrEnum
from pathlib import Path

import typer

from accord.cli.common import console, fail, store_session
from accord.ledger.plain_words import HistoryLine
from accord.workflows.parent_view import disclosure_history

NOTHING = "Nothing from this record has been shared, and no request for it has been recorded."
CSV_COLUMNS = ("seq", "date", "kind", "sentence", "citations")


class HistoryFormat(StrEnum):
    TEXT = "text"
    JSON = "json"
    CSV = "csv"


class HistoryLanguage(StrEnum):
    EN = "en"
    ES = "es"


class HistoryReader(StrEnum):
    PARENT = "parent"
    STUDENT = "student"  # the eligible student, who now holds the rights


def as_text(lines: list[HistoryLine]) -> str:
    return "\n".join(x.sentence for x in lines) + "\n" if lines else NOTHING + "\n"


def as_json(lines: list[HistoryLine]) -> str:
    return json.dumps([x.as_dict() for x in lines], ensure_ascii=False, indent=2) + "\n"


def as_csv(lines: list[HistoryLine]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for x in lines:
        writer.writerow([x.seq, x.on.isoformat(), x.kind, x.sentence, "; ".join(x.citations)])
    return buffer.getvalue()


_RENDER = {HistoryFormat.TEXT: as_text, HistoryFormat.JSON: as_json, HistoryFormat.CSV: as_csv}


def _show(lines: list[HistoryLine]) -> None:
    """Sentences on the console; markup off, since a recorded threat may contain brackets."""
    if not lines:
        console.print(NOTHING)
        return
    console.print("[bold]Every disclosure and consent on record, oldest first[/]")
    for x in lines:
        console.print(f"- {x.sentence}", markup=False, highlight=False)


def history(
    student: str = typer.Option(..., help="The student's Accord id (no name is shown)"),
    format: HistoryFormat = typer.Option(HistoryFormat.TEXT, help="text, json or csv"),
    out: Path | None = typer.Option(None, help="Write to this file (default: the screen)"),
    reader: HistoryReader = typer.Option(
        HistoryReader.PARENT, help="Who reads it: parent, or the eligible student"),
    language: HistoryLanguage = typer.Option(HistoryLanguage.EN, help="The sentences' language: en or es"),
) -> None:
    """Every disclosure of a student's record, in plain language, for the parent or student."""
    with store_session(read_only=True) as s:
        lines = disclosure_history(s, student, "student" if reader is HistoryReader.STUDENT else "parent",
                                   language.value)
    if out is None:
        if format is HistoryFormat.TEXT:
            _show(lines)
        else:
            sys.stdout.write(_RENDER[format](lines))
        return
    try:
        out.write_text(_RENDER[format](lines), encoding="utf-8")
    except OSError as err:
        fail(f"--out: cannot write {out}: {err}")
    console.print(f"{len(lines)} entries written to {out}" if lines else f"{NOTHING} ({out} written)")
