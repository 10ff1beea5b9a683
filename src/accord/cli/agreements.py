"""`accord agreements`: create from JSON, show, validate, sign, activate, terminate."""

from __future__ import annotations

from pathlib import Path

import typer

from accord.cli.agreement_view import print_agreement, print_problems
from accord.cli.common import BadInput, acting_user, console, fail, joined, parse_date, store_session, table
from accord.domain.agreements import AgreementNotReady, AgreementTransitionError
from accord.intake.agreement_document import agreement_from_file
from accord.workflows import governance

app = typer.Typer(help="Draft, check and activate written agreements.", no_args_is_help=True)
NOT_READY = 1  # exit code when an agreement lacks required elements



@app.command("create")
def create(file: Path = typer.Argument(..., help="JSON file with the agreement's fields")) -> None:
    """Store a new draft agreement (version 1, or the version the file names)."""
    with store_session() as s:
        try:
            a = governance.draft_agreement(s, agreement_from_file(file))
        except governance.AlreadyRecorded as err:
            raise BadInput(f"{file}: field 'id': {err}") from None
    console.print(f"Draft agreement {a.id} v{a.version} saved. Check it with "
                  f"`accord agreements validate {a.id}`.")


@app.command("list")
def list_all() -> None:
    """The latest version of every agreement."""
    with store_session() as s:
        found = governance.agreements(s)
    t = table("Agreements", "id", "v", "layer", "status", "sources", "recipients", "ends")
    for a in found:
        t.add_row(a.id, str(a.version), a.layer.value, a.status.value, joined(a.source_agency_ids),
                  joined(a.recipient_agency_ids), str(a.ends_on or "-"))
    console.print(t)


@app.command("show")
def show(agreement_id: str, version: int | None = typer.Option(None, help="Default: latest")) -> None:
    """Every element of one agreement."""
    with store_session() as s:
        a = governance.agreement(s, agreement_id, version)
    print_agreement(a)


@app.command("validate")
def validate(agreement_id: str, version: int | None = typer.Option(None, help="Default: latest"),
             on: str | None = typer.Option(None, help="Check as of this date (default today)")) -> None:
    """List every element that stops the agreement becoming active; exit 1 if any."""
    day = parse_date(on, "--on")
    with store_session() as s:
        a, problems = governance.activation_problems(s, agreement_id, version, day)
    if problems:
        print_problems(a, problems)
        raise typer.Exit(code=NOT_READY)
    console.print(f"Agreement {a.id} v{a.version} has every required element and signature.")


@app.command("sign")
def sign(agreement_id: str, agency: str = typer.Option(..., help="The signing party"),
         title: str = typer.Option(..., help="The office that signed, e.g. Superintendent"),
         on: str | None = typer.Option(None, help="Signing date (default today)")) -> None:
    """Record a party's signature on the latest draft version."""
    day = parse_date(on, "--on")
    with store_session() as s:
        governance.sign_agreement(s, agreement_id, agency, title, day)
    console.print(f"Agreement {agreement_id}: signature of {agency} recorded.")


@app.command("activate")
def activate(agreement_id: str,
             on: str | None = typer.Option(None, help="Activation date (default today)")) -> None:
    """Draft -> active, only when every element is present; otherwise list them and exit 1."""
    day = parse_date(on, "--on")
    with store_session() as s:
        a = governance.agreement(s, agreement_id)
        try:
            active = governance.activate_agreement(s, agreement_id, day, acting_user())
        except AgreementNotReady as err:
            print_problems(a, err.missing)
            raise typer.Exit(code=NOT_READY) from None
        except AgreementTransitionError as err:
            fail(str(err), NOT_READY)
    console.print(f"Agreement {agreement_id} v{active.version} is active from {day}.")


@app.command("terminate")
def terminate(agreement_id: str,
              on: str | None = typer.Option(None, help="Termination date (default today)")) -> None:
    """Active -> terminated: no further disclosures under it from that date."""
    day = parse_date(on, "--on")
    with store_session() as s:
        try:
            ended = governance.terminate_agreement(s, agreement_id, day, acting_user())
        except AgreementTransitionError as err:
            fail(str(err), NOT_READY)
    console.print(f"Agreement {agreement_id} v{ended.version} terminated on {day}.")


@app.command("certify-destruction")
def certify_destruction(
        agreement_id: str,
        on: str | None = typer.Option(None, help="Date the recipient certified (default today)"),
) -> None:
    """Expired or terminated -> destruction certified: the recipient destroyed the data."""
    day = parse_date(on, "--on")
    with store_session() as s:
        try:
            governance.certify_destruction(s, agreement_id, day, acting_user())
        except AgreementTransitionError as err:
            fail(str(err), NOT_READY)
    console.print(f"Agreement {agreement_id}: destruction certified on {day}.")
