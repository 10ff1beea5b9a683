"""`accord synth`: synthetic agency rosters with known truth, for testing and benchmarking linkage.

Everything written is invented. Messages name files and counts only.
"""

from __future__ import annotations

from pathlib import Path

import typer

from accord.cli.common import console, fail
from accord.synth.rosters import TRUTH_FILE, write_rosters


def synth(
    students: int = typer.Option(..., "--students", min=1, help="Children in the school population"),
    out: Path = typer.Option(..., "--out", help="Directory for <agency>.csv and truth.csv"),
    seed: int = typer.Option(1, "--seed", help="Same seed, same files, byte for byte"),
    force: bool = typer.Option(False, "--force", help="Write into --out even if it is not empty"),
) -> None:
    """Write one roster CSV per agency, with realistic errors, and truth.csv linking rows to people."""
    if out.exists() and not out.is_dir():
        fail(f"{out}: exists and is not a directory")
    # Refuse rather than mix a new run's files with whatever is already there.
    if out.is_dir() and any(out.iterdir()) and not force:
        fail(f"{out}: directory is not empty (use --force to overwrite the roster files in it)")
    try:
        summary = write_rosters(students, out, seed)
    except OSError as err:
        fail(f"{out}: cannot write ({err.strerror or type(err).__name__})")
    for agency, counts in summary.agencies.items():
        console.print(f"{agency}: {counts.rows} rows -> {out / f'{agency}.csv'}", highlight=False)
    console.print(f"truth: {summary.truth_rows} rows -> {out / TRUTH_FILE}", highlight=False)
