"""Reading an agency roster CSV, with errors that name file, row and column but never a value.

Rows are numbered as a spreadsheet shows them: the header is row 1, the first person row 2.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from accord.errors import AccordError
from accord.linkage.encode.record import IDENTITY_COLUMNS

BATCH_ROWS = 50_000


class RosterError(AccordError, ValueError):
    """The roster cannot be encoded at all; nothing is written. The message holds no identity value."""


@dataclass(frozen=True, slots=True)
class RosterBatch:
    """Consecutive person rows, column by column: the canonical columns the file has (cells a short
    row lacks are empty), record_id stripped, and each row's number as a spreadsheet shows it."""

    columns: dict[str, list[str]]
    row_numbers: list[int]

    def __len__(self) -> int:
        return len(self.row_numbers)


def read_roster_batches(path: Path, batch_rows: int = BATCH_ROWS) -> Iterator[RosterBatch]:
    """The person rows in batches of up to `batch_rows`; raises RosterError on a structural problem.

    Checked here: the file opens and decodes as UTF-8, has a record_id column, and every row has a
    non-empty record_id not seen before. Unknown columns are ignored; missing optional ones are empty.
    A row whose cells are all blank is not a person and is skipped (it still counts as a row).
    """
    name = path.name
    seen: dict[str, int] = {}
    row_number = 1
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.reader(handle)
            header = [h.strip().lower() for h in next(reader, [])]
            if "record_id" not in header:
                raise RosterError(f"{name} row 1: the required column record_id is missing")
            if not any(column in header for column in IDENTITY_COLUMNS if column != "record_id"):
                # A file of events, not of people: nothing to link on.
                raise RosterError(f"{name} row 1: no identity column (first_name, last_name, "
                                  "date_of_birth...): a roster describes people")
            indices = {column: header.index(column) for column in IDENTITY_COLUMNS if column in header}
            id_index, width = indices["record_id"], len(header)
            rows: list[list[str]] = []
            numbers: list[int] = []
            for row_number, cells in enumerate(reader, start=2):
                if len(cells) < width:  # a short row: the cells it lacks are empty
                    cells += [""] * (width - len(cells))
                record_id = cells[id_index].strip()
                if not record_id:
                    if not any(cell.strip() for cell in cells):
                        continue  # a blank line is not a person
                    raise RosterError(f"{name} row {row_number}, column record_id: empty")
                first_seen = seen.setdefault(record_id, row_number)
                if first_seen != row_number:
                    raise RosterError(f"{name} row {row_number}, column record_id: "
                                      f"duplicate of row {first_seen}")
                cells[id_index] = record_id
                rows.append(cells)
                numbers.append(row_number)
                if len(rows) >= batch_rows:
                    yield _batch(rows, numbers, indices)
                    rows, numbers = [], []
            if rows:
                yield _batch(rows, numbers, indices)
    except UnicodeDecodeError:
        raise RosterError(f"{name} row {row_number + 1}: not valid UTF-8 text") from None
    except csv.Error as err:
        raise RosterError(f"{name} row {row_number + 1}: not a readable CSV ({type(err).__name__})") from None
    except OSError as err:
        raise RosterError(f"{name}: cannot read ({err.strerror})") from None


def _batch(rows: list[list[str]], numbers: list[int], indices: dict[str, int]) -> RosterBatch:
    return RosterBatch({column: [row[i] for row in rows] for column, i in indices.items()}, numbers)


def read_roster(path: Path) -> Iterator[tuple[int, dict[str, str]]]:
    """(row number, row) for each person row, with the checks of `read_roster_batches`. Rows are
    numbered as a spreadsheet shows them; a row holds only the canonical columns the file has."""
    for batch in read_roster_batches(path):
        for i, row_number in enumerate(batch.row_numbers):
            yield row_number, {column: cells[i] for column, cells in batch.columns.items()}
