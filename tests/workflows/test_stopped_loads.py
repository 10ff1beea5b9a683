"""Loads killed (SIGKILL: no handler runs) at several points, before, during and after their
commit (issue 16): the store and the hub's rosters never disagree for long. A load stopped before
its commit leaves nothing but a pending file, which the next run deletes; one stopped after its
commit is finished by the next run, which says so. `ledger verify` holds throughout. On SQLite
and PostgreSQL."""

from __future__ import annotations

import fcntl
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from sqlalchemy import create_engine, text

from tests.workflows.intake_hub import AGREEMENT, STUDENT_COLUMNS, Hub, writer_held

SYLLABLES = ("zor", "mip", "quel", "tav", "ash", "fen", "gil", "wick", "orr", "pel")


def _students(hub: Hub, n: int, start: int = 0) -> tuple[Path, Path]:
    """`n` invented students, as the school's node sends them: the hub's copy and the encodings."""
    def name(i: int, k: int) -> str:
        return "".join(SYLLABLES[(i // 10 ** j + k) % 10] for j in range(3)).title()
    rows = [[f"ZS-{i:06d}", name(i, 0), "", name(i, 3), f"20{10 + i % 6}-0{1 + i % 9}-1{i % 10}",
             ("Female", "Male")[i % 2], f"{i % 97} {name(i, 5)} Lane", "Ashmere", "40117", "Fifth grade"]
            for i in range(start, start + n)]
    return hub.submission(hub.write_csv(f"students-{start}.csv", STUDENT_COLUMNS, rows))


def _start_load(copy: Path, encodings: Path) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "accord", "intake", "load", "--agency", "lea", "--kind",
                             "students", "--in", str(copy), "--encoded", str(encodings)],
                            env=dict(os.environ, COLUMNS="250"), text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)


def _kill(run: subprocess.Popen[str]) -> None:
    run.send_signal(signal.SIGKILL)
    run.wait(timeout=60)


def _pending(hub: Hub) -> list[Path]:
    return sorted((hub.root / "data" / "hub").glob("agreements/*/*/pending/*.parquet"))


def _roster_ids(hub: Hub) -> set[str]:
    roster = hub.roster("lea")
    if not roster.exists():
        return set()
    return set(pq.read_table(roster, columns=["record_id"])["record_id"].to_pylist())


def _record_ids(hub: Hub) -> set[str]:
    engine = create_engine(hub.db_url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(text("SELECT record_id FROM agency_records WHERE agency_id = 'lea'"))
            return {r for (r,) in rows}
    finally:
        engine.dispose()


def _agree(hub: Hub) -> None:
    """The invariant every run restores: the roster holds exactly the records the store holds."""
    assert _roster_ids(hub) == _record_ids(hub)
    assert not _pending(hub)
    hub.ok("ledger", "verify")


@contextmanager
def _rosters_held(hub: Hub) -> Iterator[None]:
    """Another process merging into the agreement's rosters (its lock held)."""
    folder = hub.root / "data" / "hub" / "agreements" / AGREEMENT
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / ".lock").open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _until(check: object, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while not check():  # type: ignore[operator]
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.01)


def test_killed_after_the_commit_the_next_run_finishes_the_roster(hub: Hub) -> None:
    hub.ok("intake", "load", "--agency", "lea", "--kind", "students", *_load_args(*_students(hub, 200)))
    copy, encodings = _students(hub, 2000, start=200)
    with _rosters_held(hub):
        run = _start_load(copy, encodings)
        # Committed (the batch is in the store), waiting to merge: stop it there.
        _until(lambda: len(_record_ids(hub)) == 2200 and _pending(hub))
        _kill(run)
    assert len(_record_ids(hub)) == 2200 and len(_roster_ids(hub)) == 200 and len(_pending(hub)) == 1
    # The chain is whole, and the check says what is left to do.
    assert "warning: 1 piece(s) of work a stopped load left between the store and the hub's rosters: run " \
        "`accord intake recover`" in " ".join(hub.ok("ledger", "verify").split())
    shown = " ".join(hub.ok("intake", "recover").split())
    assert "recovered: finished batch 2, which stopped after its commit: its encodings are now in the " \
           "roster of lea for agreement dsa-health (2,200 records)." in shown, shown
    _agree(hub)
    assert "Nothing to recover" in hub.ok("intake", "recover")


def _load_args(copy: Path, encodings: Path) -> list[str]:
    return ["--in", str(copy), "--encoded", str(encodings)]


def test_killed_before_the_commit_nothing_is_kept_and_the_next_run_cleans_up(hub: Hub) -> None:
    copy, encodings = _students(hub, 2000)
    with writer_held(hub):
        run = _start_load(copy, encodings)
        time.sleep(4)
        _kill(run)
    assert not _record_ids(hub) and not _pending(hub)
    hub.ok("ledger", "verify")
    # Later in the transaction: the encodings pending. Killed as its pending file appears; which
    # side of the commit it was on, the store tells afterwards.
    run = _start_load(copy, encodings)
    _until(lambda: bool(_pending(hub)) or run.poll() is not None)
    _kill(run)
    committed = bool(_record_ids(hub))
    assert _pending(hub), "the pending encodings are what the next run finds"
    shown = " ".join(hub.ok("intake", "recover").split())
    if committed:
        assert re.search(r"recovered: finished batch \d+, which stopped after its commit", shown), shown
    else:
        assert "recovered: removed encodings of lea for agreement dsa-health left by a load that stopped " \
               "before its commit (nothing of that load was kept)." in shown, shown
    _agree(hub)


@pytest.mark.parametrize("fraction", [0.2, 0.5, 0.8, 1.1])
def test_killed_at_any_moment_the_next_load_restores_agreement(hub: Hub, fraction: float,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    # The loads' own temporary folder (this process's and the killed one's), so that what another
    # program on the machine leaves in /tmp meanwhile is not counted as the load's leftovers.
    private = hub.root / "tmp"
    private.mkdir()
    monkeypatch.setenv("TMPDIR", str(private))
    monkeypatch.setattr(tempfile, "tempdir", str(private))
    hub.ok("intake", "load", "--agency", "lea", "--kind", "students", *_load_args(*_students(hub, 100)))
    copy, encodings = _students(hub, 3000, start=100)
    timing = _start_load(copy, encodings)
    started = time.monotonic()
    assert timing.wait(timeout=240) == 0
    took = time.monotonic() - started
    hub.ok("intake", "load", "--agency", "lea", "--kind", "students", *_load_args(*_students(hub, 100)))
    # The same load again (a reload), stopped at a fraction of the time a whole run takes.
    before = set(os.listdir(tempfile.gettempdir()))
    run = _start_load(copy, encodings)
    time.sleep(took * fraction)
    _kill(run)
    hub.ok("ledger", "verify")
    # The next load (of another file) repairs first, then loads.
    shown = hub.ok("intake", "load", "--agency", "lea", "--kind", "students",
                   *_load_args(*_students(hub, 50, start=5000)))
    assert "Traceback" not in shown
    _agree(hub)
    assert len(_record_ids(hub)) == 3150
    left = {n for n in set(os.listdir(tempfile.gettempdir())) - before if n.startswith("accord-")}
    assert not left, left
