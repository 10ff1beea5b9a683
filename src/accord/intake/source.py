"""Reading an agency file as UTF-8 text in large pieces, with a size limit and a progress hook.

The file is read in binary blocks cut at the last line break, so a multi-byte character is never
split and a decoding error can be placed by byte offset and line. A BOM (Excel's "CSV UTF-8")
is dropped.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from itertools import chain
from pathlib import Path

from .errors import IntakeError

DEFAULT_MAX_BYTES = 2 << 30  # 2 GiB
BLOCK_BYTES = 1 << 20
_BOM = b"\xef\xbb\xbf"

Progress = Callable[[int], None]


def check_size(path: Path, max_bytes: int) -> None:
    """Refuse a file over `max_bytes` before reading any of it."""
    size = path.stat().st_size
    if size > max_bytes:
        raise IntakeError(path.name, 0, "(file)", f"file is {size} bytes, over the limit of {max_bytes}")


def iter_text(path: Path, *, max_bytes: int = DEFAULT_MAX_BYTES,
              on_progress: Progress | None = None) -> Iterator[str]:
    """Decoded pieces of the file, each ending at a line break (except perhaps the last)."""
    check_size(path, max_bytes)
    done = 0  # bytes read so far
    start = 0  # absolute offset of the next piece
    lines_before = 0
    carry = b""
    with path.open("rb") as handle:
        while True:
            block = handle.read(BLOCK_BYTES)
            done += len(block)
            if done > max_bytes:  # the file grew after the size check
                raise IntakeError(path.name, 0, "(file)", f"file is over the limit of {max_bytes} bytes")
            data = carry + block
            if block:
                cut = data.rfind(b"\n") + 1
                if cut == 0:  # no line break yet: keep reading
                    carry = data
                    continue
                piece, carry = data[:cut], data[cut:]
            else:
                piece, carry = data, b""
            skip = len(_BOM) if start == 0 and piece.startswith(_BOM) else 0
            try:
                text = piece[skip:].decode("utf-8")
            except UnicodeDecodeError as exc:
                bad = skip + exc.start
                line = lines_before + piece.count(b"\n", 0, bad) + 1
                raise IntakeError(path.name, line, "(file)",
                                  f"not UTF-8: invalid byte at offset {start + bad}") from None
            lines_before += piece.count(b"\n")
            start += len(piece)
            if text:
                yield text
            if on_progress is not None:
                on_progress(done)
            if not block:
                return


def iter_lines(path: Path, *, max_bytes: int = DEFAULT_MAX_BYTES,
               on_progress: Progress | None = None) -> Iterator[str]:
    """The file's lines, each with its line ending, decoded as UTF-8."""
    # StringIO splits on "\n" only, so a stray "\r" or form feed inside a field stays put; the
    # C-level chain avoids a Python frame per line on multi-million-line files.
    pieces = iter_text(path, max_bytes=max_bytes, on_progress=on_progress)
    return chain.from_iterable(map(io.StringIO, pieces))
