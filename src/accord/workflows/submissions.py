"""What a party submits for a purpose-bound run of the hub (a cross-check, a study): its encodings
for the run's agreement and its node's copy, checked whole before the hub keeps them, and read
back at the run. A program's list says for each record the program it is on (`program`: snap,
tanf, fdpir or medicaid) and may carry the program's household (`household_id`, pseudonymised at
the node like the record ids) and the month the person turns 18 (`turns_18_in`, from the birth
date, which the hub never receives).
"""

from __future__ import annotations

import csv
import shutil
from dataclasses import dataclass
from pathlib import Path

from accord.domain.agencies import Program
from accord.domain.crosscheck import program_of
from accord.domain.students import looks_pseudonymous
from accord.domain.withheld import WITHHELD_FROM_HUB
from accord.errors import AccordError
from accord.linkage.hub.encoded import EncodedFileError, read_layout
from accord.linkage.hub.roster_store import record_ids


class SubmissionError(AccordError, ValueError):
    """A submission the hub will not keep; names the file, row and field."""


@dataclass(frozen=True, slots=True)
class ListedRecord:
    """What the hub knows of one record on a program's list: never more than this."""

    program: Program
    household: str  # the program's household, pseudonymised at its node; "" when not sent
    turns_18_in: str  # YYYY-MM, or "" when the node sent no birth date


def keep_submission(encodings: Path, copy: Path, agreement_id: str, targets: tuple[Path, Path], *,
                    program_list: bool, program_required: bool) -> int:
    """Check a party's encodings and copy for a run under `agreement_id`, then keep them at
    `targets` (replacing an earlier submission). Returns the number of records."""
    ids = encoded_ids(encodings, agreement_id)
    check_copy(copy, set(ids), program_list=program_list, program_required=program_required)
    targets[0].parent.mkdir(parents=True, exist_ok=True)
    for source, target in zip((encodings, copy), targets, strict=True):
        temp = target.with_suffix(target.suffix + ".part")
        shutil.copyfile(source, temp)
        temp.replace(target)
    return len(ids)


def encoded_ids(encodings: Path, agreement_id: str) -> list[str]:
    try:
        made_for = read_layout(encodings).agreement
    except EncodedFileError as err:
        raise SubmissionError(str(err)) from None
    if made_for != agreement_id:
        raise SubmissionError(f"{encodings.name}: encoded for agreement {made_for or 'none'}, not for "
                              f"{agreement_id} (`accord node encode --agreement {agreement_id}`)")
    ids = record_ids(encodings)
    for row, record_id in enumerate(ids, start=1):
        if not looks_pseudonymous(record_id):
            raise SubmissionError(f"{encodings.name} record {row}: record_id is not a pseudonym; the node "
                                  "sends its records under its pseudonym key (`accord node pseudonym-key`)")
    if len(set(ids)) != len(ids):
        raise SubmissionError(f"{encodings.name}: a record id appears twice")
    return ids


def _rows(copy: Path) -> tuple[list[str], list[list[str]]]:
    try:
        with copy.open(encoding="utf-8-sig", newline="") as handle:
            rows = list(csv.reader(handle))
    except (OSError, UnicodeDecodeError, csv.Error) as err:
        raise SubmissionError(f"{copy.name}: cannot be read as a CSV file ({type(err).__name__})"
                              ).coded("copy_not_csv") from None
    if not rows:
        raise SubmissionError(f"{copy.name}: empty file").coded("copy_empty")
    return [h.strip().lower() for h in rows[0]], rows[1:]


def check_copy(copy: Path, ids: set[str], *, program_list: bool, program_required: bool) -> None:
    """The copy must describe exactly the encoded records, without identities; a program's list
    says which program each record is on (where `program_required`, else where it has the column)."""
    header, rows = _rows(copy)
    withheld = sorted(set(header) & set(WITHHELD_FROM_HUB))
    if withheld:
        raise SubmissionError(f"{copy.name}: carries {', '.join(withheld)}, which never reach the hub; "
                              "send the node's copy (`accord node encode --hub-copy`)")
    needed = ["record_id", "program"] if program_list and program_required else ["record_id"]
    missing = [c for c in needed if c not in header]
    if missing:
        raise SubmissionError(f"{copy.name}: no {' or '.join(missing)} column")
    cols = {name: i for i, name in enumerate(header)}
    seen: set[str] = set()
    for n, cells in enumerate(rows, start=2):
        cell = dict(zip(header, (c.strip() for c in cells), strict=False))
        if cell.get("record_id", "") not in ids:
            raise SubmissionError(f"{copy.name} row {n} field record_id: not among the encoded records")
        seen.add(cell["record_id"])
        if program_list and ("program" in cols or program_required):
            _check_listed(copy.name, n, cell, cols)
    if seen != ids:
        raise SubmissionError(f"{copy.name}: {len(ids - seen)} encoded records have no row in the copy")


def _check_listed(name: str, n: int, cell: dict[str, str], cols: dict[str, int]) -> None:
    if program_of(cell.get("program", "")) is None:
        raise SubmissionError(f"{name} row {n} field program: not snap, tanf, fdpir or medicaid")
    household = cell.get("household_id", "")
    if "household_id" in cols and household and not looks_pseudonymous(household):
        raise SubmissionError(f"{name} row {n} field household_id: not a pseudonym; the node pseudonymises "
                              "the program's household ids with its pseudonym key")


def read_members(copy: Path) -> dict[str, str]:
    """A study partner's submitted copy: record id -> the value its membership shows in the study
    (the program it is on, where the list says, else "yes")."""
    header, rows = _rows(copy)
    members = {}
    for cells in rows:
        cell = dict(zip(header, (c.strip() for c in cells), strict=False))
        program = program_of(cell.get("program", ""))
        members[cell["record_id"]] = program.value if program is not None else "yes"
    return members


def read_list(copy: Path) -> dict[str, ListedRecord]:
    """A program agency's submitted copy: record id -> what the hub may know of the record."""
    header, rows = _rows(copy)
    listed = {}
    for cells in rows:
        cell = dict(zip(header, (c.strip() for c in cells), strict=False))
        program = program_of(cell.get("program", ""))
        assert program is not None  # checked at submission
        listed[cell["record_id"]] = ListedRecord(program, cell.get("household_id", ""),
                                                 cell.get("turns_18_in", ""))
    return listed
