"""Loading an education agency's files into the hub at scale: students, enrollments, attendance.

Issue 5's "done when": an intake of 1 million enrollment rows and 10 million attendance rows finishes
on this machine, with the time and peak memory. No speed target is set, so the figures are reported
and the verdict is whether every load finished and stored what it should.

The path measured is the one `accord intake load` runs (src/accord/cli/intake.py), without its
progress bar: `accord.intake.iter_batches` -> `accord.workflows.intake.load_batches` in one
`accord.store.db.session_scope` transaction per file, content sealed with a `ContentCipher`; for the
students file, the school's node first encodes it for an agreement (`encode_roster`, timed as "node
encode") and writes the hub's copy without names or address (`write_hub_copy`); the hub loads the
copy, takes the encodings of exactly the loaded records before the commit (`take_submitted`) and
merges them into its roster for the agreement after it (`add_to_roster`). Steps:

1. generate synthetic files (names from accord.synth's tables, no real person): N students
   (grade level and English-learner status as content), one enrollment per student, and D school
   days of attendance per student, written day by day as a district's export would be;
2. initialise the database (`upgrade_to_head`) and register one education agency;
3. encode the students at the node (a child process of its own: the node is not the hub); load
   students, enrollments and attendance, then the same students file again (a reload: every
   student's facts and status content replaced), each in a fresh child process ("spawn"), timed
   inside the child after its imports, with the child's peak resident memory (VmHWM) and its CPU
   seconds (what the phase costs one core, whatever else shares the machine);
4. count what the store holds against what was loaded, and measure the database's size;
5. the baseline: as many rows as the attendance file, shaped like the stored ones, inserted
   straight into the same database by its driver's own bulk path (sqlite3 executemany in one
   transaction; psycopg COPY), with nothing read, checked or sealed; and the floor under the
   students phase: the rows a students load writes (a students row, an agency record and two
   content rows per student) by the same bulk path, beside the hub's load alone.

Generating is timed apart and is in none of the figures. SQLite (a file in a temp dir, or in --keep
DIR) unless --database-url names another database, e.g. an empty PostgreSQL one. Nothing
identifying is printed: counts, seconds, MiB.

    .venv/bin/python benchmarks/intake.py                       # 1M students, 10 days: 10M events
    .venv/bin/python benchmarks/intake.py --students 100000 --days 5 --keep /tmp/intake-100k
    .venv/bin/python benchmarks/intake.py --students 20000 \\
        --database-url postgresql+psycopg://USER@/accord_bench?host=/tmp
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from sqlalchemy import func, select, text
from sqlalchemy.engine import make_url

from accord.config import load_settings
from accord.domain.agencies import Agency, AgencyKind
from accord.intake import StudentIdentity, iter_batches
from accord.linkage.encode.keys import generate_key
from accord.linkage.hub.roster_store import take_submitted
from accord.linkage.hub_copy import write_hub_copy
from accord.linkage.pipeline import encode_roster
from accord.store.crypto import KEY_BYTES, ContentCipher
from accord.store.db import make_engine, make_session_factory, session_scope
from accord.store.migrate import upgrade_to_head
from accord.store.models import AgencyRecordRow, RecordContentRow
from accord.store.repositories.agencies import save_agency
from accord.synth.rosters.names import (
    CITIES,
    FIRST_NAMES_FEMALE,
    FIRST_NAMES_MALE,
    MIDDLE_NAMES,
    STREET_NAMES,
    STREET_TYPES,
    SURNAMES,
    weighted,
)
from accord.workflows.hub_files import HubFiles
from accord.workflows.hub_rosters import add_to_roster
from accord.workflows.intake import load_batches
from phases import Phase, run_phase

AGENCY = "bench-lea"
AGREEMENT = "bench-dsa"  # the agreement the students are encoded for (ADR 0015)
SCHOOLS = 200
FIRST_DAY = date(2024, 9, 3)  # a Tuesday
AS_OF = date(2025, 6, 1)  # students are 5 to 18 years old on this day
CHUNK = 100_000  # students generated per write
STUDENT_ITEMS = 2  # content items per student row: grade_level, english_learner
GRADES = ("Kindergarten", "First grade", "Second grade", "Third grade", "Fourth grade", "Fifth grade",
          "Sixth grade", "Seventh grade", "Eighth grade", "Ninth grade", "Tenth grade", "Eleventh grade",
          "Twelfth grade")
EVENTS = (("In Attendance", 900), ("Excused Absence", 40), ("Unexcused Absence", 30), ("Tardy", 25),
          ("Early departure", 5))
TIMED_EVENTS = {"Tardy", "Early departure"}  # events that carry minutes


# --- synthetic files --------------------------------------------------------------------------------

def _record_id(n: int) -> str:
    return f"stu-{n:07d}"


def _school(n: int) -> str:
    return f"sch-{n % SCHOOLS:03d}"


def _student_lines(rng: random.Random, first: int, count: int) -> Iterator[str]:
    female, female_cum = weighted(FIRST_NAMES_FEMALE)
    male, male_cum = weighted(FIRST_NAMES_MALE)
    middles, middle_cum = weighted(MIDDLE_NAMES)
    surnames, surname_cum = weighted(SURNAMES)
    streets, street_cum = weighted(STREET_NAMES)
    kinds, kind_cum = weighted(STREET_TYPES)
    cities = rng.choices(CITIES, weights=[c[2] for c in CITIES], k=count)
    sexes = rng.choices("FM", k=count)
    given = {"F": iter(rng.choices(female, cum_weights=female_cum, k=count)),
             "M": iter(rng.choices(male, cum_weights=male_cum, k=count))}
    columns = zip(sexes, rng.choices(middles, cum_weights=middle_cum, k=count),
                  rng.choices(surnames, cum_weights=surname_cum, k=count),
                  rng.choices(streets, cum_weights=street_cum, k=count),
                  rng.choices(kinds, cum_weights=kind_cum, k=count), cities, strict=True)
    for n, (sex, middle, surname, street, kind, (city, zips, _)) in enumerate(columns, start=first):
        born = AS_OF - timedelta(days=rng.randrange(5 * 365, 18 * 365))
        age = (AS_OF - born).days // 365
        grade = GRADES[min(max(age - 5, 0), len(GRADES) - 1)]
        yield (f"{_record_id(n)},{next(given[sex])},{middle},{surname},{born.isoformat()},{sex},"
               f"{rng.randrange(1, 9999)} {street} {kind},{city},{rng.choice(zips)},{grade},"
               f"{'Y' if rng.random() < 0.1 else 'N'}\n")


def write_students(path: Path, students: int, seed: int) -> int:
    """N students: identity columns plus grade level and English-learner status."""
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write("record_id,first_name,middle_name,last_name,date_of_birth,sex,street_address,city,"
                  "postcode,grade_level,english_learner\n")
        for first in range(1, students + 1, CHUNK):
            out.writelines(_student_lines(rng, first, min(CHUNK, students + 1 - first)))
    return students


def write_enrollments(path: Path, students: int, seed: int) -> int:
    """One enrollment spell per student, entered at the start of the school year."""
    rng = random.Random(seed + 1)
    entry_days = [(FIRST_DAY - timedelta(days=k)).isoformat() for k in range(3)]
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write("record_id,school_id,entry_date,grade_level,exit_date,exit_reason\n")
        for first in range(1, students + 1, CHUNK):
            out.writelines(
                f"{_record_id(n)},{_school(n)},{entry_days[rng.randrange(3)]},{rng.choice(GRADES)},,\n"
                for n in range(first, min(first + CHUNK, students + 1)))
    return students


def school_days(days: int) -> list[str]:
    """The first `days` weekdays from FIRST_DAY, as ISO text."""
    out: list[str] = []
    day = FIRST_DAY
    while len(out) < days:
        if day.weekday() < 5:
            out.append(day.isoformat())
        day += timedelta(days=1)
    return out


def write_attendance(path: Path, students: int, days: int, seed: int) -> int:
    """One event per student per school day, day by day (as a district exports them)."""
    rng = random.Random(seed + 2)
    names = [e for e, _ in EVENTS]
    weights = [w for _, w in EVENTS]
    ids = [f"{_record_id(n)},{_school(n)}" for n in range(1, students + 1)]
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write("record_id,school_id,event_date,event,minutes\n")
        for day in school_days(days):
            for first in range(0, students, CHUNK):
                chunk = ids[first:first + CHUNK]
                events = rng.choices(names, weights=weights, k=len(chunk))
                out.writelines(
                    f"{who},{day},{event},{rng.randrange(5, 60) if event in TIMED_EVENTS else ''}\n"
                    for who, event in zip(chunk, events, strict=True))
    return students * days


def generate(folder: Path, students: int, days: int, seed: int) -> dict[str, int]:
    folder.mkdir(parents=True, exist_ok=True)
    return {"students": write_students(folder / "students.csv", students, seed),
            "enrollments": write_enrollments(folder / "enrollments.csv", students, seed),
            "attendance": write_attendance(folder / "attendance.csv", students, days, seed)}


# --- the store --------------------------------------------------------------------------------------

def fresh_sqlite(path: Path) -> Path:
    """`path`, with any database an earlier run left there (--keep) removed."""
    for suffix in ("", "-wal", "-shm"):
        path.with_name(path.name + suffix).unlink(missing_ok=True)
    return path


def setup_database(url: str) -> None:
    """Bring the database to the newest schema and register the benchmark's education agency."""
    engine = make_engine(url)
    try:
        upgrade_to_head(engine)
        with session_scope(make_session_factory(engine)) as session:
            save_agency(session, Agency(AGENCY, "Benchmark School District", AgencyKind.EDUCATION,
                                        frozenset()))
    finally:
        engine.dispose()


@dataclass
class Load:
    rows_read: int
    rows_loaded: int
    rejected: int
    seconds: dict[str, float]  # the load's parts, e.g. load + commit, encode, roster


def _progress(label: str, size: int) -> Callable[[int], None]:
    """A callback printing every tenth of the file read (the CLI shows a progress bar instead)."""
    marks = [size * k // 10 for k in range(1, 10)]
    start = time.perf_counter()

    def report(done: int) -> None:
        if marks and done >= marks[0]:
            while marks and done >= marks[0]:
                marks.pop(0)
            print(f"    [{label} {time.perf_counter() - start:7.1f} s] read {done / size:4.0%}", flush=True)

    return report


def encode_at_node(source: Path, linkage_key: bytes, scratch: Path) -> Path:
    """The school's node: its encodings of the students for the agreement, and the hub's copy of the
    file (no names, birth date or address). Run in a phase of its own: the node is not the hub."""
    encode_roster(source, scratch / "students-submitted.parquet", linkage_key, agreement=AGREEMENT)
    copy = scratch / "students-hub.csv"
    write_hub_copy(source, copy)
    return copy


def load_file(url: str, source: Path, kind: str, content_key: bytes, submitted: Path | None,
              scratch: Path) -> Load:
    """`accord intake load` for one file: validate and load it whole in one transaction; a students
    file (the node's hub copy) with the node's encodings, `submitted`."""
    engine = make_engine(url)
    hub = HubFiles(load_settings().hub_dir)  # ACCORD_DATA_DIR, set by main for the children too
    cipher = ContentCipher(content_key)
    ids: list[str] = []

    def collect(found: list[StudentIdentity]) -> None:
        ids.extend(p.record_id for p in found)

    encodings = scratch / f"{kind}-encodings.parquet"
    encodings.unlink(missing_ok=True)
    seconds: dict[str, float] = {}
    try:
        start = time.perf_counter()
        with session_scope(make_session_factory(engine)) as session:
            batches = iter_batches(source, kind, on_progress=_progress(kind, source.stat().st_size))
            report = load_batches(session, AGENCY, kind, source.name, batches, cipher, datetime.now(),
                                  identities=collect if submitted is not None else None)
            if not report.keep:  # as intake_file.load_file does: a refused file leaves nothing
                session.rollback()
            if report.accepted and submitted is not None and ids:
                # checked and taken before the commit, as `accord intake load --encoded` does
                take_submitted(submitted, ids, encodings, hub.roster_path(AGREEMENT, AGENCY))
            ids.clear()  # as intake_file.load_file does before the merge
            mark = time.perf_counter()
        seconds["commit"] = time.perf_counter() - mark
        seconds["load"] = time.perf_counter() - start
        if report.accepted and submitted is not None and encodings.exists():
            mark = time.perf_counter()
            add_to_roster(hub, AGREEMENT, AGENCY, encodings)
            seconds["roster"] = time.perf_counter() - mark
    finally:
        engine.dispose()
    return Load(report.rows_read, report.rows_loaded, report.rows_rejected, seconds)


def stored_counts(url: str) -> tuple[int, int]:
    """(agency records, content rows) the store holds for the benchmark's agency."""
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            records = conn.scalar(select(func.count()).select_from(AgencyRecordRow)
                                  .where(AgencyRecordRow.agency_id == AGENCY))
            content = conn.scalar(select(func.count()).select_from(RecordContentRow)
                                  .where(RecordContentRow.agency_id == AGENCY))
        return int(records or 0), int(content or 0)
    finally:
        engine.dispose()


def database_mib(url: str) -> float:
    """The database's size on disk: the SQLite file with its WAL, or PostgreSQL's database size."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        base = Path(parsed.database or "")
        files = [base, base.with_name(base.name + "-wal"), base.with_name(base.name + "-shm")]
        return sum(f.stat().st_size for f in files if f.exists()) / 2**20
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return int(conn.scalar(text("SELECT pg_database_size(current_database())")) or 0) / 2**20
    finally:
        engine.dispose()


# --- the baseline: the same number of rows, straight into the database -----------------------------

BARE_TABLE = """CREATE TABLE bench_bare (id {key}, agency_id VARCHAR(64), record_id VARCHAR(64),
    element VARCHAR(64), occurred_on DATE, key_id VARCHAR(16), sealed {blob}, batch_id INTEGER,
    natural_key {blob}, value_digest {blob})"""
BARE_INDEX = "CREATE INDEX bench_bare_ix ON bench_bare (agency_id, record_id, element, natural_key)"
BARE_COLUMNS = ("agency_id, record_id, element, occurred_on, key_id, sealed, batch_id, natural_key, "
                "value_digest")


def bare_insert(url: str, rows: int, students: int) -> float:
    """What the database alone does with `rows` rows shaped like the stored attendance (ids, a
    date, a 60-byte blob, two digests; the same index), inserted the way its own docs suggest
    for bulk loads: sqlite3's executemany in one transaction, psycopg's COPY. No reading, no
    checking, no sealing. Returns the seconds."""
    days = [date(2026, 9, 1) + timedelta(days=d) for d in range(max(1, rows // max(students, 1)) + 1)]
    made = [(AGENCY, _record_id(n % students), "attendance", days[n // students], "0123456789abcdef",
             os.urandom(60), 1, os.urandom(16), os.urandom(8)) for n in range(rows)]
    parsed = make_url(url)
    start = time.perf_counter()
    if parsed.get_backend_name() == "sqlite":
        import sqlite3
        conn = sqlite3.connect(parsed.database or "")
        conn.execute(BARE_TABLE.format(key="INTEGER PRIMARY KEY", blob="BLOB"))
        conn.execute(BARE_INDEX)
        with conn:
            conn.executemany(f"INSERT INTO bench_bare ({BARE_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                             [(*r[:3], r[3].isoformat(), *r[4:]) for r in made])
        conn.close()
    else:
        import psycopg
        plain = parsed.set(drivername="postgresql").render_as_string(hide_password=False)
        with psycopg.connect(plain) as conn:
            conn.execute(BARE_TABLE.format(key="BIGSERIAL PRIMARY KEY", blob="BYTEA"))
            conn.execute(BARE_INDEX)
            with conn.cursor() as cursor, cursor.copy(f"COPY bench_bare ({BARE_COLUMNS}) FROM STDIN") as copy:
                for r in made:
                    copy.write_row(r)
    return time.perf_counter() - start


BARE_STUDENTS = ("""CREATE TABLE bench_students (id VARCHAR(64) PRIMARY KEY, school_agency_id VARCHAR(64),
    turns_18_in DATE, postsecondary_enrolled_on DATE, directory_opt_out BOOLEAN, meal_disclosure_opt_out
    BOOLEAN, foster_care_agency_id VARCHAR(64))""",
                 "CREATE INDEX bench_students_ix ON bench_students (school_agency_id)",
                 """CREATE TABLE bench_records (agency_id VARCHAR(64), record_id VARCHAR(64), student_id
    VARCHAR(64), batch_id INTEGER, loaded_at TIMESTAMP, PRIMARY KEY (agency_id, record_id))""",
                 "CREATE INDEX bench_records_ix ON bench_records (student_id)")


def bare_students(url: str, students: int) -> tuple[float, float]:
    """What the database alone does with the rows a students load writes: per student one row of
    students, one of agency records and STUDENT_ITEMS of content (shaped as bare_insert's), by the
    driver's own bulk path, with the same keys and indexes. The floor under the students phase: no
    reading, checking, digesting or sealing. Returns the seconds and the CPU seconds (this
    process's: on PostgreSQL the server's work is not in them, nor in Accord's)."""
    now, month = datetime(2026, 9, 1), date(2031, 4, 1)
    people = [(_record_id(n), AGENCY, month, None, False, False, None) for n in range(students)]
    records = [(AGENCY, p[0], p[0], 1, now) for p in people]
    content = [(AGENCY, p[0], element, None, "0123456789abcdef", os.urandom(40), 1, os.urandom(16),
                os.urandom(8)) for p in people for element in ("grade_level", "english_learner")]
    parsed = make_url(url)
    start, cpu = time.perf_counter(), time.process_time()
    if parsed.get_backend_name() == "sqlite":
        import sqlite3
        conn = sqlite3.connect(parsed.database or "")
        content_table = BARE_TABLE.format(key="INTEGER PRIMARY KEY", blob="BLOB")
        for statement in (*BARE_STUDENTS, content_table, BARE_INDEX):
            conn.execute(statement.replace("bench_bare", "bench_bare_s"))
        with conn:
            conn.executemany("INSERT INTO bench_students VALUES (?, ?, ?, ?, ?, ?, ?)",
                             [(*p[:2], p[2].isoformat(), *p[3:]) for p in people])
            conn.executemany("INSERT INTO bench_records VALUES (?, ?, ?, ?, ?)",
                             [(*r[:4], r[4].isoformat(" ")) for r in records])
            conn.executemany(f"INSERT INTO bench_bare_s ({BARE_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                             content)
        conn.close()
    else:
        import psycopg
        plain = parsed.set(drivername="postgresql").render_as_string(hide_password=False)
        with psycopg.connect(plain) as conn:
            for statement in (*BARE_STUDENTS, BARE_TABLE.format(key="BIGSERIAL PRIMARY KEY", blob="BYTEA"),
                              BARE_INDEX):
                conn.execute(statement.replace("bench_bare", "bench_bare_s"))
            with conn.cursor() as cursor:
                for table, rows in (("bench_students", people), ("bench_records", records),
                                    (f"bench_bare_s ({BARE_COLUMNS})", content)):
                    with cursor.copy(f"COPY {table} FROM STDIN") as copy:
                        for row in rows:
                            copy.write_row(row)
    return time.perf_counter() - start, time.process_time() - cpu


# --- the run ----------------------------------------------------------------------------------------

KINDS = ("students", "enrollments", "attendance")
RELOAD = "students reload"  # the same students file again: every student's facts replaced


def _show(name: str, phase: Phase) -> None:
    load: Load = phase.result
    parts = ", ".join(f"{part} {s:.1f} s" for part, s in load.seconds.items())
    print(f"  {name}: {load.rows_loaded:,} of {load.rows_read:,} rows loaded ({load.rejected:,} rejected) in "
          f"{phase.seconds:.1f} s ({parts}; {phase.cpu_seconds:.1f} s of CPU), "
          f"peak {phase.peak_mib:,.0f} MiB",
          flush=True)


def load_all(url: str, files: Path, scratch: Path) -> dict[str, Phase]:
    content_key, linkage_key = os.urandom(KEY_BYTES), generate_key()  # fresh keys, never printed
    node = run_phase("node encode", encode_at_node, files / "students.csv", linkage_key, scratch)
    print(f"  node encode (the school's node, apart): {node.seconds:.1f} s, peak {node.peak_mib:,.0f} MiB",
          flush=True)
    hub_copy, submitted = node.result, scratch / "students-submitted.parquet"
    phases: dict[str, Phase] = {}
    for kind in KINDS:
        print(f"  loading {kind}:", flush=True)
        students = kind == "students"
        phases[kind] = run_phase(kind, load_file, url, hub_copy if students else files / f"{kind}.csv", kind,
                                 content_key, submitted if students else None, scratch)
        _show(kind, phases[kind])
    print(f"  loading {RELOAD}:", flush=True)
    phases[RELOAD] = run_phase(RELOAD, load_file, url, hub_copy, "students", content_key, submitted, scratch)
    _show(RELOAD, phases[RELOAD])
    return phases


def report(phases: dict[str, Phase], expected: dict[str, int], stored: tuple[int, int], size_mib: float,
           students: int) -> bool:
    """Print the summary table and the verdict; True when every load finished and stored it all."""
    print(f"\n  {'phase':<16} {'rows':>12} {'seconds':>9} {'rows/s':>10} {'CPU s':>7} {'rows/CPU s':>11} "
          f"{'peak MiB':>10}")
    total_rows, total_seconds = 0, 0.0
    for kind, phase in phases.items():
        rows = phase.result.rows_loaded
        if kind != RELOAD:
            total_rows, total_seconds = total_rows + rows, total_seconds + phase.seconds
        print(f"  {kind:<16} {rows:12,} {phase.seconds:9.1f} {rows / phase.seconds:10,.0f} "
              f"{phase.cpu_seconds:7.1f} {rows / max(phase.cpu_seconds, 1e-9):11,.0f} "
              f"{phase.peak_mib:10,.0f}")
    peak = max(p.peak_mib for p in phases.values())
    print(f"  {'total (first loads)':<16} {total_rows:12,} {total_seconds:9.1f} "
          f"{total_rows / total_seconds:10,.0f} {'':>7} {'':>11} {peak:10,.0f}")
    records, content = stored
    want_content = expected["students"] * STUDENT_ITEMS + expected["enrollments"] + expected["attendance"]
    print(f"\n  store: {records:,} agency records (expected {students:,}), {content:,} content rows "
          f"(expected {want_content:,}); database {size_mib:,.0f} MiB on disk "
          f"({size_mib * 2**20 / max(content, 1):,.0f} bytes per content row)")
    loaded = all(p.result.rows_loaded == expected.get(k, students) and p.result.rejected == 0
                 for k, p in phases.items())
    ok = loaded and records == students and content == want_content
    print(f"\n  intake of {expected['enrollments']:,} enrollment and {expected['attendance']:,} attendance "
          f"rows finishes, all stored: {'PASS' if ok else 'MISS'} ({total_seconds / 60:.1f} min, "
          f"peak {peak:,.0f} MiB)")
    return ok


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--students", type=int, default=1_000_000, help="students (= enrollment rows)")
    parser.add_argument("--days", type=int, default=10, help="school days of attendance per student")
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--keep", type=Path,
                        help="work in this directory and keep its files (else a temp dir)")
    parser.add_argument("--database-url", help="load into this (empty) database instead of a SQLite file")
    args = parser.parse_args()
    print(f"Python {platform.python_version()} on {platform.machine()}, {os.cpu_count()} cores; "
          f"{args.students:,} students, {args.days} days of attendance")
    with tempfile.TemporaryDirectory(prefix="accord-intake-bench-") as temp:
        work = args.keep or Path(temp)
        work.mkdir(parents=True, exist_ok=True)
        os.environ["ACCORD_DATA_DIR"] = str(work / "data")  # the hub's roster files; children inherit it
        url = args.database_url or f"sqlite:///{fresh_sqlite(work / 'accord.db')}"
        shutil.rmtree(work / "data", ignore_errors=True)  # a kept dir's roster from an earlier run
        backend = make_url(url).get_backend_name()
        print(f"  database: {backend}; work dir: {'kept' if args.keep else 'temporary'}")
        gen = run_phase("generate", generate, work / "files", args.students, args.days, args.seed)
        sizes = ", ".join(f"{k} {(work / 'files' / f'{k}.csv').stat().st_size / 2**20:,.0f} MiB"
                          for k in KINDS)
        print(f"  generated {', '.join(f'{v:,} {k}' for k, v in gen.result.items())} rows in "
              f"{gen.seconds:.1f} s ({sizes})", flush=True)
        setup_database(url)
        phases = load_all(url, work / "files", work)
        stored, size = stored_counts(url), database_mib(url)
        ok = report(phases, gen.result, stored, size, args.students)
        rows = gen.result["attendance"]
        bare = run_phase("bare", bare_insert, url, rows, args.students)
        ours = phases["attendance"]
        print(f"\n  baseline: the same {rows:,} rows straight into {backend} ("
              f"{'executemany' if backend == 'sqlite' else 'COPY'}, no reading, checking or sealing): "
              f"{rows / bare.result:,.0f} rows/s, peak {bare.peak_mib:,.0f} MiB; Accord's attendance load "
              f"runs at {ours.result.rows_loaded / ours.seconds / (rows / bare.result):.2f}x of it")
        floor = run_phase("bare students", bare_students, url, args.students)
        bare_rate, bare_cpu = (args.students / s for s in floor.result)
        print(f"  students: the rows a load writes ({2 + STUDENT_ITEMS} per student) straight into "
              f"{backend}: "
              f"{bare_rate:,.0f} students/s ({bare_cpu:,.0f} per CPU second), peak {floor.peak_mib:,.0f} MiB")
        for name in ("students", RELOAD):
            phase, load = phases[name], phases[name].result
            rate, per_cpu = load.rows_loaded / load.seconds["load"], load.rows_loaded / phase.cpu_seconds
            print(f"  {name}: the hub's load (node encode apart) {rate:,.0f} rows/s, "
                  f"{rate / bare_rate:.2f}x of the bare insert; with its roster merge "
                  f"{load.rows_loaded / phase.seconds:,.0f} rows/s, "
                  f"{per_cpu:,.0f} per CPU second ({per_cpu / bare_cpu:.2f}x of the bare insert's), "
                  f"peak {phase.peak_mib:,.0f} MiB")
    raise SystemExit(0 if ok else 1)


if __name__ == "__main__":
    main()
