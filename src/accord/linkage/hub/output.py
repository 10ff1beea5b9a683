"""Writing the hub's results: CSV files written whole or not at all."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from accord.linkage.file_contract import atomic_path


def write_csv(frame: Any, target: Path, columns: list[str]) -> int:
    """Write `columns` of a pandas frame to `target` atomically; the number of rows written."""
    with atomic_path(target) as temp:
        frame.to_csv(temp, columns=columns, index=False, float_format="%.6f")
    return len(frame)
