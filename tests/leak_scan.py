"""Looking for people's names in the files the hub keeps, without alarms raised by chance bytes.

A file at the hub is searched twice. Its raw bytes, for every name of six letters or more: a
name stored in any form a reader could recover lies in them. And what a reader recovers from it
(every string of a Parquet or DuckDB file, the text of any other file), for every name as a whole
word. A four-letter name is not searched in raw bytes: keyed encodings and ciphertext are random
bytes, and a given four bytes turn up about once in four billion positions, so across 50 such
names and a megabyte of encodings a clean hub failed about one run in a hundred (CI met "Paci").
Six letters make that chance about one in a million runs; the decoded search still sees a short
name that is actually stored.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from pathlib import Path

import duckdb
import pyarrow.parquet as pq  # type: ignore[import-untyped]

from accord.store.study_files import close_all

RAW_LETTERS = 6  # shortest name searched in raw bytes; the reason is in the module's docstring


def _text(value: object) -> str:
    """A cell as a reader sees it: bytes only when they are text (random bytes almost never are)."""
    if isinstance(value, bytes | bytearray):
        try:
            return bytes(value).decode("utf-8")
        except UnicodeDecodeError:
            return ""
    return "" if value is None else str(value)


def _parquet_strings(path: Path) -> list[str]:
    table = pq.read_table(path)
    out = [_text(v) for column in table.columns for v in column.to_pylist()]
    meta = table.schema.metadata or {}
    return out + [bytes(v).decode("utf-8", "replace") for v in meta.values()]


def _duckdb_strings(path: Path) -> list[str]:
    out: list[str] = []
    close_all()  # the process's own held study files: one file opens one way in a process (DuckDB)
    with duckdb.connect(str(path), read_only=True) as con:
        tables = con.execute("SELECT table_schema, table_name FROM information_schema.tables").fetchall()
        for schema, name in tables:
            for row in con.execute(f'SELECT * FROM "{schema}"."{name}"').fetchall():
                out += [_text(v) for v in row]
    return out


def readable(path: Path) -> str:
    """What a reader recovers from `path`: its cells if Parquet or DuckDB, else its text."""
    if path.suffix == ".parquet":
        return "\n".join(_parquet_strings(path))
    if path.suffix == ".duckdb":
        return "\n".join(_duckdb_strings(path))
    text = path.read_bytes().decode("utf-8", "replace")
    if path.suffix == ".json" and text.strip():
        return text + "\n" + json.dumps(json.loads(text), ensure_ascii=False)
    return text


def names_in_files(names: Iterable[str], files: Iterable[Path]) -> list[str]:
    """The names found in `files`, as written or in capitals; empty when none is kept. The process's
    held study files are closed first: what is scanned is what the hub keeps at rest (a held file's
    write-ahead log is folded into the file, and is gone from the listing, as when the server stops)."""
    close_all()
    paths = [p for p in files if p.is_file()]
    raw = b"\n".join(p.read_bytes() for p in paths)
    words = {w for p in paths for w in re.findall(r"[^\W\d_]+", readable(p))}
    found = set()
    for name in names:
        forms = {name, name.upper()}
        if len(name) >= RAW_LETTERS and any(f.encode() in raw for f in forms):
            found.add(name)
        elif forms & words:
            found.add(name)
    return sorted(found)
