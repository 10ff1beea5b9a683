"""`accord ledger`: verify, checkpoint, prove, export (and the parent view, `history`)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import typer

from accord.cli.common import console, fail, hub_files, settings, store_session, table
from accord.cli.ledger_history import history
from accord.ledger.checkpoints import read_witness_files
from accord.ledger.signing import SigningKeyError, key_id
from accord.workflows import ledger as ledger_flow
from accord.workflows.hub_recovery import unsettled
from accord.workflows.ledger_marks import verify_and_mark

app = typer.Typer(no_args_is_help=True, help="The disclosure ledger (34 CFR 99.32).")
app.command("history")(history)
TAMPERED = 1


@app.command("verify")
def verify(witness: list[Path] = typer.Option(
        [], help="A partner's checkpoint file, or a folder of them (repeatable)")) -> None:
    """Re-walk the chain and the Merkle tree; exit 1 naming the first entry that was edited,
    deleted, inserted, reordered or rewritten. With the signing key here, what was found is signed and
    kept (the office's dashboard then checks only the entries written after it)."""
    witnessed = [(f"witness {path}", cp) for path, cp in read_witness_files(witness)]
    trusted = ledger_flow.trusted_public_key(settings().ledger_key_file)
    with store_session(read_only=True) as s:
        report = verify_and_mark(s, witnessed, settings().ledger_key_file)
    if trusted is None:
        console.print("[yellow]No signing key on this machine: checkpoint signatures are checked, "
                      "but not that they are Accord's own key.[/]")
    console.print(f"Entries: {report.entries:,}   checkpoints checked: "
                  f"{report.checkpoints_checked}   root: {report.root or '-'}")
    if (left := unsettled(hub_files())):
        console.print(f"[yellow]warning:[/] {left} piece(s) of work a stopped load left between the store "
                      "and the hub's rosters: run `accord intake recover` (the next load does it too).")
    if report.ok:
        console.print("[bold green]The ledger verifies:[/] every entry matches its hash and its "
                      "place in the chain, and every signed checkpoint still holds.")
        return
    t = table("Problems found", "from entry", "what", "detail")
    for p in report.problems:
        t.add_row(f"#{p.seq}", p.kind, p.text)
    console.print(t)
    first = report.first
    assert first is not None
    console.print(f"[bold red]The ledger does not verify:[/] first problem at entry #{first.seq}: "
                  f"{first.text}")
    raise typer.Exit(code=TAMPERED)


@app.command("checkpoint")
def checkpoint() -> None:
    """Sign the current root, keep it, and export a copy for every partner agency."""
    try:
        key = ledger_flow.signing_key(settings().ledger_key_file)
    except SigningKeyError as err:
        fail(f"{err} (run `accord init` to create the key)")
    with store_session(read_only=True) as s:  # hashing a long ledger must not hold writers off
        try:
            cp = ledger_flow.sign_current_root(s, key)
        except ValueError as err:
            fail(str(err), 1)
    with store_session() as s:
        files = ledger_flow.keep_checkpoint(s, cp, settings().witness_dir)
    console.print(f"Checkpoint: {cp.size:,} entries, root {cp.root}, signed {cp.signed_at} "
                  f"by key {key_id(cp.public_key)}")
    console.print(f"Copies for {len(files)} agencies in {settings().witness_dir}")


@app.command("prove")
def prove(entry: int = typer.Argument(..., help="The entry's number (#)")) -> None:
    """An RFC 9162 inclusion proof that the entry is in the signed log."""
    with store_session(read_only=True) as s:
        try:
            proof = ledger_flow.prove(s, entry)
        except LookupError as err:
            fail(str(err))
    console.print_json(json.dumps(proof))
    console.print("[green]The proof verifies.[/]" if proof["verified"]
                  else "[red]The proof does not verify.[/]")


@app.command("export")
def export(out: Path | None = typer.Option(None, help="Write to this file (default: stdout)")) -> None:
    """JSON Lines for auditors: each entry exactly as hashed, then the signed checkpoints."""
    with store_session(read_only=True) as s:
        lines = list(ledger_flow.export(s))
    text = "\n".join(lines) + ("\n" if lines else "")
    if out is None:
        sys.stdout.write(text)
        return
    try:
        out.write_text(text, encoding="utf-8")
    except OSError as err:
        fail(f"--out: cannot write {out}: {err}")
    console.print(f"{len(lines):,} lines written to {out}")
