"""`accord crosscheck`: eligibility cross-checks (purpose 2) at the hub, on encodings only.

define (records officer) -> each party's node encodes and submits -> run -> report, review,
results; the school's node resolves its results to its own ids (`accord node resolve`).
"""

from __future__ import annotations

import json
from pathlib import Path

import typer

from accord.cli.common import (
    BadInput,
    console,
    hub_files,
    parse_datetime,
    store_session,
    table,
)
from accord.workflows.crosscheck_admin import (
    crosscheck_from_json,
    decide_review,
    define,
    pending_reviews,
    run_report,
    write_results,
)
from accord.workflows.crosscheck_submissions import submit
from accord.workflows.eligibility import run_crosscheck

app = typer.Typer(help="Eligibility cross-checks: enrollment against program lists, on encodings.",
                  no_args_is_help=True)
review_app = typer.Typer(help="Uncertain matches for the records officer.", no_args_is_help=True)
app.add_typer(review_app, name="review")


@app.command("define")
def define_command(
    source: Path = typer.Argument(..., help="JSON: agreement, school, school_recipient, programs, and "
                                  "optionally school_receives, program_receives, program_recipients, "
                                  "every_days, certify_from, review_from"),
    by: str = typer.Option(..., "--by", help="The school's records officer"),
    at: str | None = typer.Option(None, help="When (ISO date-time; default now)"),
) -> None:
    """Define (or replace) the cross-check under an agreement."""
    try:
        data = json.loads(source.read_text(encoding="utf-8"))
    except json.JSONDecodeError as err:
        raise BadInput(f"{source}: not valid JSON (line {err.lineno}, column {err.colno})") from None
    crosscheck = crosscheck_from_json(data, source.name)
    with store_session() as session:
        define(session, crosscheck, by, parse_datetime(at, "--at"))
    console.print(f"Cross-check defined under agreement {crosscheck.agreement_id}: "
                  f"{crosscheck.school_agency_id} against {', '.join(sorted(crosscheck.program_agency_ids))}",
                  highlight=False)


@app.command("submit")
def submit_command(
    agreement: str = typer.Option(..., "--agreement", help="The agreement the cross-check runs under"),
    agency: str = typer.Option(..., "--agency", help="The agency whose submission this is"),
    encoded: Path = typer.Option(..., "--encoded", help="Its node's encodings (`accord node encode`)"),
    copy: Path = typer.Option(..., "--copy", help="Its node's copy of the file (`--hub-copy`)"),
    at: str | None = typer.Option(None, help="When (ISO date-time; default now)"),
) -> None:
    """Keep an agency's submission for the next run (checked first; deleted once the run is recorded)."""
    with store_session() as session:
        rows = submit(session, hub_files(), agreement, agency, encoded, copy, parse_datetime(at, "--at"))
    console.print(f"Submission of {agency} for the cross-check under {agreement}: {rows:,} records, kept "
                  "until the next run", highlight=False)


@app.command("run")
def run_command(
    agreement: str = typer.Option(..., "--agreement", help="The agreement the cross-check runs under"),
    by: str = typer.Option(..., "--by", help="The school's records officer or eligibility worker"),
    at: str | None = typer.Option(None, help="When (ISO date-time; default now)"),
    workspace: Path | None = typer.Option(None, "--workspace", help="DuckDB file for large runs"),
) -> None:
    """Link the submissions, decide and record each release, and print the run's report."""
    outcome = run_crosscheck(store_session, hub_files(), agreement, by, parse_datetime(at, "--at"), workspace)
    console.print(f"Cross-check run {outcome.run_id} recorded; the submissions are deleted.", highlight=False)
    show_report(outcome.run_id, outcome.report)


def show_report(run_id: int, figures: dict[str, object]) -> None:
    """The run's figures as a table (counts only)."""
    view = table(f"Cross-check run {run_id}", "figure", "value")
    for key, value in figures.items():
        view.add_row(key.replace("_", " "), json.dumps(value) if isinstance(value, dict) else str(value))
    console.print(view)


@app.command("report")
def report_command(
    run: int = typer.Argument(..., help="The run's number"),
    as_json: bool = typer.Option(False, "--json", help="Print the figures as JSON"),
) -> None:
    """A run's report: roster sizes, matches by band, match rate, newly certified, lost."""
    with store_session(read_only=True) as session:
        stored = run_report(session, run)
    if as_json:
        typer.echo(json.dumps(stored.report, indent=2, sort_keys=True))
    else:
        show_report(stored.id, stored.report)


@app.command("results")
def results_command(
    run: int = typer.Argument(..., help="The run's number"),
    agency: str = typer.Option(..., "--agency", help="The party fetching its results"),
    out: Path = typer.Option(..., "--out", help="CSV of record_id (the party's pseudonym), program, basis, "
                             "released, run, date"),
) -> None:
    """What one party received in a run, under its own pseudonyms (its node resolves them)."""
    with store_session(read_only=True) as session:
        rows = write_results(session, run, agency, out)
    console.print(f"{rows:,} results for {agency} from run {run}: {out}", highlight=False)


@review_app.command("list")
def review_list(agreement: str = typer.Option(..., "--agreement")) -> None:
    """Uncertain matches waiting for a decision, with their encoded evidence (levels, no identity)."""
    with store_session(read_only=True) as session:
        waiting = pending_reviews(session, agreement)
    view = table(f"Uncertain matches under {agreement}", "review", "program", "probability",
                 "evidence: match weight per field (+ agrees, - disagrees)")
    for r in waiting:
        view.add_row(str(r.id), r.program, f"{r.probability:.3f}", _evidence(r.evidence))
    console.print(view)


def _evidence(evidence: dict[str, object]) -> str:
    """Splink's weight of each comparison for the pair: how far each field pulls toward a match."""
    parts = []
    for name, value in sorted(evidence.items()):
        label = name.removeprefix("mw_").removeprefix("gamma_")
        parts.append(f"{label}={value:+.1f}" if isinstance(value, float) else f"{label}={value}")
    return " ".join(parts)


@review_app.command("decide")
def review_decide(
    review: int = typer.Argument(..., help="The review's number"),
    accept: bool = typer.Option(..., "--accept/--reject", help="The same child, or not"),
    by: str = typer.Option(..., "--by", help="The school's records officer"),
    note: str = typer.Option("", "--note"),
    at: str | None = typer.Option(None, help="When (ISO date-time; default now)"),
) -> None:
    """Decide an uncertain match; every later run reuses the decision."""
    with store_session() as session:
        decide_review(session, review, accept, by, parse_datetime(at, "--at"), note)
    console.print(f"Review {review} {'accepted' if accept else 'rejected'}.", highlight=False)
