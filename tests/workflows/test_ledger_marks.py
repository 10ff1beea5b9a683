"""The office's dashboard checks the ledger from the last full verification kept (workflows.ledger_marks):
it re-hashes only the entries written since (counted, not timed), still finds a change to any of them or
to the last entry the verification covered, says how far the kept verification went, and trusts no mark
it cannot verify (then it walks everything)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from accord.api.deps import now
from accord.cli.app import app
from accord.config import LEDGER_KEY_FILENAME
from accord.ledger import verify as verify_module
from accord.ledger import verify_since as since_module
from accord.ledger.entries import Draft, Entry, EntryKind, seal, sha256_hex
from accord.ledger.verified_mark import read_mark
from accord.store.db import make_engine, make_session_factory, session_scope
from accord.store.repositories.agencies import get_user
from accord.store.repositories.ledger import entry_at
from accord.workflows import ledger as ledger_flow
from accord.workflows.ledger_marks import mark_file, verify_and_mark
from accord.workflows.office_dashboard import LedgerStatus, office_figures
from tests.web.office_world import build
from tests.web.pages_client import PageClient, site_client

MARKED = 4  # the office world's ledger: its entries when the full verification runs
AFTER = 6  # entries written after it


@dataclass
class Ledger:
    root: Path

    @property
    def key_file(self) -> Path:
        return self.root / LEDGER_KEY_FILENAME

    def run(self, work: Callable[..., object]) -> object:
        engine = make_engine(f"sqlite:///{self.root / 'accord.db'}")
        try:
            with session_scope(make_session_factory(engine)) as session:
                return work(session)
        finally:
            engine.dispose()

    def status(self) -> LedgerStatus:
        def figures(session: object) -> LedgerStatus:
            officer = get_user(session, "ro.lea")  # type: ignore[arg-type]
            assert officer is not None
            return office_figures(session, officer, self.key_file, now()).ledger  # type: ignore[arg-type]
        status = self.run(figures)
        assert isinstance(status, LedgerStatus)
        return status

    def write(self, sql: str, **values: object) -> None:
        """An intruder with the database file: the append-only guard dropped, then `sql`."""
        engine = make_engine(f"sqlite:///{self.root / 'accord.db'}")
        with engine.begin() as db:
            db.execute(text("DROP TRIGGER IF EXISTS ledger_entries_no_update"))
            db.execute(text(sql), values)
        engine.dispose()


def _append(count: int) -> Callable[..., object]:
    def work(session: object) -> None:
        for n in range(count):
            ledger_flow.record(session, Draft(EntryKind.DISCLOSURE_DECISION, {"n": n}))  # type: ignore[arg-type]
    return work


@pytest.fixture
def ledger(tmp_path: Path) -> Ledger:
    build(tmp_path)
    world = Ledger(tmp_path)
    world.run(lambda session: verify_and_mark(session, (), world.key_file))
    world.run(_append(AFTER))
    return world


@pytest.fixture
def hashes(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Every entry text hashed by a verification, in order (the real hash, counted)."""
    seen: list[str] = []

    def counted(entry_json: str) -> str:
        seen.append(entry_json)
        return sha256_hex(entry_json)

    monkeypatch.setattr(verify_module, "sha256_hex", counted)
    monkeypatch.setattr(since_module, "sha256_hex", counted)
    yield seen


def test_the_dashboard_hashes_only_the_entries_after_the_kept_verification(ledger: Ledger,
                                                                          hashes: list[str]) -> None:
    status = ledger.status()
    assert status.verifies and status.entries == MARKED + AFTER
    assert (status.verified_through, status.walked) == (MARKED, AFTER)
    assert status.verified_at is not None and status.verified_at.endswith("Z")
    # The entries after the mark, and the mark's own last entry (so the chain cannot be cut there).
    assert len(hashes) == AFTER + 1
    hashes.clear()
    mark_file(ledger.key_file).unlink()  # no mark: everything is walked, and the page says so
    unmarked = ledger.status()
    assert unmarked.verifies and unmarked.verified_through is None and unmarked.walked == MARKED + AFTER
    assert len(hashes) == MARKED + AFTER


def test_an_entry_changed_after_the_kept_verification_is_not_verified(ledger: Ledger) -> None:
    ledger.write("UPDATE ledger_entries SET entry_json = replace(entry_json, :was, :now) WHERE seq = :seq",
                 was='"n":2', now='"n":9', seq=MARKED + 3)
    status = ledger.status()
    assert not status.verifies and status.problems >= 1


def test_the_last_entry_rewritten_with_its_hash_is_caught_by_the_signed_root(ledger: Ledger) -> None:
    ledger.run(lambda session: ledger_flow.checkpoint(session, ledger_flow.signing_key(ledger.key_file),
                                                      ledger.root / "witnesses"))
    last = MARKED + AFTER  # no entry after it links to it: only the signed root can tell
    before = ledger.run(lambda session: entry_at(session, last - 1))
    assert isinstance(before, Entry)
    forged = seal(Draft(EntryKind.DISCLOSURE_DECISION, {"n": "forged"}), last, before.entry_hash, now())
    ledger.write("UPDATE ledger_entries SET entry_json = :text, entry_hash = :hash WHERE seq = :seq",
                 text=forged.entry_json, hash=forged.entry_hash, seq=last)
    status = ledger.status()
    assert not status.verifies and status.walked == AFTER


def test_the_last_entry_the_verification_covered_is_checked_again(ledger: Ledger) -> None:
    ledger.write(f"UPDATE ledger_entries SET entry_json = entry_json || ' ' WHERE seq = {MARKED}")
    assert not ledger.status().verifies


def test_a_mark_not_signed_by_the_ledger_key_is_not_trusted(ledger: Ledger) -> None:
    """Someone rewrites an early entry and the mark's file to claim a later full verification: the
    mark's signature fails, so the dashboard walks every entry and finds the change."""
    ledger.write("UPDATE ledger_entries SET entry_json = entry_json || ' ' WHERE seq = 2")
    path = mark_file(ledger.key_file)
    path.write_text(path.read_text().replace(f'"size": {MARKED}', '"size": 3'))
    status = ledger.status()
    assert not status.verifies and status.verified_through is None and status.walked == MARKED + AFTER


def test_a_kept_verification_that_found_problems_keeps_the_ledger_unverified(ledger: Ledger) -> None:
    ledger.write("UPDATE ledger_entries SET entry_json = entry_json || ' ' WHERE seq = 2")
    ledger.run(lambda session: verify_and_mark(session, (), ledger.key_file))
    mark = read_mark(mark_file(ledger.key_file))
    assert mark is not None and not mark.ok and mark.size == MARKED + AFTER
    status = ledger.status()
    assert not status.verifies and status.problems == mark.problems and status.walked == 0


def test_accord_ledger_verify_keeps_its_mark(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    build(tmp_path)
    monkeypatch.setenv("ACCORD_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("ACCORD_DATABASE_URL", raising=False)
    result = CliRunner().invoke(app, ["ledger", "verify"])
    assert result.exit_code == 0, result.output
    mark = read_mark(mark_file(tmp_path / LEDGER_KEY_FILENAME))
    assert mark is not None and mark.ok and mark.size == MARKED


def test_the_page_says_how_far_the_kept_verification_went_and_when(tmp_path: Path) -> None:
    settings, secrets = build(tmp_path)
    world = Ledger(tmp_path)
    world.run(lambda session: verify_and_mark(session, (), world.key_file))
    world.run(_append(AFTER))
    mark = read_mark(mark_file(world.key_file))
    assert mark is not None
    page = PageClient(site_client(settings), secrets)
    page.sign_in("ro.lea")
    html = page.client.get("/office").text
    assert (f"Verified: all {MARKED + AFTER} entries. Entries #1 to #{MARKED} were verified in full on "
            f"{mark.verified_at}") in html and f"the {AFTER} written since were verified now" in html
    assert f"se verificaron por completo el {mark.verified_at}" in page.client.get("/office?lang=es").text
