"""What the command line does with an error nobody foresaw: one line for the user, and a report
for the developers that holds where it happened and nothing of the data.

The report keeps the exception's type and the stack's files, lines and functions, and leaves out
every message and every value: a driver's or a library's message may quote a row (a name, a birth
date), and the report is meant to be sent on.
"""

from __future__ import annotations

import os
import platform
import tempfile
import traceback
from datetime import UTC, datetime
from pathlib import Path

from accord import __version__

REPORTS = "crash-reports"


def _types(err: BaseException) -> list[str]:
    """The exception and the ones it was raised from or during, by type only."""
    seen: list[str] = []
    current: BaseException | None = err
    while current is not None and len(seen) < 10:
        seen.append(f"{type(current).__module__}.{type(current).__qualname__}")
        current = current.__cause__ or current.__context__
    return seen


def write_report(err: BaseException, data_dir: Path) -> Path:
    """Write the report under `data_dir` (or the system's temp directory when that does not
    exist yet) and return its path."""
    now = datetime.now(UTC)
    base = data_dir if data_dir.is_dir() else Path(tempfile.gettempdir())
    folder = base / REPORTS
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{now:%Y%m%dT%H%M%S}-{os.getpid()}.txt"
    frames = traceback.extract_tb(err.__traceback__)
    lines = [f"accord {__version__}, Python {platform.python_version()}, {platform.system()}",
             f"at {now:%Y-%m-%dT%H:%M:%SZ}", "exception (message left out): " + " <- ".join(_types(err)),
             "stack (most recent call last):",
             *(f"  {Path(f.filename).name}:{f.lineno} in {f.name}" for f in frames)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
