"""What a node sends a hub: a file's identities encoded for one agreement, and the file's copy
without them (linkage.hub_copy). CSV rosters and students files are encoded as they stream; an
Ed-Fi students resource is read as the hub's intake reads it, so the two agree on every record."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping
from datetime import date
from pathlib import Path

from accord.intake import IntakeError, iter_batches
from accord.linkage.hub_copy import write_edfi_copy, write_edfi_hub_copy, write_hub_copy
from accord.linkage.pipeline import EncodeSummary, encode_people, encode_roster
from accord.node.pseudonyms import Pseudonymiser

EDFI_SUFFIXES = (".json", ".ndjson")


def _edfi_students(source: Path, out: Path, key: bytes, agreement: str, pseudonyms: Pseudonymiser | None
                   ) -> EncodeSummary:
    """An Ed-Fi students resource: its identities, read as `accord intake load` reads them."""
    people: list[dict[str, str]] = []
    for batch in iter_batches(source, "students"):
        if batch.rejections:
            first = batch.rejections[0]
            raise IntakeError(first.file, first.row, first.field, first.reason)
        people += [{"record_id": p.record_id, **p.identity} for p in batch.identities]
    return encode_people(people, out, key, agreement=agreement, rename=pseudonyms)


def encode_file(source: Path, out: Path, key: bytes, agreement: str, hub_copy: Path | None = None,
                pseudonyms: Pseudonymiser | None = None, as_of: date | None = None) -> EncodeSummary:
    """Encode `source`'s identities into `out` for `agreement` (under its derived key; "" for a
    file only its holder links), and with `hub_copy` write the copy the hub loads beside it. With
    `pseudonyms` (the school's node), both carry each record's pseudonym instead of its id. With
    `as_of`, the copy gives the month each person turns 18 only when near it (ADR 0030), unless the
    file is a program's list."""
    edfi = source.suffix.lower() in EDFI_SUFFIXES
    summary = (_edfi_students(source, out, key, agreement, pseudonyms) if edfi
               else encode_roster(source, out, key, agreement=agreement, rename=pseudonyms))
    if hub_copy is not None:
        copy = write_edfi_hub_copy if edfi else write_hub_copy
        copy(source, hub_copy, pseudonyms, _months_near(source, as_of))
    return summary


def _months_near(source: Path, as_of: date | None) -> date | None:
    """The day a copy of `source` gives the months of turning 18 near (ADR 0030), or None for every
    month: a program's list keeps its months (crosscheck_report reads them), and so does a copy
    made without a day."""
    if as_of is None or (source.suffix.lower() not in EDFI_SUFFIXES and program_list(source)):
        return None
    return as_of


def program_list(source: Path) -> bool:
    """Whether `source` is a program's list (a CSV with a `program` column, workflows.submissions):
    the one file whose months of turning 18 the hub reads, for USDA's school-age measure
    (crosscheck_report). Every other file gives them only when near."""
    with source.open(encoding="utf-8-sig", newline="") as handle:
        header = next(csv.reader(handle), [])
    return "program" in (name.strip().lower() for name in header)


def encode_people_for(people: Iterable[Mapping[str, str]], out: Path, key: bytes, agreement: str,
                      pseudonyms: Pseudonymiser | None = None) -> EncodeSummary:
    """A few people already in memory (one child a caseworker describes; the demo's agencies),
    encoded for `agreement` as `encode_file` encodes a file's."""
    return encode_people(people, out, key, agreement=agreement, rename=pseudonyms)


def copy_for_hub(source: Path, out: Path, pseudonyms: Pseudonymiser | None = None,
                 as_of: date | None = None) -> int:
    """The hub's copy of a file of records (attendance, marks, enrollments...: CSV, or an Ed-Fi
    resource whose records name a studentReference): the withheld columns left out, and with
    `pseudonyms` each record id replaced by its pseudonym (with `as_of`, the months of turning 18
    as `encode_file` gives them). Returns the rows written."""
    if source.suffix.lower() in EDFI_SUFFIXES:
        return write_edfi_copy(source, out, pseudonyms or str)
    return write_hub_copy(source, out, pseudonyms, _months_near(source, as_of))
