"""`accord node keygen` and `accord node encode`: the face of the agency's node (accord.node).

Both run at the agency's node, in its own directory (ACCORD_NODE_DIR, where the key lives by
default), never in a hub's data directory; only the Parquet file and the hub's copy from `encode`
go to the hub (ADR 0014, P1). Messages name files, rows and columns, never a value from the roster.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

import typer

from accord.cli.common import console, fail, parse_date, table
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
from accord.node.hub_client import HubClient, HubError, hub_client, read_client_secret, write_client_secret

app = typer.Typer(help="The agency's node: the linkage key and the files it sends a hub. Runs in the "
                  "node's directory (ACCORD_NODE_DIR, default ./accord-node), never at the hub.",
                  no_args_is_help=True)
KEY_HELP = "The shared key file from `accord node keygen` (default: linkage.key in the node's directory)"
PSEUDONYM_HELP = ("The school's pseudonym key (default: pseudonym.key in the node's directory, used whenever "
                  "it is there): record ids reach the hub as the students' pseudonyms")
AS_OF_HELP = ("The day the file speaks for (YYYY-MM-DD; today when left out). Its copy gives the month a "
              "person turns 18 only for this month and the next two, else only after or before them "
              "(ADR 0030; a program's list keeps its months): send a students file at least every two "
              "months")


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
    as_of: str | None = typer.Option(None, "--as-of", help=AS_OF_HELP),
) -> None:
    """Encode a roster under the shared key: the output holds record_id and encodings, no clear identities."""
    config = current_settings()
    key = node_key(key_file or config.linkage_key_file, config.data_dir)
    pseudonyms = _pseudonyms(pseudonym_key)
    day = parse_date(as_of, "--as-of")
    try:
        summary = encode_file(source, out, key, agreement, hub_copy, pseudonyms, day)
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


# --- the hub's API (issue 20): encode or copy, and send, in one command; fetch results ------------

send_app = typer.Typer(help="Encode (or copy) a file for the hub and send it to the hub's API in one step, "
                       "with this node's client credentials (`accord clients add` at the hub).",
                       no_args_is_help=True)
app.add_typer(send_app, name="send")
IDENTITY_KINDS = ("students", "roster")  # the files whose identities reach the hub as encodings only
SHOWN_REJECTIONS = 20
HUB_HELP = "The hub's API, https://host[:port] (plain http only to this machine; default ACCORD_HUB_URL)"
CLIENT_HELP = "This node's client id at the hub (default ACCORD_HUB_CLIENT_ID)"
SECRET_HELP = ("File holding this node's client secret (default: ACCORD_HUB_CLIENT_SECRET, else "
               "hub-client.secret in the node's directory, kept by `accord node hub-secret`)")
KEEP_HELP = "Also keep what is sent in this folder (default: a temporary folder, removed after)"


@contextmanager
def _hub(url: str | None, client_id: str | None, secret_file: Path | None) -> Iterator[HubClient]:
    """The hub's API as this node's client: the options, else the node's settings."""
    config = current_settings()
    url = url or config.hub_url
    client_id = client_id or config.hub_client_id
    if not url:
        fail("--hub: the hub's API address is needed (or set ACCORD_HUB_URL)")
    if not client_id:
        fail("--client-id: this node's client id at the hub is needed (or set ACCORD_HUB_CLIENT_ID)")
    if secret_file is None and config.hub_client_secret is not None:
        secret = config.hub_client_secret.get_secret_value()
    else:
        secret = read_client_secret(secret_file or config.hub_client_secret_file)
    with hub_client(url, client_id, secret) as client:
        yield client


@contextmanager
def _outbox(keep: Path | None) -> Iterator[Path]:
    """Where the files for the hub are written: `keep`, or a private folder removed afterwards."""
    if keep is not None:
        keep.mkdir(parents=True, exist_ok=True)
        yield keep
        return
    folder = Path(tempfile.mkdtemp(prefix="accord-outbox-"))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _beside(folder: Path, source: Path, name: str) -> Path:
    out = folder / name
    if out.resolve() == source.resolve():
        fail(f"--keep: {folder} is where {source.name} is; the hub's copy would replace it")
    return out


def _sent(work: Any) -> Any:
    """The hub's answer to `work()`; a refusal with rejected rows shows them (file, row, field,
    reason: never a value) before its line."""
    try:
        return work()
    except HubError as err:
        if err.rejections:
            console.print("[bold red]Nothing was loaded[/]: the file is loaded whole or not at all.")
            view = table("Rejected rows", "file", "row", "field", "reason")
            for r in err.rejections[:SHOWN_REJECTIONS]:
                view.add_row(str(r.get("file", "")), str(r.get("row", "")), str(r.get("field", "")),
                             str(r.get("reason", "")))
            console.print(view)
            if err.rows_rejected > SHOWN_REJECTIONS:
                console.print(f"... {err.rows_rejected:,} rows rejected in all.")
        raise


def _encoded(source: Path, folder: Path, key_file: Path | None, agreements: list[str],
             pseudonym_key: Path | None, as_of: date | None = None) -> tuple[Path, list[Path]]:
    """`source` encoded for each agreement, and the hub's copy, in `folder` (the copy's months of
    turning 18 as `encode_file` gives them, near `as_of` or today)."""
    config = current_settings()
    key = node_key(key_file or config.linkage_key_file, config.data_dir)
    pseudonyms = _pseudonyms(pseudonym_key)
    copy = _beside(folder, source, source.name)
    encodings = []
    for n, agreement in enumerate(agreements):
        out = folder / f"{source.stem}.{agreement}.parquet"
        summary = encode_file(source, out, key, agreement, copy if n == 0 else None, pseudonyms,
                              as_of or date.today())
        console.print(f"Encoded {source.name} for agreement {agreement}: {summary.rows_written:,} of "
                      f"{summary.rows_read:,} rows", highlight=False)
        encodings.append(out)
    if pseudonyms is not None:
        console.print("Record ids replaced by this node's pseudonyms (its own key, never at the hub).")
    return copy, encodings


@send_app.command("intake")
def send_intake(
    agency: str = typer.Option(..., "--agency", help="This node's agency"),
    kind: str = typer.Option(..., "--kind", help="students, enrollments, attendance, discipline, grades, "
                             "programs or roster (CSV); or an Ed-Fi resource name (JSON or NDJSON)"),
    source: Path = typer.Option(..., "--in", help="The node's own file"),
    agreements: list[str] | None = typer.Option(
        None, "--agreement", help="students, roster: an agreement the file is sent under (repeat for each); "
        "its identities are encoded for each, and only the encodings reach the hub"),
    element: str | None = typer.Option(None, help="roster: the data element its program fields are"),
    incidents: Path | None = typer.Option(
        None, help="Ed-Fi behavior associations: the disciplineIncidents file they refer to"),
    dry_run: bool = typer.Option(False, "--dry-run", help="The hub checks everything and writes nothing"),
    key_file: Path | None = typer.Option(None, "--key-file", help=KEY_HELP),
    pseudonym_key: Path | None = typer.Option(None, "--pseudonym-key", help=PSEUDONYM_HELP),
    as_of: str | None = typer.Option(None, "--as-of", help=AS_OF_HELP),
    keep: Path | None = typer.Option(None, "--keep", help=KEEP_HELP),
    hub: str | None = typer.Option(None, "--hub", help=HUB_HELP),
    client_id: str | None = typer.Option(None, "--client-id", help=CLIENT_HELP),
    secret_file: Path | None = typer.Option(None, "--client-secret-file", help=SECRET_HELP),
) -> None:
    """Load a file at the hub (its `intake load`): a students file or roster encoded for its
    agreements with the hub's copy, any other file copied; whole or not at all."""
    day = parse_date(as_of, "--as-of")
    if kind in IDENTITY_KINDS and not agreements:
        fail(f"--agreement: a {kind} file reaches the hub as encodings for the agreements it is sent under")
    if kind not in IDENTITY_KINDS and agreements:
        fail(f"--agreement: {kind} files have no identities to encode")
    with _outbox(keep) as folder:
        if agreements:
            copy, encodings = _encoded(source, folder, key_file, agreements, pseudonym_key, day)
        else:
            copy, encodings = _beside(folder, source, source.name), []
            rows = copy_for_hub(source, copy, _pseudonyms(pseudonym_key))
            console.print(f"Copied {source.name} for the hub: {rows:,} rows, without identities.",
                          highlight=False)
        with _hub(hub, client_id, secret_file) as client:
            report = _sent(lambda: client.load(agency, kind, copy, encodings, element=element,
                                               incidents=incidents, dry_run=dry_run))
    _show_load(client.url, report)


def _show_load(url: str, report: dict[str, Any]) -> None:
    name, kind = report.get("source"), report.get("kind")
    if report.get("same_file_as") is not None:
        console.print(f"{url}: {name} ({kind}) was loaded as batch {report['same_file_as']} already; nothing "
                      "changed.", highlight=False)
        return
    done = (f"{report.get('would_load', 0):,} would load (dry run: nothing written)" if report.get("dry_run")
            else f"{report.get('rows_loaded', 0):,} loaded")
    console.print(f"{url}: {name} ({kind}, agency {report.get('agency')}): "
                  f"{report.get('rows_read', 0):,} rows read, {done}.", highlight=False)
    if report.get("nothing_changed"):
        console.print("Every fact in it was held already: nothing changed, nothing recorded in the ledger.")
    if report.get("consents"):
        console.print(f"{report['consents']:,} consent(s) captured at enrollment recorded.")
    if report.get("ledger_entry") is not None:
        console.print(f"Recorded in the hub's ledger as entry #{report['ledger_entry']}.")
    for agreement, size in (report.get("rosters") or {}).items():
        console.print(f"The hub's encoded roster of {report.get('agency')} for agreement {agreement} now "
                      f"holds {size:,} records.", highlight=False)


@send_app.command("crosscheck")
def send_crosscheck(
    agreement: str = typer.Option(..., "--agreement", help="The agreement the cross-check runs under"),
    agency: str = typer.Option(..., "--agency", help="This node's agency"),
    source: Path = typer.Option(..., "--in", help="The node's roster (a program's list: with program and "
                                "household_id)"),
    key_file: Path | None = typer.Option(None, "--key-file", help=KEY_HELP),
    pseudonym_key: Path | None = typer.Option(None, "--pseudonym-key", help=PSEUDONYM_HELP),
    keep: Path | None = typer.Option(None, "--keep", help=KEEP_HELP),
    hub: str | None = typer.Option(None, "--hub", help=HUB_HELP),
    client_id: str | None = typer.Option(None, "--client-id", help=CLIENT_HELP),
    secret_file: Path | None = typer.Option(None, "--client-secret-file", help=SECRET_HELP),
) -> None:
    """Submit this node's roster for a cross-check's next run (its `crosscheck submit`), encoded for
    the agreement under this node's pseudonyms."""
    with _outbox(keep) as folder:
        copy, encodings = _encoded(source, folder, key_file, [agreement], pseudonym_key)
        with _hub(hub, client_id, secret_file) as client:
            answer = _sent(lambda: client.submit_crosscheck(agreement, agency, encodings[0], copy))
    console.print(f"{client.url}: submission of {agency} for the cross-check under {agreement}: "
                  f"{answer.get('rows', 0):,} records, kept until the next run.", highlight=False)


@send_app.command("study")
def send_study(
    study: str = typer.Option(..., "--study", help="The study the submission is for"),
    agreement: str = typer.Option(..., "--agreement", help="The study's agreement (the encodings' key)"),
    agency: str = typer.Option(..., "--agency", help="This node's agency"),
    source: Path = typer.Option(..., "--in", help="The node's roster for the study"),
    key_file: Path | None = typer.Option(None, "--key-file", help=KEY_HELP),
    pseudonym_key: Path | None = typer.Option(None, "--pseudonym-key", help=PSEUDONYM_HELP),
    keep: Path | None = typer.Option(None, "--keep", help=KEEP_HELP),
    hub: str | None = typer.Option(None, "--hub", help=HUB_HELP),
    client_id: str | None = typer.Option(None, "--client-id", help=CLIENT_HELP),
    secret_file: Path | None = typer.Option(None, "--client-secret-file", help=SECRET_HELP),
) -> None:
    """Submit this node's roster for a study's next build (its `study submit`)."""
    with _outbox(keep) as folder:
        copy, encodings = _encoded(source, folder, key_file, [agreement], pseudonym_key)
        with _hub(hub, client_id, secret_file) as client:
            answer = _sent(lambda: client.submit_study(study, agency, encodings[0], copy))
    console.print(f"{client.url}: submission of {agency} for study {study}: {answer.get('rows', 0):,} "
                  "records, kept until its next build.", highlight=False)


@app.command("results")
def results(
    run: int = typer.Argument(..., help="The cross-check run's number"),
    agency: str = typer.Option(..., "--agency", help="This node's agency"),
    out: Path = typer.Option(..., "--out", help="Where to write them: the hub's file (record_id: this node's "
                             "pseudonyms), or with --ids-from the list under this node's own ids"),
    own_file: Path | None = typer.Option(None, "--ids-from", help="Resolve them at once (`node resolve`): "
                                         "this node's own file the submission was encoded from"),
    pseudonym_key: Path | None = typer.Option(None, "--pseudonym-key", help=PSEUDONYM_HELP),
    hub: str | None = typer.Option(None, "--hub", help=HUB_HELP),
    client_id: str | None = typer.Option(None, "--client-id", help=CLIENT_HELP),
    secret_file: Path | None = typer.Option(None, "--client-secret-file", help=SECRET_HELP),
) -> None:
    """Fetch what this node's agency received in a cross-check run from the hub's API (its
    `crosscheck results`), and with --ids-from resolve it to this node's own ids."""
    pseudonyms = _pseudonyms(pseudonym_key, required=True) if own_file is not None else None
    with _outbox(None) as folder, _hub(hub, client_id, secret_file) as client:
        fetched = folder / f"results-{run}.csv" if own_file is not None else out
        rows = client.crosscheck_results(run, agency, fetched)
        if own_file is not None and pseudonyms is not None:
            rows = resolve_results(fetched, own_file, pseudonyms, out)
    resolved = " resolved to this node's ids" if own_file is not None else " under this node's pseudonyms"
    console.print(f"{rows:,} results for {agency} from run {run} at {client.url},{resolved}: {out}",
                  highlight=False)


@app.command("hub-secret")
def hub_secret(out: Path | None = typer.Option(
        None, "--out", help="File to create (mode 0600; never overwritten; default: hub-client.secret in the "
        "node's directory)")) -> None:
    """Keep this node's client secret for the hub's API (shown once by `accord clients add` at the
    hub), typed or piped in, in the node's own folder."""
    config = current_settings()
    out = out or config.hub_client_secret_file
    secret = typer.prompt("Client secret", hide_input=True)
    write_client_secret(out, secret)
    console.print(f"Client secret kept in {out} (mode 0600).", highlight=False)
