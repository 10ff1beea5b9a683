"""`accord study`: research and evaluation studies (purpose 3). Analysts ask declarative questions
and see only tables that passed disclosure control; nothing here shows a record."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import typer

from accord.cli.common import console, hub_files, parse_datetime, settings, store_session, table
from accord.cli.study_review import release_command, review_app
from accord.disclosure.terms import study_controls
from accord.domain.studies import Study
from accord.store.crypto import load_content_cipher
from accord.workflows.research import approve, destroy, register, require_study, study_from_document, submit
from accord.workflows.study_build import build_study
from accord.workflows.study_query import ask, catalog_values, study_budget
from accord.workflows.study_spec import spec_from_text
from accord.workflows.study_twin import ask_twin

app = typer.Typer(help="Research and evaluation studies: aggregate questions over pseudonymous tables.",
                  no_args_is_help=True)
app.add_typer(review_app, name="review")
app.command("release")(release_command)
AT_HELP = "When (ISO date-time; default now)"


def _study_from(path: Path) -> Study:
    return study_from_document(spec_from_text(path.read_text(encoding="utf-8"), path.name), path.name)


STUDY_HELP = ("JSON: id, agreement, title, purpose, scope, school, elements, analysts, partners, starts_on, "
              "ends_on, destroy_by, rules")


@app.command("register")
def register_command(source: Path = typer.Argument(..., help=STUDY_HELP),
                     by: str = typer.Option(..., "--by", help="The school's records officer"),
                     at: str | None = typer.Option(None, help=AT_HELP)) -> None:
    """Register a study, or change a registered one's scope (a new version, approved afresh)."""
    with store_session() as session:
        study = register(session, _study_from(source), by, parse_datetime(at, "--at"))
    console.print(f"Study {study.id} version {study.version} registered; it waits for the approval of: "
                  f"{', '.join(sorted(study.contributors))}", highlight=False)


@app.command("approve")
def approve_command(study_id: str = typer.Argument(...), agency: str = typer.Option(..., "--agency"),
                    by: str = typer.Option(..., "--by", help="That agency's records officer (data steward)"),
                    at: str | None = typer.Option(None, help=AT_HELP)) -> None:
    """A contributing agency's approval of the study's current version (in the ledger)."""
    with store_session() as session:
        study = approve(session, study_id, agency, by, parse_datetime(at, "--at"))
    console.print(f"Agency {agency} approved version {study.version} of study {study_id}; the study is "
                  f"{study.status.value}.", highlight=False)


@app.command("submit")
def submit_command(study_id: str = typer.Argument(...), agency: str = typer.Option(..., "--agency"),
                   encoded: Path = typer.Option(..., "--encoded", help="Its node's encodings for the study's "
                                                "agreement"),
                   copy: Path = typer.Option(..., "--copy", help="Its node's copy (`--hub-copy`)")) -> None:
    """Keep an agency's submission for the study's next build (deleted by it)."""
    with store_session() as session:
        rows = submit(session, hub_files(), study_id, agency, encoded, copy)
    console.print(f"Submission of {agency} for study {study_id}: {rows:,} records, kept until the build.",
                  highlight=False)


@app.command("build")
def build_command(study_id: str = typer.Argument(...), by: str = typer.Option(..., "--by"),
                  at: str | None = typer.Option(None, help=AT_HELP)) -> None:
    """Build (or rebuild) the study's pseudonymous table, once every contributing agency approved."""
    rows = build_study(store_session, hub_files(), study_id, by, parse_datetime(at, "--at"),
                       load_content_cipher(settings()))
    console.print(f"Study {study_id} built: {rows:,} children under the study's own pseudonyms; each "
                  "inclusion is in the ledger.", highlight=False)


@app.command("catalog")
def catalog_command(study_id: str = typer.Argument(...)) -> None:
    """The dimensions and measures an analyst may use in the study's questions."""
    with store_session(read_only=True) as session:
        study = require_study(session, study_id)
        values = catalog_values(session, hub_files(), study_id)
    view = table(f"Study {study_id}: {study.title}", "kind", "names")
    view.add_row("dimensions", ", ".join(study.dimensions))
    for dim in study.dimensions:
        if dim in values:
            view.add_row(f"  values of {dim}", ", ".join(v or "(none)" for v in values[dim]))
    view.add_row("measures", "count, " + ", ".join(f"sum:{m}, mean:{m}" for m in study.measures))
    rules, _ = study_controls(study.rules)  # its dp terms and categories are not rules
    view.add_row("disclosure rules", f"cells under {rules.min_count} suppressed"
                 + (" (empty ones too)" if rules.suppress_zeros else "; zeros shown")
                 + ", with complementary cells" + ("; every table audited against the earlier ones"
                                                  if rules.audit else ""))
    console.print(view)


@app.command("query")
def query_command(study_id: str = typer.Argument(...), spec: Path = typer.Option(..., "--spec"),
                  analyst: str = typer.Option(..., "--analyst"),
                  as_json: bool = typer.Option(False, "--json", help="Rows and per-cell outcomes as JSON"),
                  twin: bool = typer.Option(False, "--twin", help="Ask the study's synthetic twin instead: "
                                            "no real child, nothing recorded, no budget spent"),
                  at: str | None = typer.Option(None, help=AT_HELP)) -> None:
    """Ask the study a question; only cells that passed disclosure control are shown."""
    data = spec_from_text(spec.read_text(encoding="utf-8"), spec.name)
    when = parse_datetime(at, "--at")
    if twin:
        with store_session(read_only=True) as session:
            result = ask_twin(session, hub_files(), study_id, analyst, data, spec.name, when.date())
        _print_twin(study_id, result, as_json)
        return
    with store_session() as session:
        answer = ask(session, hub_files(), study_id, analyst, data, spec.name, when)
    if as_json:
        typer.echo(json.dumps(answer.result, indent=2, sort_keys=True))
        return
    review = answer.result.get("review")
    if review:
        console.print(f"Release {answer.release_id} waits for two reviewers: {'; '.join(review['reasons'])}. "
                      f"`accord study release {study_id} {answer.release_id} --analyst {analyst}` shows it "
                      "once released.", highlight=False)
        return
    rows = answer.result["rows"]
    view = table(f"Study {study_id}, release {answer.release_id} (ledger entry #{answer.ledger_seq})",
                 *(rows[0].keys() if rows else ["(no rows)"]))
    errors = {(c["row"], c["measure"]): c["error"] for c in answer.result["cells"]}
    for i, row in enumerate(rows):
        view.add_row(*(_shown(v, errors.get((i, k))) for k, v in row.items()))
    console.print(view)
    spent = answer.result.get("budget")
    if spent:
        console.print(f"Differential privacy: each figure +/- its 95% interval; this table spent "
                      f"{spent['spent']:.4g} {spent['accounting']}; left: {spent['study_remaining']:.4g} "
                      f"for the study, {spent['analyst_remaining']:.4g} for {analyst}.", highlight=False)


def _print_twin(study_id: str, result: dict[str, Any], as_json: bool) -> None:
    if as_json:
        typer.echo(json.dumps(result, indent=2, sort_keys=True))
        return
    rows = result["rows"]
    view = table(f"Study {study_id}'s synthetic twin: no real child, nothing recorded",
                 *(rows[0].keys() if rows else ["(no rows)"]))
    for row in rows:
        view.add_row(*(_shown(v, None) for v in row.values()))
    console.print(view)


def _shown(value: object, error: float | None) -> str:
    if value is None:
        return "suppressed"
    text = f"{value:.3g}" if isinstance(value, float) else str(value)
    return f"{text} +/- {error:.2g}" if error is not None else text


@app.command("budget")
def budget_command(study_id: str = typer.Argument(...)) -> None:
    """The study's differential-privacy budget: spent and left, for the study and each analyst."""
    with store_session(read_only=True) as session:
        held = study_budget(session, study_id)
    if not held:
        console.print(f"Study {study_id} answers under its disclosure rules: it has no privacy budget.")
        return
    view = table(f"Study {study_id}: privacy budget", "holder", "total", "spent", "left")
    for b in held:
        view.add_row("the study" if b.holder == "*" else b.holder, f"{b.total:.4g}", f"{b.spent:.4g}",
                     f"{b.remaining:.4g}")
    console.print(view)


@app.command("destroy")
def destroy_command(study_id: str = typer.Argument(...), by: str = typer.Option(..., "--by"),
                    at: str | None = typer.Option(None, help=AT_HELP)) -> None:
    """Destroy the study's data, record it, and write its destruction certificate."""
    with store_session() as session:
        certificate = destroy(session, hub_files(), study_id, by, parse_datetime(at, "--at"))
    console.print(f"Study {study_id} destroyed; certificate: {certificate}", highlight=False)
