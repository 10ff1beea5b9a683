"""Files sent to the service: streamed to a private temporary folder, refused past a limit (413)
without keeping any of it, and removed when the call ends, whatever its outcome."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException

MAX_UPLOAD = 256 * 1024 * 1024  # bytes per file
CHUNK = 1024 * 1024


@contextmanager
def upload_folder() -> Iterator[Path]:
    """A folder only this process can read (mkdtemp makes it 0700), gone after the block."""
    folder = Path(tempfile.mkdtemp(prefix="accord-upload-"))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def size_text(limit: int) -> str:
    return f"{limit // (1024 * 1024)} MB" if limit >= 1024 * 1024 else f"{limit} bytes"


def saved(upload: UploadFile, path: Path, limit: int = MAX_UPLOAD) -> Path:
    """The upload streamed to `path`, refused past `limit` bytes."""
    written = 0
    with path.open("wb") as out:
        while chunk := upload.file.read(CHUNK):
            written += len(chunk)
            if written > limit:
                raise HTTPException(413, f"{path.name}: larger than {size_text(limit)}")
            out.write(chunk)
    return path
