"""Streaming JSON objects out of an Ed-Fi extract: a top-level array, or NDJSON (one per line).

Rows are numbered as rejections report them: the NDJSON line, or the array element's index + 1.
Malformed JSON is fatal, and the error names the line where the parser stopped.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from .errors import IntakeError
from .source import Progress, iter_lines, iter_text

_SPACE = re.compile(r"\s*")
# An Ed-Fi resource is a few kilobytes; anything this big without closing is not one.
MAX_ELEMENT_CHARS = 16 << 20


def iter_ndjson(path: Path, *, max_bytes: int, on_progress: Progress | None) -> Iterator[tuple[int, Any]]:
    """(line number, parsed value) for each non-blank line."""
    for number, line in enumerate(iter_lines(path, max_bytes=max_bytes, on_progress=on_progress), start=1):
        if not line.strip():
            continue
        try:
            value = json.loads(line)
        except json.JSONDecodeError as exc:
            raise IntakeError(path.name, number, "(line)",
                              f"malformed JSON at line {number}, column {exc.colno}: {exc.msg}") from None
        yield number, value


class _ArrayScanner:
    """Decodes one array element at a time from text arriving in pieces."""

    def __init__(self, path: Path, pieces: Iterator[str]) -> None:
        self.name = path.name
        self.pieces = pieces
        self.buf = ""
        self.pos = 0
        self.line = 1  # line number of buf[0]
        self.exhausted = False
        self.decoder = json.JSONDecoder()

    def _fill(self) -> bool:
        self.line += self.buf.count("\n", 0, self.pos)
        self.buf = self.buf[self.pos:]
        self.pos = 0
        piece = next(self.pieces, None)
        if piece is None:
            self.exhausted = True
            return False
        self.buf += piece
        return True

    def fail(self, row: int, at: int, message: str) -> IntakeError:
        line = self.line + self.buf.count("\n", 0, at)
        return IntakeError(self.name, row, "(json)", f"malformed JSON at line {line}: {message}")

    def peek(self) -> str:
        """The next non-space character ('' at the end of the file), without consuming it."""
        while True:
            match = _SPACE.match(self.buf, self.pos)
            self.pos = match.end() if match else self.pos
            if self.pos < len(self.buf) or not self._fill():
                return self.buf[self.pos:self.pos + 1]

    def element(self, row: int) -> Any:
        while True:
            try:
                value, self.pos = self.decoder.raw_decode(self.buf, self.pos)
                return value
            except json.JSONDecodeError as exc:
                if self.exhausted or len(self.buf) - self.pos > MAX_ELEMENT_CHARS:
                    raise self.fail(row, exc.pos, exc.msg) from None
                self._fill()  # the element may simply continue in the next piece


def iter_json_array(path: Path, *, max_bytes: int, on_progress: Progress | None) -> Iterator[tuple[int, Any]]:
    """(index + 1, parsed element) for each element of the file's top-level array."""
    scan = _ArrayScanner(path, iter_text(path, max_bytes=max_bytes, on_progress=on_progress))
    if scan.peek() != "[":
        raise scan.fail(0, scan.pos, "expected a top-level array '[' (use .ndjson for one object per line)")
    scan.pos += 1
    row = 0
    if scan.peek() == "]":
        scan.pos += 1
    else:
        while True:
            row += 1
            scan.peek()
            yield row, scan.element(row)
            nxt = scan.peek()
            scan.pos += 1
            if nxt == "]":
                break
            if nxt != ",":
                raise scan.fail(row, scan.pos - 1, "expected ',' or ']' after an array element")
    if scan.peek() != "":
        raise scan.fail(row, scan.pos, "unexpected text after the array")
