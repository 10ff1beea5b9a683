"""`accord descriptors`: the records officer maps an agency's own Ed-Fi descriptors (a state's or
district's namespace) to the codes Accord knows; loads of that agency's files then accept them."""

from __future__ import annotations

from datetime import datetime

import typer

from accord.cli.common import acting_user, console, store_session, table
from accord.workflows import descriptors as flow

app = typer.Typer(help="Map an agency's own Ed-Fi descriptors to the codes Accord knows.",
                  no_args_is_help=True)


@app.command("map")
def map_command(
    agency: str = typer.Option(..., help="The agency whose files use the descriptor"),
    source: str = typer.Option(..., "--from", help="The agency's descriptor URI, e.g. "
                               "uri://ky.gov/AttendanceEventCategoryDescriptor#UA"),
    code: str = typer.Option(..., "--to", help="The Ed-Fi code it means, e.g. 'Unexcused Absence'"),
) -> None:
    """Map one descriptor; its files' rows carrying it then load as that code."""
    with store_session() as s:
        m = flow.map_descriptor(s, agency, source, code, acting_user(), datetime.now())
    console.print(f"{agency}: {source.strip()} now loads as {m.descriptor} '{m.code}'.", highlight=False)


@app.command("unmap")
def unmap_command(agency: str = typer.Option(...), source: str = typer.Option(..., "--from")) -> None:
    """Remove one mapping; rows carrying it are then rejected again."""
    with store_session() as s:
        flow.unmap_descriptor(s, agency, source)
    console.print(f"{agency}: {source.strip()} is no longer mapped.", highlight=False)


@app.command("list")
def list_command(agency: str = typer.Option(...)) -> None:
    """The agency's mappings."""
    with store_session(read_only=True) as s:
        mappings = flow.descriptor_mappings(s, agency)
    t = table(f"Descriptor mappings of {agency}", "descriptor", "agency's URI (casefolded)", "loads as",
              "mapped by", "on")
    for m in mappings:
        t.add_row(m.descriptor, m.source, m.code, m.mapped_by, m.mapped_at.date().isoformat())
    console.print(t)
