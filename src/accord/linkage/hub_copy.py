"""The copy of an agency's file that goes to the hub: every column but the people's names, birth
date, address, sex and identifier, which the hub receives only as keyed encodings (`accord node encode`).

The agency's node writes it beside the encodings (`accord node encode --hub-copy`); the hub loads the
copy with the encodings (`accord intake load --in COPY --encoded FILE`) and never sees the
withheld columns. In place of the birth date the copy carries the fact the hub's policy needs,
the month the person turns 18 (`turns_18_in`, YYYY-MM; ADR 0016); a birth date the node cannot
read is marked so, and the hub rejects that row; a row without one leaves it empty, and the hub
loads it with the age unknown. Every other column passes as it is, among them a students file's
`postsecondary_enrolled_on`, the other fact that moves the FERPA rights to the student (34 CFR 99.3),
which is no identifier. An Ed-Fi students resource (JSON array or
NDJSON) is copied with only `studentUniqueId` and that month (`_ext.accord.turns18In`).
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from accord.domain.students import NO_LATER_MONTH, UNREADABLE_BIRTH_DATE, month_turning_18, turning_18_bounds
from accord.domain.withheld import WITHHELD_FROM_HUB as WITHHELD
from accord.linkage.file_contract import atomic_path
from accord.linkage.normalise import normalise_date
from accord.linkage.roster import RosterError

HOUSEHOLD_SALT = "household:"  # a household's pseudonym never equals a record's


def write_hub_copy(source: Path, out: Path, rename: Callable[[str], str] | None = None,
                   as_of: date | None = None) -> int:
    """Write `source` (CSV) to `out` without the WITHHELD columns, and with `rename` each record id
    as it gives it (and the program's `household_id`, when the file has one); returns the rows
    written. Nothing is written when `source` cannot be read whole. Any kind of file the hub
    loads (a students file, a roster, attendance...) copies so. With `as_of` (a school's students),
    the month of the 18th birthday is sent only when near that day, else its bounds (ADR 0030)."""
    rows = 0
    try:
        with source.open(encoding="utf-8-sig", newline="") as handle, atomic_path(out) as temp:
            reader = csv.reader(handle)
            header = next(reader, [])
            names = [name.strip().lower() for name in header]
            kept = [i for i, name in enumerate(names) if name not in WITHHELD]
            born = names.index("date_of_birth") if "date_of_birth" in names else None
            ids = names.index("record_id") if "record_id" in names else None
            household = names.index("household_id") if "household_id" in names else None
            with temp.open("w", encoding="utf-8", newline="") as target:
                writer = csv.writer(target)
                writer.writerow([header[i] for i in kept] + (["turns_18_in"] if born is not None else []))
                for cells in reader:
                    rows += 1
                    cell = [cells[i] if i < len(cells) else "" for i in range(len(header))]
                    fact = [turns_18_fact(cell[born], as_of)] if born is not None else []
                    if ids is not None and rename is not None and cell[ids].strip():
                        cell[ids] = rename(cell[ids].strip())
                    if household is not None and rename is not None and cell[household].strip():
                        # A program's case number is an identifier too; apart from the record ids.
                        cell[household] = rename(HOUSEHOLD_SALT + cell[household].strip())
                    writer.writerow([cell[i] for i in kept] + fact)
    except UnicodeDecodeError:
        raise RosterError(f"{source.name} row {rows + 2}: not valid UTF-8 text") from None
    except csv.Error as err:
        kind = type(err).__name__
        raise RosterError(f"{source.name} row {rows + 2}: not a readable CSV ({kind})") from None
    return rows


def turns_18_fact(text: str, as_of: date | None = None) -> str:
    """The `turns_18_in` cell for a birth date: its month (YYYY-MM); with `as_of`, the month only
    when near that day, else the bounds every such student of the file shares, as an ISO 8601
    interval of months (`2027-02/..`: not before February 2027; `2025-01/2025-12`: in 2025)."""
    if not text.strip():
        return ""
    born = normalise_date(text)
    if born is None:
        return UNREADABLE_BIRTH_DATE
    if as_of is None:
        return f"{month_turning_18(born):%Y-%m}"
    earliest, latest = turning_18_bounds(born, as_of)
    if earliest == latest:
        return f"{earliest:%Y-%m}"
    return f"{earliest:%Y-%m}/" + (".." if latest == NO_LATER_MONTH else f"{latest:%Y-%m}")


EDFI_KEPT = ("studentUniqueId",)  # with the month from birthDate, all the hub reads of a student
# What makes an Ed-Fi object a person rather than one of a person's records.
EDFI_PEOPLE = ("studentUniqueId", "firstName", "lastSurname", "birthDate")


def write_edfi_hub_copy(source: Path, out: Path, rename: Callable[[str], str] | None = None,
                        as_of: date | None = None) -> int:
    """Write the Ed-Fi students resource `source` (a JSON array, or NDJSON when its name ends in
    .ndjson) to `out` in the same form, each object reduced to EDFI_KEPT (with `rename`, its
    studentUniqueId renamed; with `as_of`, the month as `write_hub_copy` sends it); returns the
    objects written."""
    objects, ndjson = _edfi_objects(source)
    kept = [{**{k: o[k] for k in EDFI_KEPT if k in o},
             "_ext": {"accord": {"turns18In": turns_18_fact(str(o.get("birthDate") or ""), as_of)}}}
            for o in objects]
    if rename is not None:
        kept = [_renamed(o, ("studentUniqueId",), rename) for o in kept]
    return _write_edfi(out, kept, ndjson)


def write_edfi_copy(source: Path, out: Path, rename: Callable[[str], str]) -> int:
    """Write an Ed-Fi resource of students' records (attendance events, school associations...)
    to `out` in the same form with each studentReference.studentUniqueId renamed; returns the
    objects written."""
    objects, ndjson = _edfi_objects(source)
    if any(key in o for o in objects for key in EDFI_PEOPLE):
        raise RosterError(f"{source.name}: an Ed-Fi students resource, whose identities reach the hub only "
                          "as encodings: `accord node encode --hub-copy` writes its copy")
    return _write_edfi(out, [_renamed(o, ("studentReference", "studentUniqueId"), rename) for o in objects],
                       ndjson)


def _renamed(obj: dict[str, Any], path: tuple[str, ...], rename: Callable[[str], str]) -> dict[str, Any]:
    """`obj` with the string at `path` renamed (a copy; left as it is when there is none)."""
    head, *rest = path
    value = obj.get(head)
    if rest and isinstance(value, dict):
        return {**obj, head: _renamed(value, tuple(rest), rename)}
    if not rest and isinstance(value, str) and value.strip():
        return {**obj, head: rename(value.strip())}
    return obj


def _edfi_objects(source: Path) -> tuple[list[dict[str, Any]], bool]:
    """The objects of an Ed-Fi resource file, and whether it is NDJSON."""
    text = source.read_text(encoding="utf-8-sig")
    ndjson = source.suffix.lower() == ".ndjson"
    try:
        lines = [line for line in text.splitlines() if line.strip()]
        objects = [json.loads(line) for line in lines] if ndjson else json.loads(text)
    except json.JSONDecodeError as err:
        raise RosterError(f"{source.name} line {err.lineno}: not readable JSON") from None
    if not isinstance(objects, list) or not all(isinstance(o, dict) for o in objects):
        raise RosterError(f"{source.name}: expected Ed-Fi objects")
    return objects, ndjson


def _write_edfi(out: Path, kept: list[dict[str, Any]], ndjson: bool) -> int:
    with atomic_path(out) as temp:
        body = "".join(json.dumps(o) + "\n" for o in kept) if ndjson else json.dumps(kept, indent=1)
        temp.write_text(body, encoding="utf-8")
    return len(kept)
