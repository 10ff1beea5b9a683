"""`accord intake`: an agency loads a file into the hub, whole or not at all.

The hub never holds the shared key: a students file or a partner roster comes with the encodings
of its identity columns, made by the agency at its own node (`accord node encode --in FILE`), and only
those reach the hub's roster; everything else goes to the hub store, content sealed with AES-GCM.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

import typer
from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeElapsedColumn

from accord.cli.common import BadInput, console, hub_files, settings, store_session, table
from accord.store.crypto import ContentKeyError, generate_content_key_file, load_content_cipher
from accord.workflows.hub_recovery import recover
from accord.workflows.intake import IntakeReport
from accord.workflows.intake_load import check_request, load_agency_file

app = typer.Typer(help="Load agency files (CSV, Ed-Fi JSON or NDJSON) into the hub.", no_args_is_help=True)
SHOWN_REJECTIONS = 20


@contextmanager
def _bar(path: Path) -> Iterator[Progress]:
    with Progress(TextColumn(f"reading {path.name}"), BarColumn(), DownloadColumn(), TimeElapsedColumn(),
                  console=console, transient=True) as progress:
        yield progress


@app.command("load")
def load(
    agency: str = typer.Option(..., help="The agency whose file this is"),
    kind: str = typer.Option(..., help="students, enrollments, attendance, discipline, grades, programs or "
                             "roster (CSV); or an Ed-Fi resource name (JSON or NDJSON)"),
    source: Path = typer.Option(..., "--in", help="The file to load"),
    encoded: list[Path] | None = typer.Option(
        None, help="students, roster: the agency's encodings of this file's identities for an agreement "
        "(`accord node encode --agreement ID --in` the same file); once per agreement it is sent under"),
    element: str | None = typer.Option(None, help="roster: the data element its program fields are"),
    incidents: Path | None = typer.Option(
        None, help="Ed-Fi behavior associations: the disciplineIncidents file they refer to"),
    dry_run: bool = typer.Option(False, "--dry-run", help="Check everything, write nothing"),
) -> None:
    """Validate the whole file and load it in one transaction; any rejected row loads nothing."""
    check_request(kind, source.name, encoded or [])
    cipher = load_content_cipher(settings())
    with _bar(source) as progress:
        task = progress.add_task("read", total=source.stat().st_size)
        outcome = load_agency_file(
            store_session, hub_files(), agency, kind, source, cipher, datetime.now(), encoded=encoded or [],
            element=element, incidents=incidents, dry_run=dry_run,
            open_reader=lambda: store_session(read_only=True),
            on_recovered=lambda note: console.print(f"[yellow]recovered:[/] {note}.", highlight=False),
            on_progress=lambda done: progress.update(task, completed=done))
    for agreement, size in outcome.rosters.items():
        console.print(f"The hub's encoded roster of {agency} for agreement {agreement} now holds "
                      f"{size:,} records.")
    _show(outcome.report)
    if not outcome.report.accepted:
        raise typer.Exit(1)


def _recover() -> list[str]:
    notes = recover(store_session, hub_files(), datetime.now(),
                    open_reader=lambda: store_session(read_only=True))
    for note in notes:
        console.print(f"[yellow]recovered:[/] {note}.", highlight=False)
    return notes


@app.command("recover")
def recover_command() -> None:
    """Finish or undo what a stopped load left between the store and the hub's rosters (a load
    does this first on its own)."""
    if not _recover():
        console.print("Nothing to recover: the store and the hub's rosters agree.")


def _show(report: IntakeReport) -> None:
    if report.same_file_as is not None:
        console.print(f"{report.source} ({report.kind}, agency {report.agency_id}): the same file was loaded "
                      f"as batch {report.same_file_as}; nothing changed, nothing recorded in the ledger.")
        return
    if not report.rows_read and not report.rejections:
        console.print(f"[yellow]warning:[/] {report.source} holds no rows (a header alone): nothing to load, "
                      "nothing recorded in the ledger.")
        return
    if report.nothing_changed:
        console.print(f"{report.source} ({report.kind}, agency {report.agency_id}): {report.rows_read:,} "
                      "rows read; every fact in them is held already, unchanged: nothing changed, "
                      "nothing recorded in the ledger.")
        return
    what = "Dry run: nothing written. " if report.dry_run else ""
    loaded = f"{report.would_load:,} would load" if report.dry_run else f"{report.rows_loaded:,} loaded"
    console.print(f"{what}{report.source} ({report.kind}, agency {report.agency_id}): "
                  f"{report.rows_read:,} rows read, {loaded}, {report.rows_rejected:,} rejected.")
    written = report.content
    if written.replaced or written.unchanged:
        console.print(f"Facts: {written.added:,} new, {written.replaced:,} corrected (an earlier load's "
                      f"value replaced), {written.unchanged:,} already held as they are.")
    if report.unknown_ages and report.accepted:
        console.print(f"[yellow]note:[/] {report.unknown_ages:,} student(s) came without a birth date: the "
                      "hub reads their age as a minor's (parents hold the rights) until a file gives it.")
    if report.consents:
        console.print(f"{report.consents:,} consent(s) captured at enrollment recorded.")
    if report.would_consent:
        console.print(f"{report.would_consent:,} consent(s) captured at enrollment would be recorded.")
    if report.entry_seq is not None:
        console.print(f"Recorded in the ledger as entry #{report.entry_seq}.")
    if report.rejections:
        console.print("[bold red]Nothing was loaded[/]: the file is loaded whole or not at all.")
        t = table("Rejected rows", "file", "row", "field", "reason")
        for r in report.rejections[:SHOWN_REJECTIONS]:
            t.add_row(r.file, str(r.row), r.field, r.reason)
        console.print(t)
        if len(report.rejections) > SHOWN_REJECTIONS:
            console.print(f"... and {len(report.rejections) - SHOWN_REJECTIONS:,} more.")
        unmapped = Counter(r.reason.split(": map it")[0] for r in report.rejections
                           if r.reason.startswith("unmapped "))
        if unmapped:
            console.print("Descriptors of the agency's own namespace to map (`accord descriptors map`):")
            for what, rows in unmapped.most_common():
                console.print(f"  {what.removeprefix('unmapped ')}: {rows:,} row(s)", highlight=False)


@app.command("content-key")
def content_key(out: Path = typer.Option(..., help="Where to write the new AES-256 content key")) -> None:
    """Create the key that seals record content at rest (keep it apart from the database)."""
    try:
        generate_content_key_file(out)
    except (ContentKeyError, OSError) as err:
        raise BadInput(str(err)) from None
    console.print(f"Content key written to {out} (mode 0600). Point ACCORD_CONTENT_KEY_FILE at it.")
