"""What each agency submits for a cross-check, checked before the hub keeps it until the run.

Each party's node encodes its roster for the cross-check's agreement (`accord node encode
--agreement ID --hub-copy COPY`), under its own pseudonym key, and sends both files. The hub keeps
them only until the next run, which deletes them once it is recorded (ADR 0023). The school sends
its enrollment; a program agency its list, whose copy says for each record the program it is on
(`program`: snap, tanf, fdpir or medicaid) and may carry the program's household (`household_id`,
pseudonymised at the node like the record ids) and the month the person turns 18 (`turns_18_in`,
from the birth date, which the hub never receives) for the match-rate's school-age children.
"""

from __future__ import annotations

import csv
import shutil
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from sqlalchemy.orm import Session

from accord.domain.agencies import Program
from accord.domain.crosscheck import CrossCheck, CrossCheckError, program_of
from accord.domain.students import looks_pseudonymous
from accord.domain.withheld import WITHHELD_FROM_HUB
from accord.linkage.hub.encoded import EncodedFileError, read_layout
from accord.linkage.hub.roster_store import record_ids
from accord.store.repositories.agreements import get_agreement
from accord.store.repositories.crosschecks import get_crosscheck
from accord.workflows.hub_files import HubFiles


@dataclass(frozen=True, slots=True)
class ListedRecord:
    """What the hub knows of one record on a program's list: never more than this."""

    program: Program
    household: str  # the program's household, pseudonymised at its node; "" when not sent
    turns_18_in: str  # YYYY-MM, or "" when the node sent no birth date


def crosscheck_for(session: Session, agreement_id: str, on: date) -> CrossCheck:
    """The cross-check defined under an agreement that is in force on `on`."""
    crosscheck = get_crosscheck(session, agreement_id)
    if crosscheck is None:
        raise CrossCheckError(f"no cross-check is defined under agreement {agreement_id} "
                              "(`accord crosscheck define`)")
    agreement = get_agreement(session, agreement_id)
    if agreement is None or not agreement.in_force(on):
        status = agreement.status_on(on).value if agreement is not None else "not on file"
        raise CrossCheckError(f"agreement {agreement_id} is {status}: no cross-check runs under it")
    return crosscheck


def submit(session: Session, hub: HubFiles, agreement_id: str, agency_id: str, encodings: Path,
           copy: Path, at: datetime) -> int:
    """Check an agency's submission for the cross-check and keep it for the next run (replacing
    one it sent before). Returns the number of records."""
    crosscheck = crosscheck_for(session, agreement_id, at.date())
    if agency_id not in crosscheck.parties:
        raise CrossCheckError(f"agency {agency_id} takes no part in the cross-check under {agreement_id}")
    ids = _encoded_ids(encodings, agreement_id)
    program_list = agency_id != crosscheck.school_agency_id
    _check_copy(copy, set(ids), program_list)
    target_encodings, target_copy = hub.submission_paths(agreement_id, agency_id)
    target_encodings.parent.mkdir(parents=True, exist_ok=True)
    for source, target in ((encodings, target_encodings), (copy, target_copy)):
        temp = target.with_suffix(target.suffix + ".part")
        shutil.copyfile(source, temp)
        temp.replace(target)
    return len(ids)


def _encoded_ids(encodings: Path, agreement_id: str) -> list[str]:
    try:
        made_for = read_layout(encodings).agreement
    except EncodedFileError as err:
        raise CrossCheckError(str(err)) from None
    if made_for != agreement_id:
        raise CrossCheckError(f"{encodings.name}: encoded for agreement {made_for or 'none'}, not for "
                              f"{agreement_id} (`accord node encode --agreement {agreement_id}`)")
    ids = record_ids(encodings)
    for row, record_id in enumerate(ids, start=1):
        if not looks_pseudonymous(record_id):
            raise CrossCheckError(f"{encodings.name} record {row}: record_id is not a pseudonym; the node "
                                  "sends its records under its pseudonym key (`accord node pseudonym-key`)")
    if len(set(ids)) != len(ids):
        raise CrossCheckError(f"{encodings.name}: a record id appears twice")
    return ids


def _rows(copy: Path) -> tuple[list[str], list[list[str]]]:
    try:
        with copy.open(encoding="utf-8-sig", newline="") as handle:
            rows = list(csv.reader(handle))
    except (OSError, UnicodeDecodeError, csv.Error) as err:
        raise CrossCheckError(f"{copy.name}: cannot be read as a CSV file ({type(err).__name__})") from None
    if not rows:
        raise CrossCheckError(f"{copy.name}: empty file")
    return [h.strip().lower() for h in rows[0]], rows[1:]


def _check_copy(copy: Path, ids: set[str], program_list: bool) -> None:
    """The copy must describe exactly the encoded records, without identities; a program's list
    says which program each record is on."""
    header, rows = _rows(copy)
    withheld = sorted(set(header) & set(WITHHELD_FROM_HUB))
    if withheld:
        raise CrossCheckError(f"{copy.name}: carries {', '.join(withheld)}, which never reach the hub; "
                              "send the node's copy (`accord node encode --hub-copy`)")
    needed = ["record_id", "program"] if program_list else ["record_id"]
    missing = [c for c in needed if c not in header]
    if missing:
        raise CrossCheckError(f"{copy.name}: no {' or '.join(missing)} column")
    cols = {name: i for i, name in enumerate(header)}
    seen: set[str] = set()
    for n, cells in enumerate(rows, start=2):
        cell = dict(zip(header, (c.strip() for c in cells), strict=False))
        if cell.get("record_id", "") not in ids:
            raise CrossCheckError(f"{copy.name} row {n} field record_id: not among the encoded records")
        seen.add(cell["record_id"])
        if program_list:
            _check_listed(copy.name, n, cell, cols)
    if seen != ids:
        raise CrossCheckError(f"{copy.name}: {len(ids - seen)} encoded records have no row in the copy")


def _check_listed(name: str, n: int, cell: dict[str, str], cols: dict[str, int]) -> None:
    if program_of(cell.get("program", "")) is None:
        raise CrossCheckError(f"{name} row {n} field program: not snap, tanf, fdpir or medicaid")
    household = cell.get("household_id", "")
    if "household_id" in cols and household and not looks_pseudonymous(household):
        raise CrossCheckError(f"{name} row {n} field household_id: not a pseudonym; the node pseudonymises "
                              "the program's household ids with its pseudonym key")


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
