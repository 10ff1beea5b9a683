"""`accord node keygen` and `accord node encode`: the agency side of privacy-preserving linkage.

Both run at the agency's node, in its own directory (ACCORD_NODE_DIR, where the key lives by
default), never in a hub's data directory; only the Parquet file and the hub's copy from `encode`
go to the hub (ADR 0014, P1). Messages name files, rows and columns, never a value from the roster.
"""

from __future__ import annotations

from pathlib import Path

import typer

from accord.cli.common import console, fail, table
from accord.config import data_dir, linkage_key_file
from accord.intake import IntakeError, iter_batches
from accord.linkage.encode.keys import generate_key, key_id, read_key_file, write_key_file
from accord.linkage.hub_copy import write_edfi_hub_copy, write_hub_copy
from accord.linkage.pipeline import ENCODED_FIELDS, EncodeSummary, encode_people, encode_roster

app = typer.Typer(help="The agency's node: the linkage key and the files it sends a hub. Runs in the "
                  "node's directory (ACCORD_NODE_DIR, default ./accord-node), never at the hub.",
                  no_args_is_help=True)
KEY_HELP = "The shared key file from `accord node keygen` (default: linkage.key in the node's directory)"


def _outside_the_hub(path: Path) -> None:
    """A key file in a hub's data directory is the key at the hub (ADR 0014, P1): refused."""
    if path.resolve().is_relative_to(data_dir().resolve()):
        fail(f"{path}: inside the hub's data directory ({data_dir()}); the linkage key stays at the "
             "agencies' nodes (set ACCORD_NODE_DIR, or keep the key file elsewhere)")


@app.command("keygen")
def keygen(out: Path | None = typer.Option(None, "--out", help="Key file to create (mode 0600; never "
                                           "overwritten; default: linkage.key in the node's directory)")
           ) -> None:
    """Make the agencies' shared secret key for encoding rosters. Give it to every agency, never the hub."""
    out = out or linkage_key_file()
    _outside_the_hub(out)
    key = generate_key()
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        write_key_file(out, key)
    except OSError as err:
        fail(f"{out.parent}: cannot create the node's directory ({err.strerror})")
    console.print(f"Wrote key {key_id(key)} to {out} (mode 0600). Share it only with the other agencies.",
                  highlight=False)


EDFI_SUFFIXES = (".json", ".ndjson")


def _edfi_students(source: Path, out: Path, key: bytes, agreement: str) -> EncodeSummary:
    """An Ed-Fi students resource: its identities, read as `accord intake load` reads them."""
    people: list[dict[str, str]] = []
    for batch in iter_batches(source, "students"):
        if batch.rejections:
            first = batch.rejections[0]
            raise IntakeError(first.file, first.row, first.field, first.reason)
        people += [{"record_id": p.record_id, **p.identity} for p in batch.identities]
    return encode_people(people, out, key, agreement=agreement)


@app.command("encode")
def encode(
    key_file: Path | None = typer.Option(None, "--key-file", help=KEY_HELP),
    source: Path = typer.Option(..., "--in", help="Roster CSV with the canonical identity columns, or an "
                                "Ed-Fi students resource (JSON or NDJSON)"),
    out: Path = typer.Option(..., "--out", help="Parquet file of record_id and keyed encodings"),
    hub_copy: Path | None = typer.Option(None, "--hub-copy", help="Also write the file's copy for the hub: "
                                         "no names, birth date, sex, address or identifier"),
    agreement: str = typer.Option("", "--agreement", help="The agreement the file is sent to the hub for: "
                                  "encoded under that agreement's own key. Leave out only for files you "
                                  "link yourself (`accord link`)"),
) -> None:
    """Encode a roster under the shared key: the output holds record_id and encodings, no clear identities."""
    edfi = source.suffix.lower() in EDFI_SUFFIXES
    key_file = key_file or linkage_key_file()
    _outside_the_hub(key_file)
    try:
        key = read_key_file(key_file)
        summary = (_edfi_students(source, out, key, agreement) if edfi
                   else encode_roster(source, out, key, agreement=agreement))
        if hub_copy is not None:
            (write_edfi_hub_copy if edfi else write_hub_copy)(source, hub_copy)
    except OSError as err:
        fail(f"{out}: cannot write ({err.strerror})")
    under = f"key {key_id(key)}"
    if agreement:
        under = f"agreement {agreement}'s key, derived from {under}"
    console.print(f"Encoded {source.name} -> {out} under {under}", highlight=False)
    if hub_copy is not None:
        console.print(f"The hub's copy, without names, birth date, sex, address or identifier: {hub_copy}",
                      highlight=False)
    console.print(f"rows read: {summary.rows_read}   rows written: {summary.rows_written}", highlight=False)
    fields = table("Missing values per field", "field", "missing", "of which unusable")
    for field in ENCODED_FIELDS:
        fields.add_row(field, str(summary.missing[field]), str(summary.unusable[field]))
    console.print(fields)
