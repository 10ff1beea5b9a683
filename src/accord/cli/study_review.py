"""`accord study review`: the output-review queue of a study (issue 19), and `accord study release`:
a held release, once its two reviewers approved it."""

from __future__ import annotations

import json

import typer

from accord.cli.common import console, parse_datetime, store_session, table
from accord.workflows.study_review import decide, pending, reasons_of, release_for, to_review

AT_HELP = "When (ISO 8601); defaults to now"
review_app = typer.Typer(help="Releases held for two reviewers: list, show, decide.", no_args_is_help=True)


@review_app.command("list")
def list_command(study_id: str = typer.Argument(...)) -> None:
    """The study's releases waiting for review, with why."""
    with store_session(read_only=True) as session:
        held = pending(session, study_id)
    if not held:
        console.print(f"Study {study_id}: no release waits for review.")
        return
    view = table(f"Study {study_id}: releases waiting for review", "release", "analyst", "asked", "why")
    for r in held:
        asked = r.released_at.isoformat(timespec="minutes")
        view.add_row(str(r.id), r.analyst, asked, "; ".join(reasons_of(r)))
    console.print(view)


@review_app.command("show")
def show_command(study_id: str = typer.Argument(...), release_id: int = typer.Argument(...),
                 by: str = typer.Option(..., "--by", help="The reviewer")) -> None:
    """The held table as the rules left it, each cell's outcome, and the question."""
    with store_session(read_only=True) as session:
        release = to_review(session, study_id, release_id, by)
    console.print(f"Release {release.id} of study {study_id}, asked by {release.analyst}: "
                  f"{json.dumps(release.spec, sort_keys=True)}", highlight=False)
    console.print("Why it waits: " + "; ".join(reasons_of(release)), highlight=False)
    typer.echo(json.dumps(release.result, indent=2, sort_keys=True))


@review_app.command("decide")
def decide_command(study_id: str = typer.Argument(...), release_id: int = typer.Argument(...),
                   by: str = typer.Option(..., "--by", help="The reviewer"),
                   approve: bool = typer.Option(..., "--approve/--reject"),
                   comment: str = typer.Option(..., "--comment", help="What was checked, and why"),
                   at: str | None = typer.Option(None, help=AT_HELP)) -> None:
    """Approve or reject a held release; two approvals release it, one rejection rejects it."""
    with store_session() as session:
        status = decide(session, study_id, release_id, by, approve, comment, parse_datetime(at, "--at"))
    said = {"released": "released: its analyst can see it (`accord study release`)",
            "rejected": "rejected: its analyst will not see it",
            "pending_review": "recorded; a second reviewer is needed"}[status]
    console.print(f"Release {release_id}: {said}.", highlight=False)


def release_command(study_id: str = typer.Argument(...), release_id: int = typer.Argument(...),
                    analyst: str = typer.Option(..., "--analyst"),
                    as_json: bool = typer.Option(False, "--json", help="Rows and per-cell outcomes as JSON")
                    ) -> None:
    """A release of the study: its table once released, else where its review stands."""
    with store_session(read_only=True) as session:
        result = release_for(session, study_id, release_id, analyst)
    if as_json:
        typer.echo(json.dumps(result, indent=2, sort_keys=True))
        return
    review = result.get("review")
    if review:
        console.print(f"Release {release_id} is {review['status'].replace('_', ' ')}: "
                      + "; ".join(review["reasons"]), highlight=False)
        return
    typer.echo(json.dumps(result["rows"], indent=2, sort_keys=True))
