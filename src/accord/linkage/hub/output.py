"""Writing the hub's results: CSV files written whole or not at all."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from accord.linkage.file_contract import atomic_path


def write_csv(frame: Any, target: Path, columns: list[str]) -> int:
    """Write `columns` of a pandas frame to `target` atomically; the number of rows written."""
    with atomic_path(target) as temp:
        frame.to_csv(temp, columns=columns, index=False, float_format="%.6f")
    return len(frame)


def write_rows(rows: Iterable[Sequence[object]], target: Path, header: Sequence[str]) -> int:
    """Write `header` and `rows` to `target` as CSV atomically; the number of rows written."""
    written = 0
    with atomic_path(target) as temp, temp.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        for row in rows:
            writer.writerow(row)
            written += 1
    return written
