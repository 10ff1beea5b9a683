"""`accord link`, `accord cluster` and `accord evaluate-links`: the hub side of linkage.

These commands read only encoded files (record ids and keyed encodings) and write record-id pairs
or clusters. The hub holds no key and no clear identities, so nothing they print can name anyone.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import typer
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from accord.cli.common import console, fail, hub_files
from accord.linkage.hub.backends import BACKENDS
from accord.linkage.hub.evaluate import evaluate
from accord.linkage.hub.link import (
    DEFAULT_THRESHOLD,
    LinkOptions,
    LinkRun,
    cluster_records,
    dedupe_pairs,
    link_pairs,
)
from accord.linkage.hub.output import write_csv
from accord.linkage.hub.report import write_report

PAIR_COLUMNS = ["left_id", "right_id", "match_probability"]
WORKSPACE_HELP = "DuckDB file for large runs (default: memory)"
REPORT_HELP = "Also write an HTML report of the run: steps, counts, charts; no record id"


@contextmanager
def _progress(title: str) -> Iterator[Callable[[str], None]]:
    """A spinner with the current stage and the time so far; the stages are Splink's steps."""
    with Progress(SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(),
                  console=console, transient=False) as progress:
        task = progress.add_task(title)
        yield lambda stage: progress.update(task, description=f"{title}: {stage}")
        progress.update(task, description=f"{title}: done")


def _options(backend: str, threshold: float, workspace: Path | None) -> LinkOptions:
    if backend not in BACKENDS:
        fail(f"--backend must be one of {', '.join(BACKENDS)}")
    if not 0.0 < threshold < 1.0:
        fail("--threshold must be a probability between 0 and 1")
    return LinkOptions(backend=backend, threshold=threshold, workspace=workspace)


def _check_output(out: Path | None) -> None:
    if out is not None and not out.parent.is_dir():
        fail(f"{out}: the folder {out.parent} does not exist")


def _write_report(run: LinkRun, report: Path | None) -> None:
    """The run's HTML report, when asked for; a path that cannot be written is one line, as for --out."""
    if report is None:
        return
    try:
        write_report(run, report)
    except OSError as err:
        fail(f"{report}: cannot write the report ({err.strerror})")


def _print_summary(run: LinkRun) -> None:
    """The run's training steps that could not run, each with its reason (names only)."""
    for step, outcome in run.training.steps:
        if outcome != "run":
            console.print(f"  {step}: {outcome}", highlight=False)


def _refuse_stored(paths: list[Path]) -> None:
    """These commands link files the user holds; a roster the hub keeps is linked only inside a
    purpose run that passed the policy and is in the ledger (ADR 0015)."""
    for path in paths:
        if hub_files().is_stored(path):
            fail(f"{path.name}: a roster the hub keeps for an agreement; it is linked only inside a run "
                 "of that agreement's purpose (a case request, a cross-check, a study), never on demand")


def link(
    left: Path = typer.Option(..., "--left", help="Encoded Parquet file (from `accord node encode`)"),
    right: Path | None = typer.Option(None, "--right", help="Second encoded file; omit with --dedupe"),
    out: Path = typer.Option(..., "--out", help="CSV of left_id,right_id,match_probability"),
    dedupe: bool = typer.Option(False, "--dedupe", help="Find duplicate pairs within --left"),
    threshold: float = typer.Option(DEFAULT_THRESHOLD, "--threshold", help="Least match probability to link"),
    backend: str = typer.Option("duckdb", "--backend", help="duckdb (default) or spark"),
    workspace: Path | None = typer.Option(None, "--workspace", help=WORKSPACE_HELP),
    report_to: Path | None = typer.Option(None, "--report", help=REPORT_HELP),
) -> None:
    """Link two encoded rosters one-to-one, or find duplicates within one, on keyed encodings only."""
    options = _options(backend, threshold, workspace)
    _refuse_stored([left, *([right] if right else [])])
    if dedupe == (right is not None):
        fail("give --right to link two files, or --dedupe to search one file; not both, not neither")
    for target in (out, report_to):
        _check_output(target)
    try:
        with _progress("linking" if right else "deduplicating") as report:
            run = link_pairs(left, right, options, report) if right else dedupe_pairs(left, options, report)
        written = write_csv(run.result, out, PAIR_COLUMNS)
    except OSError as err:
        fail(f"{out}: cannot write ({err.strerror})")
    _write_report(run, report_to)
    _print_summary(run)
    console.print(f"{written} {'links' if right else 'duplicate pairs'} at match probability >= {threshold} "
                  f"written to {out}", highlight=False)


def cluster(
    sources: list[Path] = typer.Option(..., "--in", help="Encoded files, one per agency (two or more)"),
    out: Path = typer.Option(..., "--out", help="CSV of cluster_id,source,record_id"),
    threshold: float = typer.Option(DEFAULT_THRESHOLD, "--threshold", help="Least match probability to link"),
    backend: str = typer.Option("duckdb", "--backend", help="duckdb (default) or spark"),
    workspace: Path | None = typer.Option(None, "--workspace", help=WORKSPACE_HELP),
    report_to: Path | None = typer.Option(None, "--report", help=REPORT_HELP),
) -> None:
    """Cluster the records of three or more agencies: one cluster per person, one record per agency."""
    options = _options(backend, threshold, workspace)
    _refuse_stored(sources)
    if len(sources) < 2:
        fail("give at least two --in files")
    if len({s.name for s in sources}) != len(sources):
        fail("the --in files must have different names; the name identifies the agency in the output")
    for target in (out, report_to):
        _check_output(target)
    try:
        with _progress("clustering") as report:
            run = cluster_records(sources, options, report)
        clusters = run.result
        written = write_csv(clusters, out, ["cluster_id", "source", "record_id"])
    except OSError as err:
        fail(f"{out}: cannot write ({err.strerror})")
    _write_report(run, report_to)
    _print_summary(run)
    console.print(f"{written} records in {clusters['cluster_id'].nunique()} clusters written to {out}",
                  highlight=False)


def evaluate_links(
    links: Path = typer.Option(..., "--links", help="CSV from `accord link`"),
    truth: Path = typer.Option(..., "--truth", help="CSV of agency,record_id,person_id"),
    left_agency: str | None = typer.Option(None, "--left-agency", help="Agency of left ids (default: most)"),
    right_agency: str | None = typer.Option(None, "--right-agency", help="Agency of right ids"),
) -> None:
    """Precision, recall and F1 of a links file against ground truth."""
    quality, left, right = evaluate(links, truth, left_agency, right_agency)
    console.print(f"{left} -> {right}: {quality.links} links, {quality.true_pairs} true pairs, "
                  f"{quality.correct} correct", highlight=False)
    console.print(f"precision {quality.precision:.4f}   recall {quality.recall:.4f}   F1 {quality.f1:.4f}",
                  highlight=False)
