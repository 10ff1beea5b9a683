"""The intake tests' hub: an initialised data directory with the decision table's agencies and
agreements (and a second school district), a content key and a node's linkage key, driven
through `accord` as a records office would; and the small synthetic files they load.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from typer.testing import CliRunner, Result

from accord.cli.app import app
from accord.config import load_settings
from accord.domain.agencies import Agency, AgencyKind, Program
from accord.store.crypto import load_content_cipher
from accord.store.db import make_engine, make_session_factory, session_scope
from accord.store.repositories.agencies import save_agency
from accord.store.repositories.agreements import save_agreement
from accord.store.repositories.sealed_content import content_for
from tests.spec import world

SCHOOL = "255907001"
HILLTOP = Agency("hilltop", "Hilltop Unified", AgencyKind.EDUCATION, frozenset({Program.FEDERAL_EDUCATION}))
AGREEMENT = "dsa-health"  # the school's agreement with the health department: what loads here serve
# Hilltop's own agreement with the health department, so that its loads reach its rows' checks.
HILLTOP_AGREEMENT = replace(world.AGREEMENTS[AGREEMENT], id="dsa-hilltop-health",
                            source_agency_ids=frozenset({"hilltop"}))
WRITTEN_TABLES = ("students", "agency_records", "record_content", "intake_batches", "consents",
                  "ledger_entries")

AS_OF = "2026-11-15"  # the day the node's copies speak for (ADR 0030): the tests' own "today"
STUDENT_COLUMNS = ["record_id", "first_name", "middle_name", "last_name", "date_of_birth", "sex",
                   "street_address", "city", "postcode", "grade_level"]
STUDENTS = [
    ["ZQ-1001", "Zyra", "Mirelle", "Quellwood", "2014-03-14", "Female", "12 Fernhollow Lane", "Ashmere",
     "40117", "Fifth grade"],
    ["ZQ-1002", "Orrin", "", "Tavistrand", "2013-11-02", "Male", "7 Gildencroft Road", "Ashmere", "40117",
     "Sixth grade"],
    ["ZQ-1003", "Pella", "Ivo", "Marchbourne", "2015-06-30", "Female", "3 Wickerbay Court", "Ashmere",
     "40118", "Fourth grade"],
]
IDS = [s[0] for s in STUDENTS]
ENROLLMENT_COLUMNS = ["record_id", "school_id", "entry_date", "grade_level", "consent_recipient_agency_id",
                      "consent_elements", "consent_purpose", "consent_signed_on", "consent_signer_role",
                      "consent_language"]
ATTENDANCE_COLUMNS = ["record_id", "school_id", "event_date", "event"]
EVENTS = ("In Attendance", "Tardy", "Unexcused Absence")


@dataclass
class Hub:
    """An initialised hub in `root`, and the command line to load files into it."""

    root: Path
    db_url: str
    runner: CliRunner = field(default_factory=CliRunner)

    def run(self, *args: str) -> Result:
        return self.runner.invoke(app, list(args))

    def ok(self, *args: str) -> str:
        result = self.run(*args)
        assert result.exit_code == 0, (result.exit_code, result.output, result.exception)
        return result.output

    def encoded(self, path: Path, agreement: str = AGREEMENT) -> Path:
        """The agency's node: `path`'s identities encoded for `agreement`, beside it."""
        out = path.with_suffix(".parquet")
        self.ok("node", "encode", "--key-file", str(self.root / "shared.key"), "--in", str(path),
                "--out", str(out),
                "--agreement", agreement)
        return out

    def submission(self, path: Path, agreement: str = AGREEMENT) -> tuple[Path, Path]:
        """The agency's node: the hub's copy of `path` (no names, address or identifier) and the
        encodings of its identities, as `intake load --in COPY --encoded FILE` takes them."""
        encodings, copy = path.with_suffix(".parquet"), path.parent / "to-hub" / path.name
        copy.parent.mkdir(exist_ok=True)
        self.ok("node", "encode", "--key-file", str(self.root / "shared.key"), "--in", str(path),
                "--out", str(encodings), "--hub-copy", str(copy), "--agreement", agreement, "--as-of", AS_OF)
        return copy, encodings

    def load(self, agency: str, kind: str, path: Path, *extra: str, agreement: str = AGREEMENT) -> Result:
        """`accord intake load`; for the kinds with identities, of the node's copy and encodings."""
        encoded: list[str] = []
        if kind in ("students", "roster"):
            path, encodings = self.submission(path, agreement)
            encoded = ["--encoded", str(encodings)]
        return self.run("intake", "load", "--agency", agency, "--kind", kind, "--in", str(path), *encoded,
                        *extra)

    def write_csv(self, name: str, header: Sequence[str], rows: Sequence[Sequence[str]]) -> Path:
        lines = [",".join(header), *(",".join(r) for r in rows)]
        path = self.root / name
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        return path

    def write_json(self, name: str, objects: list[dict[str, object]], *, ndjson: bool = False) -> Path:
        path = self.root / name
        body = "\n".join(json.dumps(o) for o in objects) + "\n" if ndjson else json.dumps(objects, indent=1)
        path.write_text(body, encoding="utf-8")
        return path

    def count(self, table: str) -> int:
        engine = create_engine(self.db_url)
        try:
            with engine.connect() as con:
                return int(con.execute(text(f'SELECT COUNT(*) FROM "{table}"')).scalar_one())
        finally:
            engine.dispose()

    def counts(self) -> dict[str, int]:
        return {t: self.count(t) for t in WRITTEN_TABLES}

    def ledger(self) -> list[dict[str, object]]:
        """The exported ledger's entries (checkpoint lines left out)."""
        out = self.root / "ledger.jsonl"
        self.ok("ledger", "export", "--out", str(out))
        lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
        return [line["entry"] for line in lines if "entry" in line]

    def kinds(self) -> list[str]:
        return [str(e["kind"]) for e in self.ledger()]

    def roster(self, agency: str, agreement: str = AGREEMENT) -> Path:
        return self.root / "data" / "hub" / "agreements" / agreement / agency / "roster.parquet"


def load_students(hub: Hub, rows: Sequence[Sequence[str]] = STUDENTS, agency: str = "lea") -> str:
    return hub.load(agency, "students", hub.write_csv("students.csv", STUDENT_COLUMNS, rows)).output


def enrollment(record_id: str, consent: Sequence[str] = ()) -> list[str]:
    """An enrollment row; `consent` is (recipient, elements, purpose, signed on, signer, language)."""
    return [record_id, SCHOOL, "2026-08-20", "Fifth grade", *(consent or [""] * 6)]


def attendance(days: int = 4) -> list[list[str]]:
    return [[rid, SCHOOL, f"2026-09-{d:02d}", EVENTS[(n + d) % 3]]
            for n, rid in enumerate(IDS) for d in range(1, days + 1)]


def body(entry: dict[str, object]) -> dict[str, object]:
    found = entry["body"]
    assert isinstance(found, dict)
    return found


def report_line(output: str) -> str:
    """The load's summary line (`<file> (<kind>, agency <id>): N rows read, ...`)."""
    found = [line for line in output.splitlines() if " rows read, " in line]
    assert len(found) == 1, output
    return found[0]


def opened(hub: Hub, agency: str, record_id: str, *elements: str) -> list[dict[str, object]]:
    """The record's content for `elements`, opened with the hub's content key."""
    cipher = load_content_cipher(load_settings())
    engine = make_engine(hub.db_url)
    try:
        with session_scope(make_session_factory(engine)) as session:
            items = content_for(session, agency, record_id, elements, cipher)
    finally:
        engine.dispose()
    return [{"element": i.element, "on": i.occurred_on, **i.values} for i in items]


@pytest.fixture
def hub(db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Hub]:
    monkeypatch.setenv("ACCORD_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("ACCORD_DATABASE_URL", db_url)
    monkeypatch.setenv("ACCORD_CONTENT_KEY_FILE", str(tmp_path / "content.key"))
    monkeypatch.setenv("COLUMNS", "250")
    monkeypatch.delenv("ACCORD_CONTENT_KEY", raising=False)
    h = Hub(tmp_path, db_url)
    h.ok("init")
    engine = make_engine(db_url)
    try:
        with session_scope(make_session_factory(engine)) as session:
            for agency in [*world.AGENCIES.values(), HILLTOP]:
                save_agency(session, agency)
            for agreement in [*world.AGREEMENTS.values(), HILLTOP_AGREEMENT]:
                save_agreement(session, agreement)
    finally:
        engine.dispose()
    h.ok("intake", "content-key", "--out", str(tmp_path / "content.key"))
    h.ok("node", "keygen", "--out", str(tmp_path / "shared.key"))
    yield h


LEDGER_LOCK = 0x4C454447  # accord.store.repositories.ledger's advisory lock on PostgreSQL


@contextmanager
def writer_held(hub: Hub) -> Iterator[None]:
    """Another writer in the way of the load's transaction: on SQLite before its first write (the
    write lock), on PostgreSQL after all its rows, at its ledger entry (the ledger's lock)."""
    if hub.db_url.startswith("sqlite"):
        held = sqlite3.connect(hub.db_url.removeprefix("sqlite:///"), isolation_level=None)
        held.execute("BEGIN IMMEDIATE")
        try:
            yield
        finally:
            held.execute("ROLLBACK")
            held.close()
        return
    engine = create_engine(hub.db_url)
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT pg_advisory_lock(:k)"), {"k": LEDGER_LOCK})
            try:
                yield
            finally:
                conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": LEDGER_LOCK})
    finally:
        engine.dispose()
