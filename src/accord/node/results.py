"""Results a hub sent back, resolved at the node: the hub names each record by the node's
pseudonym, and only the node can say whose it is (ADR 0022, 0023).

A cross-check's results for the school list each certified student's pseudonym with the program
and run; the node pseudonymises the record ids of its own file (the students file it encoded)
and writes the list its meal-benefit system imports: student id, program category, run, date.
"""

from __future__ import annotations

import csv
from pathlib import Path

from accord.errors import AccordError
from accord.linkage.file_contract import atomic_path
from accord.node.pseudonyms import Pseudonymiser

RESOLVED_HEADER = ["student_id", "program_category", "basis", "run", "date"]


class ResultsError(AccordError, ValueError):
    """A results file the node cannot resolve; the message names the file, row and field."""


def _read(path: Path) -> tuple[list[str], list[list[str]]]:
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            rows = list(csv.reader(handle))
    except (OSError, UnicodeDecodeError, csv.Error) as err:
        raise ResultsError(f"{path.name}: cannot be read as a CSV file ({type(err).__name__})") from None
    if not rows or "record_id" not in [h.strip().lower() for h in rows[0]]:
        raise ResultsError(f"{path.name}: no record_id column")
    return [h.strip().lower() for h in rows[0]], rows[1:]


def resolve_results(results: Path, own_file: Path, pseudonyms: Pseudonymiser, out: Path) -> int:
    """Write `out`: each result row under the node's own record id. Returns the rows written; a
    pseudonym none of `own_file`'s records has is refused (results of another node or key)."""
    header, own_rows = _read(own_file)
    ids = header.index("record_id")
    back = {pseudonyms(cells[ids].strip()): cells[ids].strip() for cells in own_rows
            if ids < len(cells) and cells[ids].strip()}
    header, rows = _read(results)
    col = {name: i for i, name in enumerate(header)}
    missing = [c for c in ("program", "basis", "run", "date") if c not in col]
    if missing:
        raise ResultsError(f"{results.name}: no {', '.join(missing)} column: not a cross-check's results")
    with atomic_path(out) as temp, temp.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(RESOLVED_HEADER)
        for n, cells in enumerate(rows, start=2):
            own = back.get(cells[col["record_id"]].strip())
            if own is None:
                raise ResultsError(f"{results.name} row {n} field record_id: none of {own_file.name}'s "
                                   "records has this pseudonym (another node's results, or another key)")
            writer.writerow([own, *(cells[col[c]] for c in ("program", "basis", "run", "date"))])
    return len(rows)
