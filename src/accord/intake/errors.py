"""How intake reports problems: fatal file-level errors and row-level rejections.

Messages name the file, the row and the field, never the value found there: a value in an agency
file can be a child's name, birth date or identifier, and reports travel further than the file.
"""

from __future__ import annotations

from dataclasses import dataclass

from accord.errors import AccordError


class IntakeError(AccordError):
    """A problem that makes the whole file unusable (encoding, size, header, malformed JSON).

    `row` is 0 when the problem is with the file as a whole rather than a line of it."""

    def __init__(self, file: str, row: int, field: str, reason: str) -> None:
        super().__init__(file, row, field, reason)
        self.file = file
        self.row = row
        self.field = field
        self.reason = reason

    def __str__(self) -> str:
        return f"{self.file}, row {self.row}, field {self.field}: {self.reason}"


@dataclass(frozen=True, slots=True)
class Rejection:
    """One row left out of a batch, and why. `row` is 1-based: the CSV line (counting the header),
    the NDJSON line, or the JSON array element's index + 1."""

    file: str
    row: int
    field: str
    reason: str

    def __str__(self) -> str:
        return f"{self.file}, row {self.row}, field {self.field}: {self.reason}"


class RowIssue(Exception):
    """Raised by a row converter for one bad field; the reader turns it into a Rejection."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(field, reason)
        self.field = field
        self.reason = reason
