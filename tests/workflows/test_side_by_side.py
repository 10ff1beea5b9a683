"""Loads and reads side by side on one data directory, in real processes (issue 16): each run
either succeeds or waits its turn, or, held past the wait, is refused with one line and writes
nothing; the store and the ledger's chain stay whole. On SQLite and PostgreSQL."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

from tests.workflows.intake_hub import ATTENDANCE_COLUMNS, IDS, SCHOOL, Hub, load_students, writer_held


def _accord(*args: str, busy_seconds: float | None = None) -> subprocess.Popen[str]:
    env = dict(os.environ, COLUMNS="250")
    if busy_seconds is not None:
        env["ACCORD_BUSY_SECONDS"] = str(busy_seconds)
    return subprocess.Popen([sys.executable, "-m", "accord", *args], env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)


def _attendance(hub: Hub, name: str, first: date, days: int) -> Path:
    rows = [[rid, SCHOOL, (first + timedelta(days=d)).isoformat(), "Tardy"]
            for d in range(days) for rid in IDS]
    return hub.write_csv(name, ATTENDANCE_COLUMNS, rows)


def _load(path: Path, busy_seconds: float | None = None) -> subprocess.Popen[str]:
    return _accord("intake", "load", "--agency", "lea", "--kind", "attendance", "--in", str(path),
                   busy_seconds=busy_seconds)


def test_two_loads_and_a_verify_at_once_all_finish_and_the_chain_holds(hub: Hub) -> None:
    load_students(hub)
    before, entries = hub.count("record_content"), len(hub.ledger())
    files = [_attendance(hub, f"attendance-{n}.csv", date(2000 + 10 * n, 1, 1), 1500) for n in range(2)]
    runs = [_load(f) for f in files] + [_accord("ledger", "verify")]
    outputs = [(run.wait(timeout=240), run.stdout.read() if run.stdout else "") for run in runs]
    assert [code for code, _ in outputs] == [0, 0, 0], outputs
    assert hub.count("record_content") == before + 2 * 1500 * len(IDS)
    assert hub.kinds()[entries:] == ["records_loaded", "records_loaded"]
    assert "Traceback" not in "".join(out for _, out in outputs)
    hub.ok("ledger", "verify")


def test_a_load_held_past_the_wait_is_refused_whole_and_the_next_run_loads(hub: Hub) -> None:
    load_students(hub)
    path = _attendance(hub, "attendance.csv", date(2026, 9, 1), 20)
    before, entries = hub.counts(), len(hub.ledger())
    with writer_held(hub):
        run = _load(path, busy_seconds=1)
        code, shown = run.wait(timeout=120), run.stdout.read() if run.stdout else ""
    assert code == 75, shown
    line = " ".join(shown.split())
    assert "error: another Accord process (a load, most likely) held the store for more than 1 s; nothing " \
           "of this run was written" in line, shown
    assert "Traceback" not in shown and len(shown.strip().splitlines()) <= 3
    assert hub.counts() == before and len(hub.ledger()) == entries
    # The same command, once the other process is done, loads.
    again = _load(path)
    assert again.wait(timeout=120) == 0
    assert hub.count("record_content") == before["record_content"] + 20 * len(IDS)
    hub.ok("ledger", "verify")
