"""What both sides of linkage agree on about files: the encoded file's footer entries, and how a
file is written whole or not at all.

The agency side writes encoded files (parquet_out, pipeline, hub_copy) and the hub reads them
(hub/encoded.py) and writes its own results (hub/output.py, hub/report.py); neither side imports
the other, so what they share lives here, standard library only.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ENCODING_ENTRY = "accord.encoding"  # footer: the encoding's version, key id and parameters (JSON)
CHANCE_ENTRY = "accord.chance_agreement"  # footer: per name field, pairs per hundredth of Dice (JSON)


@contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """A temporary path beside `target`, renamed onto it on success and removed on any failure."""
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    os.close(fd)
    temp = Path(name)
    try:
        yield temp
        os.replace(temp, target)
    finally:
        temp.unlink(missing_ok=True)
