"""Study files held open between uses (accord.store.study_files): warm within a process, closed when
idle so that another process can take them, refused after a wait, reopened when replaced."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from accord.errors import StoreBusy
from accord.store import study_files
from accord.store.study_files import close_all, close_held, held_files, opened

OTHER_PROCESS = """
import sys, time, duckdb
con = duckdb.connect(sys.argv[1])
if len(sys.argv) > 3:
    con.execute("CREATE OR REPLACE TABLE t AS SELECT 2 AS v")
print("open", flush=True)
time.sleep(float(sys.argv[2]))
"""


@pytest.fixture(autouse=True)
def nothing_held() -> Iterator[None]:
    close_all()
    yield
    close_all()


def _study(path: Path, value: int = 1) -> Path:
    with opened(path, create=True) as con:
        con.execute(f"CREATE OR REPLACE TABLE t AS SELECT {value} AS v")
    return path


def _can_open_elsewhere(path: Path) -> bool:
    """Whether another process can open the file now."""
    done = subprocess.run([sys.executable, "-c", OTHER_PROCESS, str(path), "0"], capture_output=True,
                          text=True, timeout=60)
    return done.returncode == 0


def test_a_file_stays_open_between_uses_and_another_process_waits(tmp_path: Path) -> None:
    path = _study(tmp_path / "study.duckdb")
    assert held_files() == [str(path.absolute())]
    with opened(path) as con:
        assert con.execute("SELECT v FROM t").fetchone() == (1,)
    assert not _can_open_elsewhere(path)  # held: the lock is this process's
    close_all()
    assert held_files() == []
    assert _can_open_elsewhere(path)


def test_an_idle_file_is_closed_so_that_another_process_can_take_it(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(study_files, "KEPT_OPEN", 0.2)
    path = _study(tmp_path / "study.duckdb")
    deadline = time.monotonic() + 10
    while held_files() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert held_files() == []
    assert _can_open_elsewhere(path)


def test_a_file_another_process_holds_is_waited_for_then_refused(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    path = _study(tmp_path / "study.duckdb")
    close_all()
    other = subprocess.Popen([sys.executable, "-c", OTHER_PROCESS, str(path), "30"], stdout=subprocess.PIPE,
                             text=True)
    try:
        assert other.stdout is not None and other.stdout.readline().strip() == "open"
        monkeypatch.setattr(study_files, "WAIT", 0.3)
        with pytest.raises(StoreBusy, match=r"held the study file study.duckdb .* nothing was read") as err:
            with opened(path):
                pass
        assert "\n" not in str(err.value)
    finally:
        other.kill()
        other.wait()
    monkeypatch.setattr(study_files, "WAIT", 30.0)
    with opened(path) as con:  # the other process gone, the file opens
        assert con.execute("SELECT v FROM t").fetchone() == (1,)


def test_a_file_replaced_on_disk_is_opened_again_not_read_from_the_old_buffers(tmp_path: Path) -> None:
    path = _study(tmp_path / "study.duckdb", value=1)
    close_held(path)
    fresh = tmp_path / "other.duckdb"
    subprocess.run([sys.executable, "-c", OTHER_PROCESS, str(fresh), "0", "write"], check=True, timeout=60,
                   capture_output=True)
    with opened(path) as con:
        assert con.execute("SELECT v FROM t").fetchone() == (1,)
    fresh.replace(path)  # the study rebuilt elsewhere while this process held the old file
    with opened(path) as con:
        assert con.execute("SELECT v FROM t").fetchone() == (2,)


def test_a_missing_file_is_refused_for_reading_and_not_created(tmp_path: Path) -> None:
    path = tmp_path / "never-built.duckdb"
    with pytest.raises(duckdb.IOException), opened(path):
        pass
    assert not path.exists()
    assert held_files() == []


def test_closing_a_folder_closes_its_files_and_a_file_in_use_when_its_use_ends(tmp_path: Path) -> None:
    (tmp_path / "s1").mkdir()
    inside = _study(tmp_path / "s1" / "study.duckdb")
    outside = _study(tmp_path / "elsewhere.duckdb")
    with opened(inside) as con:
        close_held(tmp_path / "s1")
        assert con.execute("SELECT v FROM t").fetchone() == (1,)  # still usable until the use ends
        assert str(inside.absolute()) in held_files()
    assert held_files() == [str(outside.absolute())]


def test_threads_read_one_held_file_side_by_side(tmp_path: Path) -> None:
    path = tmp_path / "study.duckdb"
    with opened(path, create=True) as con:
        con.execute("CREATE TABLE t AS SELECT range AS v FROM range(100000)")
    got: list[int] = []
    failed: list[BaseException] = []

    def read() -> None:
        try:
            for _ in range(20):
                with opened(path) as con:
                    found = con.execute("SELECT sum(v) FROM t").fetchone()
                    assert found is not None
                    got.append(int(found[0]))
        except BaseException as err:  # reported below, in the test's thread
            failed.append(err)

    threads = [threading.Thread(target=read) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not failed
    assert got == [sum(range(100000))] * 160
    assert held_files() == [str(path.absolute())]
