"""Writing a set of CSV files all at once or not at all."""

from __future__ import annotations

import csv
import os
import secrets
import shutil
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def staged_directory(out: Path) -> Iterator[Path]:
    """A fresh directory beside ``out`` to write into; its files land in ``out`` only on success.

    Staging beside ``out`` keeps it on the same file system, so the final step is a rename. When
    ``out`` does not exist the whole directory is renamed into place in one step; when it does
    (empty, or the caller chose to overwrite), each file replaces its namesake and other files are
    left alone. Any exception removes the staging directory and leaves ``out`` as it was.
    """
    if out.exists() and not out.is_dir():
        raise NotADirectoryError(f"{out}: exists and is not a directory")
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = _fresh_directory(out)
    try:
        yield staging
        if out.exists():
            for path in sorted(staging.iterdir()):
                os.replace(path, out / path.name)
            staging.rmdir()
        else:
            staging.rename(out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def _fresh_directory(out: Path) -> Path:
    """An empty directory named like ``.out.1a2b3c4d.partial`` beside ``out``.

    Not tempfile.mkdtemp: its mode 0700 would become the mode of ``out`` itself; os.mkdir honours
    the user's umask like any directory they create.
    """
    while True:
        staging = out.with_name(f".{out.name}.{secrets.token_hex(4)}.partial")
        try:
            staging.mkdir()
        except FileExistsError:
            continue
        return staging


def write_csv(path: Path, header: Sequence[str], rows: Iterable[Sequence[str]]) -> None:
    """A UTF-8 CSV with ``header`` then ``rows``; "\\n" line ends so files compare byte for byte."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
