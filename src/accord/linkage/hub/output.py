"""Writing the hub's results: CSV files written whole or not at all."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any


def write_csv(frame: Any, target: Path, columns: list[str]) -> int:
    """Write `columns` of a pandas frame to `target` atomically; the number of rows written."""
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    os.close(fd)
    temp = Path(name)
    try:
        frame.to_csv(temp, columns=columns, index=False, float_format="%.6f")
        os.replace(temp, target)
    finally:
        temp.unlink(missing_ok=True)
    return len(frame)
