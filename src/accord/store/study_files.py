"""A study's DuckDB files, kept open between questions in one process (issue 18, ADR 0024).

Opening a study's file costs more than answering from it: at ten million children, opening, reading
its columns into DuckDB's buffers and closing it again take some 85 ms, as long as the question's
GROUP BY itself. A service answers question after question, and the audit writes the labels back
after each release, so every use goes through one read-write database per file that stays open for
`KEPT_OPEN` seconds after its last use, each use on a cursor of its own (DuckDB runs them side by side
on one database). A file idle longer is closed, so that another process (the command line building,
querying or destroying a study) can take it; a process that finds a file held waits up to `WAIT`
seconds, then is refused with `StoreBusy`. A file removed or replaced behind an open database is
noticed by its identity on disk and opened again.
"""

from __future__ import annotations

import atexit
import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import duckdb

from accord.errors import StoreBusy

KEPT_OPEN = 5.0  # seconds a file stays open after its last use
WAIT = 30.0  # seconds to wait for a file another process holds (it holds it at most KEPT_OPEN idle)
_RETRY = 0.05


@dataclass
class _Held:
    database: duckdb.DuckDBPyConnection
    identity: tuple[int, int] | None
    users: int = 0
    last_used: float = 0.0
    closing: bool = False


_lock = threading.Lock()
_held: dict[str, _Held] = {}
_closer: list[threading.Timer] = []  # the one timer armed, if any


def _identity(path: Path) -> tuple[int, int] | None:
    try:
        found = os.stat(path)
    except FileNotFoundError:
        return None
    return found.st_dev, found.st_ino


@contextmanager
def opened(path: Path, create: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
    """A connection to the study file `path`, for one use; a missing file is created with `create`,
    else refused as DuckDB refuses to read one."""
    key = str(path.absolute())
    if not create and not path.exists():
        duckdb.connect(str(path), read_only=True).close()  # raises DuckDB's own "does not exist"
    taken = _use(key, path)
    # a file opens outside the lock: opening may wait for another process
    held, cursor = taken if taken is not None else _hold(key, path, _connect(path))
    try:
        yield cursor
    finally:
        cursor.close()
        with _lock:
            held.users -= 1
            held.last_used = time.monotonic()
            if held.closing and not held.users:
                _close(key, held)
            _arm()


Use = tuple[_Held, duckdb.DuckDBPyConnection]  # the file held, and a cursor on it for one use


def _use(key: str, path: Path) -> Use | None:
    """A use of the file held under `key`, or None when none is (or the one held was removed or
    replaced on disk since, and is closed now)."""
    with _lock:
        held = _held.get(key)
        if held is not None and held.identity != _identity(path) and not held.users:
            _close(key, held)  # its buffers are another file's
            held = None
        if held is None:
            return None
        held.users += 1
        return held, held.database.cursor()


def _hold(key: str, path: Path, opening: duckdb.DuckDBPyConnection) -> Use:
    """A use of `opening`, held from now on, or of the file another thread held meanwhile."""
    with _lock:
        held = _held.get(key)
        if held is None:
            held = _held[key] = _Held(opening, _identity(path))
        else:
            opening.close()
        held.users += 1
        return held, held.database.cursor()


def _connect(path: Path) -> duckdb.DuckDBPyConnection:
    deadline = time.monotonic() + WAIT
    while True:
        try:
            return duckdb.connect(str(path))
        except duckdb.IOException as err:
            if "lock" not in str(err).lower():
                raise
            if time.monotonic() > deadline:
                raise StoreBusy(f"another process held the study file {path.name} in {path.parent.name} "
                                f"for more than {WAIT:.0f} s; nothing was read or written"
                                ).coded("study_file_busy", seconds=f"{WAIT:.0f}") from None
            time.sleep(_RETRY)


def close_held(path: Path) -> None:
    """Close the held file `path`, or every held file under the folder `path` (a study's data about to
    be destroyed or replaced); a file in use closes when its use ends."""
    whole = str(path.absolute())
    with _lock:
        for key, held in list(_held.items()):
            if key == whole or key.startswith(whole + os.sep):
                held.closing = True
                if not held.users:
                    _close(key, held)


def close_all() -> None:
    """Close every held file not in use (a test or a tool about to open one itself)."""
    with _lock:
        for key, held in list(_held.items()):
            if not held.users:
                _close(key, held)


atexit.register(close_all)  # a process ending closes its files (and checkpoints them) before it goes


def held_files() -> list[str]:
    """The files this process holds open now."""
    with _lock:
        return sorted(_held)


def _close(key: str, held: _Held) -> None:
    held.database.close()
    _held.pop(key, None)


def _arm() -> None:
    """Arm the timer that closes idle files, unless one is armed or nothing is held (under _lock)."""
    if _closer or not _held:
        return
    timer = threading.Timer(KEPT_OPEN, _close_idle)
    timer.daemon = True
    _closer.append(timer)
    timer.start()


def _close_idle() -> None:
    with _lock:
        _closer.clear()
        now = time.monotonic()
        for key, held in list(_held.items()):
            if not held.users and now - held.last_used >= KEPT_OPEN:
                _close(key, held)
        _arm()
