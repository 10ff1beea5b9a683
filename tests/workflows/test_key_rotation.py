"""Rotating the content key (issue 16): everything re-sealed under a new key in batches that
resume after a kill, the old key retired, the rotation in the ledger; content reads the same and
the facts' digests are made anew (a reload after the rotation changes nothing). Both backends."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import create_engine, text

from tests.workflows.intake_hub import IDS, SCHOOL, Hub, load_students, opened

HEADER = ["record_id", "school_id", "course_code", "course_title", "term", "mark"]
ROWS = [[rid, SCHOOL, f"C{n}", f"Course {n}", "Fall 2026", "B"] for rid in IDS for n in range(20)]


def _key_ids(hub: Hub) -> dict[str, int]:
    engine = create_engine(hub.db_url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(text("SELECT key_id, COUNT(*) FROM record_content GROUP BY key_id"))
            return {k: n for k, n in rows}
    finally:
        engine.dispose()


def _grades(hub: Hub) -> Path:
    return hub.write_csv("grades.csv", HEADER, ROWS)


def test_rotation_reseals_everything_and_retires_the_old_key(hub: Hub) -> None:
    load_students(hub)
    hub.ok("intake", "load", "--agency", "lea", "--kind", "grades", "--in", str(_grades(hub)))
    key_file = hub.root / "content.key"
    old_bytes, [old_id] = key_file.read_bytes(), list(_key_ids(hub))
    before = opened(hub, "lea", IDS[1], "grades", "grade_level")

    shown = " ".join(hub.ok("keys", "rotate-content", "--batch", "7").split())
    [new_id] = list(_key_ids(hub))
    assert new_id != old_id and key_file.read_bytes() != old_bytes
    assert key_file.stat().st_mode & 0o777 == 0o600
    assert not (hub.root / "content.key.next").exists()
    assert f"Content key {old_id} retired: {sum(_key_ids(hub).values())} rows are sealed under key {new_id}" \
        in shown, shown
    assert opened(hub, "lea", IDS[1], "grades", "grade_level") == before
    last = hub.ledger()[-1]
    assert last["kind"] == "content_key_rotated" and last["body"] == {
        "retired_key": old_id, "content_key": new_id, "rows": sum(_key_ids(hub).values())}
    # The digests were made anew under the new key: the same grades (in another order, so read
    # again) change nothing.
    again = " ".join(hub.ok("intake", "load", "--agency", "lea", "--kind", "grades", "--in",
                            str(hub.write_csv("grades-again.csv", HEADER, ROWS[::-1]))).split())
    assert "every fact in them is held already, unchanged: nothing changed" in again, again
    hub.ok("ledger", "verify")


def test_a_rotation_killed_midway_resumes_and_nothing_else_runs_meanwhile(hub: Hub) -> None:
    load_students(hub)
    hub.ok("intake", "load", "--agency", "lea", "--kind", "grades", "--in", str(_grades(hub)))
    [old_id] = list(_key_ids(hub))
    run = subprocess.Popen([sys.executable, "-m", "accord", "keys", "rotate-content", "--batch", "1"],
                           env=dict(os.environ, COLUMNS="250"), text=True,
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 120
    while len(_key_ids(hub)) < 2 and time.monotonic() < deadline and run.poll() is None:
        time.sleep(0.02)
    run.send_signal(signal.SIGKILL)
    run.wait(timeout=60)
    held = _key_ids(hub)
    assert len(held) == 2 and held[old_id] > 0, held  # stopped halfway: rows under both keys
    assert (hub.root / "content.key.next").exists()

    refused = hub.run("intake", "load", "--agency", "lea", "--kind", "grades", "--in", str(_grades(hub)))
    assert refused.exit_code == 2 and "a rotation of the content key is under way" in refused.output

    shown = " ".join(hub.ok("keys", "rotate-content").split())
    assert "Resuming the rotation from key" in shown and "retired" in shown, shown
    assert old_id not in _key_ids(hub) and len(_key_ids(hub)) == 1
    assert [e["kind"] for e in hub.ledger()].count("content_key_rotated") == 1
    assert opened(hub, "lea", IDS[0], "grades")[0]["mark"] == "B"
    hub.ok("ledger", "verify")
