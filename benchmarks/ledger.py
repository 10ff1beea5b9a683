"""Ledger costs: appends/s (against a plain INSERT), verify time for a large ledger, proofs.

1. Appends, one writer, one transaction per append, durability on: a SQLite file (WAL,
   synchronous=FULL, exactly as accord.store.db configures it) and, when a URL is given,
   PostgreSQL (its fsync / synchronous_commit settings are printed). The baseline runs in
   the same process, on the same engine: the same row, pre-built, inserted by a plain Core
   INSERT into a table of the same shape (same columns, keys and indexes) with no tail read,
   no lock and no hashing. A second reference, the same INSERT through the ORM (add+flush),
   splits the ledger's cost into ORM overhead and chain/lock cost. Chunks are interleaved
   so drift (page cache, WAL checkpoints, CPU boost) falls on all measures alike.
2. Verify: a chain of N entries is sealed in Python (accord.ledger.entries.seal) and
   bulk-inserted into a SQLite file; one checkpoint is signed over a root computed here
   independently (plain hashlib, RFC 9162), then verify_rows(stored_rows, checkpoints) is
   timed end to end, reading from the database, against the 60 s target for 1,000,000.
3. Proofs on the tree verify built: inclusion proofs for 1,000 random entries and
   consistency proofs for 1,000 random (prior, later) pairs: sizes and times.

    .venv/bin/python benchmarks/ledger.py                    # 1,000,000 entries
    .venv/bin/python benchmarks/ledger.py --quick            # 50,000 entries, fewer appends
    ACCORD_TEST_POSTGRES_URL=postgresql+psycopg://... .venv/bin/python benchmarks/ledger.py
    .venv/bin/python benchmarks/ledger.py --postgres postgresql+psycopg://u:p@host:port/db
"""

from __future__ import annotations

import argparse
import hashlib
import os
import platform
import random
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import (
    BigInteger,
    Column,
    DateTime,
    Engine,
    Index,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    create_engine,
    insert,
    make_url,
    text,
)
from sqlalchemy.orm import DeclarativeBase

from accord.ledger.checkpoints import make_checkpoint
from accord.ledger.entries import GENESIS, Draft, EntryKind, canonical_json, seal
from accord.ledger.merkle import consistency_holds, inclusion_holds
from accord.ledger.verify import Report, verify_rows
from accord.store.db import make_engine, make_session_factory, session_scope
from accord.store.migrate import upgrade_to_head
from accord.store.models import LedgerEntryRow
from accord.store.repositories import ledger as ledger_repo

APPEND_TARGET = 2_000  # appends/s on SQLite, durability on
VERIFY_TARGET_S = 60.0  # for 1,000,000 entries
PROOF_TARGET_MS = 1.0  # an inclusion proof
T0 = datetime(2026, 11, 29, 5, 0, 0)


# --- the baseline table: the ledger's shape, without its chain, lock or triggers ----------

class _PlainBase(DeclarativeBase):
    metadata = MetaData()


class PlainRow(_PlainBase):
    """Same columns, keys and indexes as ledger_entries (for the ORM reference)."""

    __table__ = Table(
        "bench_plain_entries", _PlainBase.metadata,
        Column("seq", BigInteger, primary_key=True, autoincrement=False),
        Column("recorded_at", DateTime, nullable=False),
        Column("kind", String(64), nullable=False),
        Column("student_id", String(64)),
        Column("entry_json", Text, nullable=False),
        Column("entry_hash", String(64), nullable=False),
        Column("prev_hash", String(64), nullable=False),
        UniqueConstraint("entry_hash", name="uq_bench_plain_entry_hash"),
        UniqueConstraint("prev_hash", name="uq_bench_plain_prev_hash"),
        Index("ix_bench_plain_kind", "kind"),
        Index("ix_bench_plain_student_id", "student_id"),
    )


PLAIN = PlainRow.__table__


def draft(n: int, writer: int = 0) -> Draft:
    return Draft(EntryKind.DISCLOSURE_DECISION, {"n": n, "writer": writer}, student_id=f"stu-{n:06d}")


def rows_for(first_seq: int, count: int, prev: str = GENESIS,
             at: datetime = T0) -> tuple[list[dict[str, Any]], str]:
    """`count` chained rows from `first_seq`, ready for an INSERT; and the last hash."""
    rows = []
    for seq in range(first_seq, first_seq + count):
        recorded = at + timedelta(microseconds=seq)
        e = seal(draft(seq), seq, prev, recorded)
        rows.append({"seq": seq, "recorded_at": recorded, "kind": e.kind.value,
                     "student_id": e.student_id, "entry_json": e.entry_json,
                     "entry_hash": e.entry_hash, "prev_hash": prev})
        prev = e.entry_hash
    return rows, prev


# --- small helpers -------------------------------------------------------------------------

def pct(values: Sequence[float], q: float) -> float:
    """The q-th percentile (nearest rank) of `values`."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered) + 0.5) - 1))]


def verdict(ok: bool) -> str:
    return "MET" if ok else "MISSED"


class TextTable:
    """A plain text table, printed when the section ends."""

    def __init__(self, title: str, header: Sequence[str]) -> None:
        self.title, self.header = title, list(header)
        self.rows: list[list[str]] = []

    def add(self, *cells: object) -> None:
        self.rows.append([c if isinstance(c, str) else f"{c}" for c in cells])

    def print(self) -> None:
        widths = [max(len(r[i]) for r in [self.header, *self.rows]) for i in range(len(self.header))]
        line = "  ".join("-" * w for w in widths)
        print(f"\n{self.title}")
        print("  ".join(h.ljust(w) for h, w in zip(self.header, widths, strict=True)))
        print(line)
        for r in self.rows:
            print("  ".join((c.ljust(w) if i == 0 else c.rjust(w))
                            for i, (c, w) in enumerate(zip(r, widths, strict=True))))


# --- 1. appends ----------------------------------------------------------------------------

def durability(engine: Engine) -> str:
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            sync = conn.exec_driver_sql("PRAGMA synchronous").scalar()
            journal = conn.exec_driver_sql("PRAGMA journal_mode").scalar()
            names = {0: "OFF", 1: "NORMAL", 2: "FULL", 3: "EXTRA"}
            return f"journal_mode={journal}, synchronous={names.get(int(sync or 0), sync)}"
        show = {k: conn.exec_driver_sql(f"SHOW {k}").scalar()
                for k in ("server_version", "fsync", "synchronous_commit", "wal_sync_method")}
        return ", ".join(f"{k}={v}" for k, v in show.items())


def time_appends(engine: Engine, count: int, rounds: int = 10, warm: int = 20) -> dict[str, float]:
    """Seconds per measure for `count` single-transaction writes each, interleaved by chunk."""
    _PlainBase.metadata.create_all(engine)
    factory = make_session_factory(engine)
    per = count + warm
    plain_rows, _ = rows_for(1, 3 * per, at=datetime.now(UTC).replace(tzinfo=None))
    core_rows, orm_rows, raw_rows = plain_rows[:per], plain_rows[per:2 * per], plain_rows[2 * per:]
    next_n = 0

    def ledger(lo: int, hi: int) -> None:
        nonlocal next_n
        for _ in range(lo, hi):
            next_n += 1
            with session_scope(factory) as s:
                ledger_repo.append(s, draft(next_n))

    def core(lo: int, hi: int) -> None:
        stmt = insert(PLAIN)
        for row in core_rows[lo:hi]:
            with session_scope(factory) as s:
                s.execute(stmt, row)

    def orm(lo: int, hi: int) -> None:
        for row in orm_rows[lo:hi]:
            with session_scope(factory) as s:
                s.add(PlainRow(**row))
                s.flush()

    def raw(lo: int, hi: int) -> None:
        """The floor on SQLite: the driver alone, same connection settings (pragmas)."""
        conn = engine.raw_connection()
        try:
            cur = conn.cursor()
            sql = (f"INSERT INTO {PLAIN.name} ({', '.join(PLAIN.c.keys())}) "
                   f"VALUES ({', '.join('?' * len(PLAIN.c))})")
            for row in raw_rows[lo:hi]:
                cur.execute("BEGIN IMMEDIATE")
                cur.execute(sql, [row[k] if k != "recorded_at" else row[k].isoformat(" ")
                                  for k in PLAIN.c.keys()])
                cur.execute("COMMIT")
            cur.close()
        finally:
            conn.close()

    measures: list[tuple[str, Callable[[int, int], None]]] = [
        ("ledger", ledger), ("core", core), ("orm", orm)]
    if engine.dialect.name == "sqlite":
        measures.append(("raw", raw))
    for _, fn in measures:  # warm-up, not timed: statement caches, pool, first pages
        fn(0, warm)
    spent = dict.fromkeys((name for name, _ in measures), 0.0)
    chunk = max(1, count // rounds)
    for i, lo in enumerate(range(warm, warm + count, chunk)):
        hi = min(warm + count, lo + chunk)
        for name, fn in measures if i % 2 == 0 else measures[::-1]:
            t = time.perf_counter()
            fn(lo, hi)
            spent[name] += time.perf_counter() - t
    with session_scope(factory) as s:
        report = verify_rows(ledger_repo.stored_rows(s))
        assert report.ok and report.entries == count + warm, report.problems[:3]
    return spent


def append_table(label: str, engine: Engine, count: int) -> tuple[TextTable, float]:
    spent = time_appends(engine, count)
    rate = {k: count / v for k, v in spent.items()}
    table = TextTable(f"Appends on {label}: {count:,} per measure, one writer, one transaction each "
                   f"[{durability(engine)}]",
                   ["measure", "appends/s", "ms/append", "vs plain INSERT", "target"])
    table.add("plain INSERT, Core (baseline)", f"{rate['core']:,.0f}", f"{1000 / rate['core']:.3f}",
              "1.00x", "")
    table.add("plain INSERT, ORM add+flush", f"{rate['orm']:,.0f}", f"{1000 / rate['orm']:.3f}",
              f"{rate['orm'] / rate['core']:.2f}x", "")
    target = ""
    if "raw" in rate:
        table.add("reference: raw sqlite3 INSERT+COMMIT", f"{rate['raw']:,.0f}", f"{1000 / rate['raw']:.3f}",
                  f"{rate['raw'] / rate['core']:.2f}x", "")
    if engine.dialect.name == "sqlite":
        target = f">= {APPEND_TARGET:,}/s {verdict(rate['ledger'] >= APPEND_TARGET)}"
    table.add("ledger append (lock+tail+seal+Core)", f"{rate['ledger']:,.0f}",
              f"{1000 / rate['ledger']:.3f}", f"{rate['ledger'] / rate['core']:.2f}x", target)
    return table, rate["ledger"]


@contextmanager
def postgres_schema(base_url: str) -> Iterator[Engine]:
    """A scratch schema on the given server, dropped afterwards."""
    url = make_url(base_url)
    schema = f"bench_{uuid.uuid4().hex[:12]}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    engine = make_engine(url.update_query_dict({"options": f"-csearch_path={schema}"})
                         .render_as_string(hide_password=False))
    try:
        upgrade_to_head(engine)
        yield engine
    finally:
        engine.dispose()
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        admin.dispose()


# --- 2. verify -----------------------------------------------------------------------------

def rfc9162_root(entry_hashes: Sequence[str]) -> str:
    """MTH over the leaves H(0x00 || entry hash), independent of pymerkle: pairs level by level,
    an unpaired last node moves up unchanged (the same tree as RFC 9162's largest-power split)."""
    level = [hashlib.sha256(b"\x00" + bytes.fromhex(h)).digest() for h in entry_hashes]
    while len(level) > 1:
        nxt = [hashlib.sha256(b"\x01" + level[i] + level[i + 1]).digest()
               for i in range(0, len(level) - 1, 2)]
        if len(level) % 2:
            nxt.append(level[-1])
        level = nxt
    return level[0].hex()


def build_ledger(path: Path, entries: int, batch: int = 50_000) -> tuple[Engine, list[str], float]:
    """A SQLite ledger of `entries` sealed entries; its entry hashes; seconds taken."""
    engine = make_engine(f"sqlite:///{path}")
    upgrade_to_head(engine)
    hashes: list[str] = []
    prev = GENESIS
    stmt = insert(LedgerEntryRow.__table__)
    t = time.perf_counter()
    for first in range(1, entries + 1, batch):
        rows, prev = rows_for(first, min(batch, entries + 1 - first), prev)
        hashes.extend(r["entry_hash"] for r in rows)
        with engine.begin() as conn:
            conn.execute(stmt, rows)
        if sys.stdout.isatty():
            print(f"  built {first + len(rows) - 1:>9,} / {entries:,} entries "
                  f"({time.perf_counter() - t:5.1f} s)", end="\r", flush=True)
    if sys.stdout.isatty():
        print()
    return engine, hashes, time.perf_counter() - t


def verify_section(workdir: Path, entries: int) -> tuple[TextTable, Report, float]:
    print(f"building a ledger of {entries:,} entries in {workdir} ...")
    engine, hashes, build_s = build_ledger(workdir / "ledger.db", entries)
    cp_size = max(1, entries - entries // 100)  # 1% behind the head: root(size) + consistency
    key = Ed25519PrivateKey.generate()
    cp = make_checkpoint(key, cp_size, rfc9162_root(hashes[:cp_size]), datetime.now(UTC))
    factory = make_session_factory(engine)
    with session_scope(factory) as s:
        ledger_repo.save_checkpoint(s, cp)
    del hashes
    engine.dispose()
    db_mb = (workdir / "ledger.db").stat().st_size / 1e6

    engine = make_engine(f"sqlite:///{workdir / 'ledger.db'}")  # a fresh engine, as `accord` would
    factory = make_session_factory(engine)
    with session_scope(factory) as s:
        t = time.perf_counter()
        held = [("ledger", c) for c in ledger_repo.checkpoints(s)]
        report = verify_rows(ledger_repo.stored_rows(s), held)
        verify_s = time.perf_counter() - t
        t = time.perf_counter()
        read = sum(1 for _ in ledger_repo.stored_rows(s))
        read_s = time.perf_counter() - t
    engine.dispose()
    assert read == entries
    if not report.ok or report.entries != entries or report.checkpoints_checked != 1:
        raise SystemExit(f"verify FAILED: {report.entries} entries, problems {report.problems[:3]}")

    scaled = verify_s * 1_000_000 / entries
    table = TextTable(f"Verify: {entries:,} entries in a SQLite file ({db_mb:,.0f} MB), one signed "
                   f"checkpoint at #{cp_size:,}", ["measure", "value", "target"])
    table.add("build (seal + bulk INSERT, untimed for target)", f"{build_s:.1f} s", "")
    table.add("verify_rows(stored_rows, checkpoints) total", f"{verify_s:.2f} s",
              f"< {VERIFY_TARGET_S:.0f} s for 1M "
              + verdict(scaled < VERIFY_TARGET_S) + ("" if entries == 1_000_000
                                                     else f" (scaled to 1M: {scaled:.1f} s)"))
    table.add("verify rate", f"{entries / verify_s:,.0f} entries/s", "")
    table.add("  of which: streaming the rows alone", f"{read_s:.2f} s", "")
    table.add("result", f"ok, {report.entries:,} entries, {report.checkpoints_checked} checkpoint", "")
    table.add("root", report.root[:16] + "...", "")
    return table, report, verify_s


# --- 3. proofs -----------------------------------------------------------------------------

def proofs_section(report: Report, samples: int, rng: random.Random) -> tuple[TextTable, float]:
    tree, n = report.tree, report.entries
    root = tree.root()
    inc_ms, inc_check_ms, inc_hashes, inc_bytes = [], [], [], []
    for seq in rng.sample(range(1, n + 1), min(samples, n)):
        t = time.perf_counter()
        proof = tree.prove_inclusion(seq)
        inc_ms.append((time.perf_counter() - t) * 1000)
        leaf = tree.leaf(seq)
        t = time.perf_counter()
        ok = inclusion_holds(leaf, root, proof)
        inc_check_ms.append((time.perf_counter() - t) * 1000)
        assert ok, seq
        inc_hashes.append(len(proof["path"]))
        inc_bytes.append(len(canonical_json(proof).encode()))

    con_ms, con_check_ms, con_hashes, con_bytes = [], [], [], []
    for _ in range(samples):
        later = rng.randint(2, n) if n > 1 else 1
        prior = rng.randint(1, later)
        t = time.perf_counter()
        proof = tree.prove_consistency(prior, later)
        con_ms.append((time.perf_counter() - t) * 1000)
        r1, r2 = tree.root(prior), tree.root(later)
        t = time.perf_counter()
        ok = consistency_holds(r1, r2, proof)
        con_check_ms.append((time.perf_counter() - t) * 1000)
        assert ok, (prior, later)
        con_hashes.append(len(proof["path"]))
        con_bytes.append(len(canonical_json(proof).encode()))

    def stats(v: Sequence[float]) -> tuple[str, str, str]:
        return f"{statistics.median(v):.3f}", f"{pct(v, 99):.3f}", f"{max(v):.3f}"

    def size(v: Sequence[int]) -> str:
        return f"{min(v)}-{max(v)} (median {statistics.median(v):g})"

    p99 = pct(inc_ms, 99)
    table = TextTable(f"Proofs on the verified tree of {n:,} entries ({samples:,} random samples each; "
                      "times in ms)", ["measure", "median", "p99", "max", "hashes (path incl. leaf)",
                                       "JSON bytes", "target"])
    table.add("inclusion proof: make", *stats(inc_ms), size(inc_hashes), size(inc_bytes),
              f"< {PROOF_TARGET_MS:g} ms {verdict(p99 < PROOF_TARGET_MS)}")
    table.add("inclusion proof: check", *stats(inc_check_ms), "", "", "")
    table.add("consistency proof: make", *stats(con_ms), size(con_hashes), size(con_bytes), "")
    table.add("consistency proof: check", *stats(con_check_ms), "", "", "")
    return table, p99


# --- main ----------------------------------------------------------------------------------

def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--entries", type=int, default=None,
                        help="ledger size for verify and proofs (default 1,000,000; --quick 50,000)")
    parser.add_argument("--appends", type=int, default=None,
                        help="appends per measure (default 5,000; --quick 500)")
    parser.add_argument("--quick", action="store_true", help="a smoke run: smaller everything")
    parser.add_argument("--postgres", default=os.environ.get("ACCORD_TEST_POSTGRES_URL"),
                        help="a PostgreSQL URL (default: $ACCORD_TEST_POSTGRES_URL); a scratch "
                             "schema is created and dropped")
    parser.add_argument("--samples", type=int, default=1_000, help="proofs timed per kind")
    parser.add_argument("--workdir", type=Path, default=None,
                        help="where the SQLite files go (default: a temporary folder, removed)")
    parser.add_argument("--seed", type=int, default=20261129)
    args = parser.parse_args(argv)
    entries = args.entries or (50_000 if args.quick else 1_000_000)
    appends = args.appends or (500 if args.quick else 5_000)
    rng = random.Random(args.seed)

    pg = make_url(args.postgres).render_as_string(hide_password=True) if args.postgres else "none"
    print(f"Accord ledger benchmark: Python {platform.python_version()}, {platform.machine()}, "
          f"{os.cpu_count()} CPUs; {entries:,} entries, {appends:,} appends per measure, "
          f"PostgreSQL: {pg}")
    tables: list[TextTable] = []
    with tempfile.TemporaryDirectory(prefix="accord-ledger-bench-", dir=args.workdir) as tmp:
        work = Path(tmp)
        print(f"timing {appends:,} appends per measure on SQLite ...")
        engine = make_engine(f"sqlite:///{work / 'appends.db'}")
        upgrade_to_head(engine)
        try:
            table, sqlite_rate = append_table("SQLite (file)", engine, appends)
        finally:
            engine.dispose()
        table.print()
        tables.append(table)
        if args.postgres:
            print(f"\ntiming {appends:,} appends per measure on PostgreSQL ...")
            with postgres_schema(args.postgres) as pg:
                table, _ = append_table("PostgreSQL", pg, appends)
            table.print()
            tables.append(table)
        else:
            print("\n(PostgreSQL skipped: give --postgres URL or set ACCORD_TEST_POSTGRES_URL)")

        print()
        table, report, verify_s = verify_section(work, entries)
        table.print()
        tables.append(table)
        print()
        table, p99 = proofs_section(report, args.samples, rng)
        table.print()

    scaled = verify_s * 1_000_000 / entries
    print("\nTargets")
    print(f"  appends on SQLite, durability on: {sqlite_rate:,.0f}/s vs >= {APPEND_TARGET:,}/s: "
          f"{verdict(sqlite_rate >= APPEND_TARGET)}")
    print(f"  verify 1,000,000 entries: {scaled:.1f} s"
          + ("" if entries == 1_000_000 else f" (scaled from {entries:,})")
          + f" vs < {VERIFY_TARGET_S:.0f} s: {verdict(scaled < VERIFY_TARGET_S)}")
    print(f"  inclusion proof p99: {p99:.3f} ms vs < {PROOF_TARGET_MS:g} ms: "
          f"{verdict(p99 < PROOF_TARGET_MS)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
