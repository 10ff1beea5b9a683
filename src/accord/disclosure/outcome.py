"""What a release is, whichever engine produced it: a table of released values plus one outcome per
cell (row x measure), which the web page and the export show beside each figure.

This engine (suppression, rounding, auditing) produces every status but `noised`, which the
differential-privacy engine of the next issue will: it returns the same `Released`, so the ledger, the
audit history and the faces take either without knowing which engine ran.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from accord.disclosure.table import Parts


class Status(StrEnum):
    RELEASED = "released"
    SUPPRESSED_PRIMARY = "suppressed_primary"  # the cell itself fails a rule
    SUPPRESSED_COMPLEMENTARY = "suppressed_complementary"  # hidden so that a primary cannot be derived
    ROUNDED = "rounded"
    NOISED = "noised"  # differential privacy (accord.disclosure.privacy)
    SYNTHETIC = "synthetic"  # a figure of the study's synthetic twin: no real child in it

    @property
    def suppressed(self) -> bool:
        return self in (Status.SUPPRESSED_PRIMARY, Status.SUPPRESSED_COMPLEMENTARY)


@dataclass(frozen=True)
class CellOutcome:
    """The outcome of one cell. `detail` names the rule and any flag (zero, negative contributions,
    top/bottom coded), never a value below the threshold."""

    row: int
    measure: str
    status: Status
    detail: str = ""
    error: float | None = None  # a noised cell's 95% interval half-width (differential privacy)


@dataclass(frozen=True)
class ReleasedRow:
    key: tuple[str, ...]
    values: dict[str, float | None]  # None where suppressed


def _no_parts() -> list[Parts]:
    return []


@dataclass(frozen=True)
class Released:
    """A released table. `parts` (how each row's records fall into the audit's atoms) and `n_records`
    never leave the engine's caller: the audit history (`AuditHistory.after`) reads them to know which
    records each released cell covered; nothing shows them."""

    dims: tuple[str, ...]
    rows: list[ReleasedRow]
    cells: list[CellOutcome]
    parts: list[Parts] = field(default_factory=_no_parts, repr=False, compare=False)
    n_records: int = field(default=0, repr=False, compare=False)

    def outcome(self, row: int, measure: str) -> CellOutcome:
        for cell in self.cells:
            if cell.row == row and cell.measure == measure:
                return cell
        raise KeyError((row, measure))

    def released_rows(self) -> list[int]:
        """The rows of which at least one figure is shown: what the audit counts as released (the row's
        record set is then known to be the set its key describes)."""
        shown = {c.row for c in self.cells if not c.status.suppressed}
        return sorted(shown)

    def suppression(self) -> tuple[int, int]:
        """(cells suppressed, cells) over every measure."""
        return sum(1 for c in self.cells if c.status.suppressed), len(self.cells)
