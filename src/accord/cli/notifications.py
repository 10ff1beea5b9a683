"""`accord notifications`: what a records officer must look at (emergency releases)."""

from __future__ import annotations

import typer

from accord.cli.common import console, parse_datetime, store_session, table
from accord.workflows.registry import acknowledge_notice, open_notices

app = typer.Typer(help="Notices to an agency's records officer.", no_args_is_help=True)


@app.command("list")
def list_notices(agency: str = typer.Option(..., help="The agency whose records officer reads")) -> None:
    """Notices not yet acknowledged, oldest first."""
    with store_session(read_only=True) as session:
        found = open_notices(session, agency)
    if not found:
        console.print(f"No open notices for the records officer of {agency}.")
        return
    t = table(f"Open notices for the records officer of {agency}", "id", "when", "kind",
              "ledger entry", "summary")
    for n in found:
        t.add_row(str(n.id), f"{n.created_at:%Y-%m-%d %H:%M}", n.kind, f"#{n.ledger_seq}", n.summary)
    console.print(t)


@app.command("ack")
def ack(notice: int = typer.Argument(..., help="The notice's id"),
        by: str = typer.Option(..., help="User id of the records officer who read it"),
        at: str | None = typer.Option(None, help="When (ISO date-time; default now)")) -> None:
    """Mark a notice read."""
    with store_session() as session:
        acknowledge_notice(session, notice, by, parse_datetime(at, "--at"))
    console.print(f"Notice {notice} acknowledged.")
