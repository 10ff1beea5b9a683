"""`accord demo`: build a synthetic county, store it, and show a records officer what Accord
decides and why.

Only synthetic people appear, and only by internal id: no names, birth dates or addresses.
"""

from __future__ import annotations

import os
import sys
from datetime import date
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from accord.domain.elements import CATALOG
from accord.workflows.demo import run_demo
from accord.workflows.demo_report import DemoReport

DB_NAME = "accord.db"


def data_dir() -> Path:
    """The data directory (ACCORD_DATA_DIR, else ./accord-data)."""
    # TODO(store): take this from accord.config once it lands, so CLI and store agree.
    return Path(os.environ.get("ACCORD_DATA_DIR", "accord-data"))


def _may_replace(db: Path, reset: bool) -> bool:
    """Never delete a database silently: --reset, or an explicit yes at a terminal."""
    if not db.exists() or reset:
        return True
    if not sys.stdin.isatty():
        typer.echo(f"{db} already holds a database. Run `accord demo --reset` to replace it "
                   "with the demo county (nothing was changed).", err=True)
        raise typer.Exit(code=2)
    return typer.confirm(f"{db} already holds a database. Delete it and store the demo "
                         "county instead?", default=False)


def demo(
    reset: bool = typer.Option(False, "--reset",
                               help="Replace an existing database without asking."),
    students: int = typer.Option(3000, help="How many synthetic students."),
    seed: int = typer.Option(7, help="Seed: the same seed gives the same county."),
) -> None:
    """Build a synthetic county, run scripted requests through the policy, show the results."""
    folder = data_dir()
    db = folder / DB_NAME
    if not _may_replace(db, reset):
        typer.echo("Nothing was changed.")
        raise typer.Exit(code=1)
    folder.mkdir(parents=True, exist_ok=True)
    db.unlink(missing_ok=True)
    from sqlalchemy import create_engine  # only the demo command needs the database

    engine = create_engine(f"sqlite:///{db}")
    try:
        report = run_demo(engine, as_of=date.today(), seed=seed, students=students)
    finally:
        engine.dispose()
    show(report, Console())


def show(report: DemoReport, console: Console) -> None:
    """Print the county, the decisions and a short summary."""
    _county(report, console)
    _decisions(report, console)
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
        console.print(f"The county is stored in {report.persisted_to}.")
    else:
        console.print("What Accord does not do yet: the demo county was not saved to the "
                      "database (the store is not wired into the demo yet); the decisions "
                      "above were made on the county in memory.")
