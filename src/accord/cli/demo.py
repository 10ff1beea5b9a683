"""`accord demo`: build a synthetic county, store it, and show a records officer what Accord
decides and why.

Only synthetic people appear, and only by internal id: no names, birth dates or addresses.
"""

from __future__ import annotations

import shutil
import sys
from datetime import date
from functools import partial

import typer
from rich.console import Console
from rich.table import Table

from accord.cli.common import settings
from accord.cli.demo_cases import (
    demo_parties,
    school_node,
    show_cases,
    show_crosscheck,
    show_study,
    show_where,
)
from accord.cli.demo_signins import make_demo_sign_ins
from accord.domain.elements import CATALOG
from accord.store.db import make_engine
from accord.synth import renamed
from accord.workflows.demo import run_demo
from accord.workflows.demo_report import DemoReport
from accord.workflows.demo_store import holds_data
from accord.workflows.demo_store import reset as reset_database
from accord.workflows.ledger import signing_key
from accord.workflows.ledger_marks import mark_file


def _may_replace(reset: bool) -> bool:
    """Never delete data silently: --reset, or an explicit yes at a terminal."""
    if reset:
        return True
    if not sys.stdin.isatty():
        typer.echo("The Accord database already holds data. Run `accord demo --reset` to "
                   "replace it with the demo county (nothing was changed).", err=True)
        raise typer.Exit(code=2)
    return typer.confirm("The Accord database already holds data. Delete all of it and "
                         "store the demo county instead?", default=False)


def demo(
    reset: bool = typer.Option(False, "--reset",
                               help="Replace what the database holds without asking."),
    students: int = typer.Option(3000, min=50, help="How many synthetic students."),
    seed: int = typer.Option(7, help="Seed: the same seed gives the same county."),
) -> None:
    """Build a synthetic county, run scripted requests through the policy, show the results."""
    config = settings()
    config.data_dir.mkdir(parents=True, exist_ok=True)
    engine = make_engine(config.database_url)
    try:
        if holds_data(engine):
            if not _may_replace(reset):
                typer.echo("Nothing was changed.")
                raise typer.Exit(code=1)
            reset_database(engine)
            # The partners' copies of the old county's checkpoints would not match the new one, nor
            # the old ledger's kept verification.
            shutil.rmtree(config.witness_dir, ignore_errors=True)
            mark_file(config.ledger_key_file).unlink(missing_ok=True)
        # Encoded rosters and lookup models without a county in the database are left over from an
        # older one (under another linkage key); the demo's agencies load theirs afresh.
        shutil.rmtree(config.hub_dir, ignore_errors=True)
        pseudonyms = school_node()
        parties = demo_parties(pseudonyms)
        today = date.today()
        report = run_demo(engine, as_of=today, seed=seed, students=students,
                          key=signing_key(config.ledger_key_file, create=True), witnesses=config.witness_dir,
                          cases=parties.cases, crosscheck=parties.crosscheck, study=parties.study,
                          at_hub=partial(renamed, rename=pseudonyms, as_of=today),
                          mark=mark_file(config.ledger_key_file))
    finally:
        engine.dispose()
    console = Console()
    show(report, console)
    if report.cases:
        show_where(console)
    make_demo_sign_ins(config.data_dir, console)


def show(report: DemoReport, console: Console) -> None:
    """Print the county, the decisions and a short summary."""
    _county(report, console)
    _decisions(report, console)
    show_cases(report, console)
    show_crosscheck(report, console)
    show_study(report, console)
    _summary(report, console)


def _table(title: str, *columns: str) -> Table:
    t = Table(title=title, title_justify="left", title_style="bold", show_lines=False)
    for c in columns:
        t.add_column(c, overflow="fold")
    return t


def _county(report: DemoReport, console: Console) -> None:
    c = report.county
    console.rule(f"[bold]Synthetic county on {report.as_of} (seed {report.seed})")
    console.print("Every person here is made up. Students are shown only by internal id.\n")
    t = _table("Agencies", "id", "agency", "kind", "programs")
    for row in c.agencies:
        t.add_row(*row)
    console.print(t)
    t = _table("Users by role", "role", "users")
    for role, n in c.users_by_role:
        t.add_row(role.replace("_", " "), str(n))
    console.print(t)
    console.print(f"[bold]Students:[/] {c.students:,} ({c.minors:,} under 18, "
                  f"{c.eligible_students:,} hold their own FERPA rights, {c.foster_care} in "
                  f"foster care, {c.directory_opt_outs} opted out of directory information)\n")
    t = _table("Agreements", "layer", "status today", "count")
    for layer, status, n in c.agreements:
        t.add_row(layer.replace("_", " "), status, str(n))
    console.print(t)
    t = _table("Consents", "form", "status today", "count")
    for form, status, n in c.consents:
        t.add_row(form.replace("_", " "), status, str(n))
    console.print(t)
    console.print("Consent forms signed in: " + ", ".join(
        f"{lang} ({n})" for lang, n in c.consent_languages) + "\n")


def _labels(codes: tuple[str, ...]) -> str:
    return ", ".join(CATALOG[c].label if c in CATALOG else c for c in codes) or "nothing"


def _decisions(report: DemoReport, console: Console) -> None:
    console.rule("[bold]Requests and decisions")
    t = _table("Every request went through the policy engine", "#", "situation", "who asks",
               "purpose", "result")
    for i, r in enumerate(report.results, 1):
        result = "[green]permitted[/]" if r.permitted else "[red]denied[/]"
        t.add_row(str(i), r.situation, f"{r.requester_role.replace('_', ' ')}, "
                  f"{r.requester_agency}", r.purpose.replace("_", " "), result)
    console.print(t)
    console.print("\n[bold]Why, request by request[/]")
    for i, r in enumerate(report.results, 1):
        result = "[green]PERMITTED[/]" if r.permitted else "[red]DENIED[/]"
        console.print(f"\n[bold]{i}. {result}[/] {r.situation}")
        console.print(f"   {r.requester_role.replace('_', ' ')} at {r.requester_agency} asked "
                      f"{r.holder_agency} about student {r.student_id} for "
                      f"{r.purpose.replace('_', ' ')} ({r.output.replace('_', ' ')})")
        console.print(f"   asked for: {_labels(r.asked)}")
        console.print(f"   released:  {_labels(r.released)}")
        for basis, cite in r.bases:
            console.print(f"   [green]on the basis of[/] {basis.replace('_', ' ')} ({cite})")
        for text, cite in r.failed:
            console.print(f"   [red]not met:[/] {text} [dim]({cite})[/]")


def _summary(report: DemoReport, console: Console) -> None:
    console.rule("[bold]Summary")
    console.print(f"{report.permitted} requests permitted, {report.denied} denied, "
                  f"out of {len(report.results)}.")
    if report.persisted_to:
        console.print(f"The county is stored in {report.persisted_to}; every decision above "
                      "was made on facts read back from it.")
    else:
        console.print("The county was not stored; the decisions were made in memory.")
    _ledger(report, console)


def _ledger(report: DemoReport, console: Console) -> None:
    led = report.ledger
    if led is None:
        return
    console.rule("[bold]The disclosure ledger")
    console.print(f"Every agreement, consent and decision above is in the ledger: "
                  f"{led.entries:,} entries, each chained to the one before.")
    console.print(f"Signed checkpoint: root [bold]{led.root}[/] signed {led.signed_at} by key "
                  f"{led.key_id}; a copy went to each of {led.witness_copies} agencies.")
    if led.verified:
        console.print("[bold green]Verified:[/] every entry matches its hash and its place in the "
                      "chain, and the signed root matches the log (`accord ledger verify`).")
    else:
        console.print(f"[bold red]The ledger does not verify:[/] {led.first_problem}")
