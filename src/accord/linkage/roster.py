"""Reading an agency roster CSV, with errors that name file, row and column but never a value.

Rows are numbered as a spreadsheet shows them: the header is row 1, the first person row 2.
"""

from __future__ import annotations

import csv
import operator
from collections.abc import Iterator
from pathlib import Path

from accord.linkage.encode.record import IDENTITY_COLUMNS


class RosterError(ValueError):
    """The roster cannot be encoded at all; nothing is written. The message holds no identity value."""


def read_roster(path: Path) -> Iterator[tuple[int, dict[str, str]]]:
    """(row number, row) for each person row; raises RosterError on a structural problem.

    Checked here: the file opens and decodes as UTF-8, has a record_id column, and every row has a
    non-empty record_id not seen before. Unknown columns are ignored; missing optional ones are empty.
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
            columns = [column for column in IDENTITY_COLUMNS if column in header]
            pick = operator.itemgetter(*(header.index(column) for column in columns))
            width = len(header)
            for cells in reader:
                row_number += 1
                if not any(cell.strip() for cell in cells):
                    continue  # a blank line is not a person
                if len(cells) < width:  # a short row: the cells it lacks are empty
                    cells += [""] * (width - len(cells))
                picked = pick(cells)
                row = dict(zip(columns, picked if len(columns) > 1 else (picked,), strict=True))
                record_id = row["record_id"].strip()
                if not record_id:
                    raise RosterError(f"{name} row {row_number}, column record_id: empty")
                if record_id in seen:
                    raise RosterError(f"{name} row {row_number}, column record_id: "
                                      f"duplicate of row {seen[record_id]}")
                seen[record_id] = row_number
                yield row_number, row
    except UnicodeDecodeError:
        raise RosterError(f"{name} row {row_number + 1}: not valid UTF-8 text") from None
    except csv.Error as err:
        raise RosterError(f"{name} row {row_number + 1}: not a readable CSV ({type(err).__name__})") from None
    except OSError as err:
        raise RosterError(f"{name}: cannot read ({err.strerror})") from None
