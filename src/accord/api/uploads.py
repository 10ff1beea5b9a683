"""Files sent to the service: streamed to a private temporary folder, refused past the limit without
keeping any of it, and removed when the call ends, whatever its outcome."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from fastapi import UploadFile

from accord.errors import AccordError

MAX_UPLOAD = 256 * 1024 * 1024  # bytes per file
CHUNK = 1024 * 1024


class UploadTooLarge(AccordError, ValueError):
    """An uploaded file past the service's limit."""


@contextmanager
def upload_folder() -> Iterator[Path]:
    """A folder only this process can read (mkdtemp makes it 0700), gone after the block."""
    folder = Path(tempfile.mkdtemp(prefix="accord-upload-"))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def saved(upload: UploadFile, folder: Path, name: str, limit: int = MAX_UPLOAD) -> Path:
    """The upload streamed to `folder / name`."""
    path = folder / name
    written = 0
    with path.open("wb") as out:
        while chunk := upload.file.read(CHUNK):
            written += len(chunk)
            if written > limit:
                raise UploadTooLarge(f"{name}: larger than {limit // (1024 * 1024)} MB")
            out.write(chunk)
    return path
