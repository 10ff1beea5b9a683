"""`accord node keygen` and `accord node encode`: the face of the agency's node (accord.node).

Both run at the agency's node, in its own directory (ACCORD_NODE_DIR, where the key lives by
default), never in a hub's data directory; only the Parquet file and the hub's copy from `encode`
go to the hub (ADR 0014, P1). Messages name files, rows and columns, never a value from the roster.
"""

from __future__ import annotations

from pathlib import Path

import typer

from accord.cli.common import console, fail, table
from accord.cli.common import settings as current_settings
from accord.node import (
    ENCODED_FIELDS,
    Pseudonymiser,
    copy_for_hub,
    encode_file,
    key_id,
    make_node_key,
    make_school_pseudonym_key,
    node_key,
    node_pseudonyms,
    resolve_results,
)

app = typer.Typer(help="The agency's node: the linkage key and the files it sends a hub. Runs in the "
                  "node's directory (ACCORD_NODE_DIR, default ./accord-node), never at the hub.",
                  no_args_is_help=True)
KEY_HELP = "The shared key file from `accord node keygen` (default: linkage.key in the node's directory)"
PSEUDONYM_HELP = ("The school's pseudonym key (default: pseudonym.key in the node's directory, used whenever "
                  "it is there): record ids reach the hub as the students' pseudonyms")


def _pseudonyms(option: Path | None, required: bool = False) -> Pseudonymiser | None:
    """The school's pseudonyms: from `option`, else from the node's own key file when it has one."""
    config = current_settings()
    path = option or config.pseudonym_key_file
    if option is None and not required and not path.exists():
        return None
    return node_pseudonyms(path, config.data_dir)


@app.command("keygen")
def keygen(out: Path | None = typer.Option(None, "--out", help="Key file to create (mode 0600; never "
                                           "overwritten; default: linkage.key in the node's directory)")
           ) -> None:
    """Make the agencies' shared secret key for encoding rosters. Give it to every agency, never the hub."""
    config = current_settings()
    out = out or config.linkage_key_file
    key = make_node_key(out, config.data_dir)
    console.print(f"Wrote key {key_id(key)} to {out} (mode 0600). Share it only with the other agencies.",
                  highlight=False)


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
    pseudonym_key: Path | None = typer.Option(None, "--pseudonym-key", help=PSEUDONYM_HELP),
) -> None:
    """Encode a roster under the shared key: the output holds record_id and encodings, no clear identities."""
    config = current_settings()
    key = node_key(key_file or config.linkage_key_file, config.data_dir)
    pseudonyms = _pseudonyms(pseudonym_key)
    try:
        summary = encode_file(source, out, key, agreement, hub_copy, pseudonyms)
    except OSError as err:
        fail(f"{out}: cannot write ({err.strerror})")
    under = f"key {key_id(key)}"
    if agreement:
        under = f"agreement {agreement}'s key, derived from {under}"
    console.print(f"Encoded {source.name} -> {out} under {under}", highlight=False)
    if pseudonyms is not None:
        console.print("Record ids replaced by the school's pseudonyms (its own key, never at the hub).")
    if hub_copy is not None:
        console.print(f"The hub's copy, without names, birth date, sex, address or identifier: {hub_copy}",
                      highlight=False)
    console.print(f"rows read: {summary.rows_read}   rows written: {summary.rows_written}", highlight=False)
    fields = table("Missing values per field", "field", "missing", "of which unusable")
    for field in ENCODED_FIELDS:
        fields.add_row(field, str(summary.missing[field]), str(summary.unusable[field]))
    console.print(fields)


@app.command("copy")
def copy(
    source: Path = typer.Option(..., "--in", help="A file of records for the hub (attendance, grades, "
                                "enrollments, programs, discipline: CSV, or an Ed-Fi resource)"),
    out: Path = typer.Option(..., "--out", help="The copy to send the hub"),
    pseudonym_key: Path | None = typer.Option(None, "--pseudonym-key", help=PSEUDONYM_HELP),
) -> None:
    """Copy a file of records for the hub: no names, birth date, sex, address or identifier, and
    the school's pseudonyms in place of its record ids."""
    pseudonyms = _pseudonyms(pseudonym_key)
    rows = copy_for_hub(source, out, pseudonyms)
    renamed = ", record ids replaced by the school's pseudonyms" if pseudonyms is not None else ""
    console.print(f"Copied {source.name} -> {out} for the hub: {rows:,} rows{renamed}.", highlight=False)


@app.command("pseudonym-key")
def pseudonym_key_command(out: Path | None = typer.Option(
        None, "--out", help="Key file to create (mode 0600; never overwritten; default: pseudonym.key in the "
        "node's directory)")) -> None:
    """Make the school's pseudonym key: its students reach the hub under pseudonyms only it can
    compute. Its own: give it to no other agency, never to the hub."""
    config = current_settings()
    out = out or config.pseudonym_key_file
    make_school_pseudonym_key(out, config.data_dir)
    console.print(f"Wrote the school's pseudonym key to {out} (mode 0600). Keep it at this node only; "
                  "every file `accord node encode` and `accord node copy` write for the hub now carries "
                  "pseudonyms.", highlight=False)


@app.command("pseudonym")
def pseudonym(
    record_ids: list[str] = typer.Argument(..., help="The school's record ids"),
    pseudonym_key: Path | None = typer.Option(None, "--pseudonym-key", help=PSEUDONYM_HELP),
) -> None:
    """The id each student has at the hub (for recording a consent, or a parent's inspection),
    one per line in the order given; the record ids are not printed back."""
    pseudonyms = _pseudonyms(pseudonym_key, required=True)
    assert pseudonyms is not None
    for record_id in record_ids:
        typer.echo(pseudonyms(record_id.strip()))


@app.command("resolve")
def resolve(
    results: Path = typer.Option(..., "--results", help="The results the hub gave this node "
                                 "(`accord crosscheck results`), under its pseudonyms"),
    own_file: Path = typer.Option(..., "--ids-from", help="This node's own file the submission was encoded "
                                  "from (its record_id column)"),
    out: Path = typer.Option(..., "--out", help="CSV of student_id, program_category, basis, run, date"),
    pseudonym_key: Path | None = typer.Option(None, "--pseudonym-key", help=PSEUDONYM_HELP),
) -> None:
    """Turn a cross-check's results back into this node's own ids: the certified list for the
    meal-benefit system. Only the node can: the hub never held the key."""
    pseudonyms = _pseudonyms(pseudonym_key, required=True)
    assert pseudonyms is not None
    rows = resolve_results(results, own_file, pseudonyms, out)
    console.print(f"Resolved {rows:,} results to this node's ids: {out}", highlight=False)
