"""`accord case request`: one child's permitted facts for a counselor or caseworker.

The requester's agency describes the child and encodes the description at its own node
(`accord node encode --in child.csv --out child.parquet`, one row); the hub receives only that
encoding, never the description nor the key.
"""

from __future__ import annotations

import json
from pathlib import Path

import typer

from accord.cli.common import BadInput, console, hub_files, parse_datetime, settings, store_session, table
from accord.cli.decide import show_decision
from accord.domain.agencies import Program
from accord.domain.elements import CATALOG, parse_elements
from accord.domain.purposes import Purpose
from accord.linkage.hub.encoded import EncodedFileError
from accord.store.crypto import load_content_cipher
from accord.workflows.case_release import CaseOutcome, CaseRequest, release_record, request_case

app = typer.Typer(help="Case-level requests (supportive services, emergencies, juvenile justice).",
                  no_args_is_help=True)


@app.command("request")
def request(
    requester: str = typer.Option(..., help="User id of the person asking"),
    student_ref: Path = typer.Option(..., "--student-ref", help="The child as the requester's agency "
                                     "knows them, encoded there: `accord node encode` of a one-row CSV"),
    source: str = typer.Option(..., help="Agency holding the record (the school agency)"),
    purpose: Purpose = typer.Option(..., help="Why the data is asked for"),
    fields: list[str] = typer.Option(..., "--fields", help="Data elements, comma-separated or repeated"),
    at: str | None = typer.Option(None, help="When (ISO date-time; default now)"),
    interest: str = typer.Option("", help="The requester's stated interest"),
    threat: str | None = typer.Option(None, help="The articulable and significant threat (34 CFR 99.36)"),
    pre_adjudication: bool = typer.Option(False, help="Juvenile justice: to serve the student before "
                                          "adjudication (34 CFR 99.38)"),
    program: Program | None = typer.Option(None, help="The program the request is made for"),
    out: Path | None = typer.Option(None, help="Also write the release as JSON to this file"),
) -> None:
    """Identify the child, decide, record in the ledger, and show what may be released."""
    asked = CaseRequest(requester, source, purpose, parse_elements(fields, "--fields"),
                        parse_datetime(at, "--at"), student_ref, interest, threat, pre_adjudication, program)
    try:
        cipher = load_content_cipher(settings())
        with store_session() as session:
            outcome = request_case(session, hub_files(), asked, cipher)
    except EncodedFileError as err:
        raise BadInput(f"--student-ref: {err}; the requester's node encodes the child's description "
                       "(`accord node encode --agreement ID --in child.csv --out child.parquet`)") from None
    _show(outcome)
    if out is not None:
        out.write_text(json.dumps(release_record(outcome), indent=2, default=str), encoding="utf-8")
        console.print(f"Release written to {out}.")


def _show(outcome: CaseOutcome) -> None:
    if outcome.decision is None:
        console.print(f"[bold red]REFUSED[/]: the child was not identified ({outcome.identification}): "
                      f"{outcome.refusal}.")
        console.print(f"Recorded in the ledger as entry #{outcome.entry_seq}.")
        return
    show_decision(outcome.decision)
    console.print(f"Recorded in the ledger as entry #{outcome.entry_seq}.")
    if not outcome.permitted:
        return
    t = table("Released", "data element", "date", "facts")
    for item in outcome.released:
        facts = "; ".join(f"{k}: {v}" for k, v in sorted(item.values.items()) if v not in (None, ""))
        t.add_row(CATALOG[item.element].label, str(item.occurred_on or "-"), facts)
    console.print(t)
    if outcome.officer_notified:
        console.print("The source agency's records officer has been notified of this emergency release.")
    if outcome.notice:
        console.print(f"[bold]Notice to the recipient[/]: {outcome.notice}")
