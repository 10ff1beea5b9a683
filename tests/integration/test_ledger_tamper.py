"""A database administrator tampers with the ledger; `verify` finds and locates each change.

The administrator can do anything SQL allows, including switching off the append-only
triggers; what they do not have is the signing key, nor the partners' witness copies.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from accord.ledger.checkpoints import export_to_witnesses, make_checkpoint, read_witness_files
from accord.ledger.entries import Draft, EntryKind, seal
from accord.ledger.merkle import LedgerTree
from accord.ledger.signing import public_hex
from accord.ledger.verify import Report, verify_rows
from accord.store.db import make_session_factory, session_scope
from accord.store.repositories import ledger as store

KEY = Ed25519PrivateKey.generate()
TRUSTED = public_hex(KEY.public_key())
AT = datetime(2026, 11, 29, 9, 0)
CHECKPOINTS = (10, 25, 40)


def _draft(n: int) -> Draft:
    return Draft(EntryKind.DISCLOSURE_DECISION, {"n": n, "released": ["attendance"]},
                 f"stu-{n % 7:06d}")


@pytest.fixture
def ledger(engine: Engine, tmp_path: Path) -> Iterator[Engine]:
    """40 entries with signed checkpoints at 10, 25 and 40, each copied to two witnesses."""
    factory = make_session_factory(engine)
    for n in range(1, 41):
        with session_scope(factory) as s:
            store.append(s, _draft(n), AT)
            if n in CHECKPOINTS:
                tree = LedgerTree(r.entry_hash for r in store.stored_rows(s))
                cp = make_checkpoint(KEY, tree.size, tree.root(), AT)
                store.save_checkpoint(s, cp)
                export_to_witnesses(cp, tmp_path / "witnesses", ["health", "court"])
    yield engine


def _verify(engine: Engine, witnesses: Path | None = None) -> Report:
    held = [(f"witness {p}", cp) for p, cp in read_witness_files([witnesses])] if witnesses else []
    with Session(engine) as s:
        stored = [("ledger", cp) for cp in store.checkpoints(s)]
        return verify_rows(list(store.stored_rows(s)), stored + held, TRUSTED)


def _as_dba(engine: Engine, *statements: str | tuple[str, dict[str, object]],
            **params: object) -> None:
    """Run SQL with the append-only triggers switched off, as an administrator could."""
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            for table in ("ledger_entries", "ledger_checkpoints"):
                conn.execute(text(f"ALTER TABLE {table} DISABLE TRIGGER USER"))
        else:
            for name in ("ledger_entries_no_update", "ledger_entries_no_delete",
                         "ledger_checkpoints_no_update", "ledger_checkpoints_no_delete"):
                conn.execute(text(f"DROP TRIGGER IF EXISTS {name}"))
        for statement in statements:
            sql, values = statement if isinstance(statement, tuple) else (statement, params)
            conn.execute(text(sql), values)


def _row(engine: Engine, seq: int) -> tuple[str, str]:
    with engine.connect() as conn:
        got = conn.execute(text("SELECT entry_json, entry_hash FROM ledger_entries WHERE seq = :s"),
                           {"s": seq}).one()
    return str(got[0]), str(got[1])


def test_untouched_ledger_verifies_with_witnesses(ledger: Engine, tmp_path: Path) -> None:
    report = _verify(ledger, tmp_path / "witnesses")
    assert report.ok, report.problems
    assert report.entries == 40 and report.checkpoints_checked == 3 + 6


@pytest.mark.parametrize("sql", [
    "UPDATE ledger_entries SET kind = 'consent_recorded' WHERE seq = 3",
    "DELETE FROM ledger_entries WHERE seq = 40",
    "DELETE FROM ledger_checkpoints",
])
def test_the_database_refuses_updates_and_deletes(ledger: Engine, sql: str) -> None:
    with pytest.raises(DBAPIError, match="append-only"), ledger.begin() as conn:
        conn.execute(text(sql))
    assert _verify(ledger).ok


def test_postgres_refuses_truncate(ledger: Engine) -> None:
    if ledger.dialect.name != "postgresql":
        pytest.skip("TRUNCATE is a PostgreSQL statement")
    with pytest.raises(DBAPIError, match="append-only"), ledger.begin() as conn:
        conn.execute(text("TRUNCATE ledger_entries"))


def test_edited_field_is_located(ledger: Engine) -> None:
    body, _ = _row(ledger, 7)
    _as_dba(ledger, "UPDATE ledger_entries SET entry_json = :j WHERE seq = 7",
            j=body.replace('"attendance"', '"discipline"'))
    first = _verify(ledger).first
    assert first is not None and (first.seq, first.kind) == (7, "edited")


def test_edited_and_rehashed_entry_is_located(ledger: Engine) -> None:
    body, _ = _row(ledger, 7)
    forged = seal(Draft(EntryKind.DISCLOSURE_DECISION, {"n": 7, "released": []}, "stu-000000"),
                  7, json.loads(body)["prev"], AT)
    _as_dba(ledger, "UPDATE ledger_entries SET entry_json = :j, entry_hash = :h WHERE seq = 7",
            j=forged.entry_json, h=forged.entry_hash)
    report = _verify(ledger)
    assert any((p.seq, p.kind) == (7, "rewritten") for p in report.problems)
    assert report.first is not None and report.first.seq == 7


def test_deleted_row_is_located(ledger: Engine) -> None:
    _as_dba(ledger, "DELETE FROM ledger_entries WHERE seq = 12")
    first = _verify(ledger).first
    assert first is not None and (first.seq, first.kind) == (12, "deleted")


def test_swapped_rows_are_located(ledger: Engine) -> None:
    five, nine = _row(ledger, 5), _row(ledger, 9)
    _as_dba(ledger,
            "UPDATE ledger_entries SET entry_json = :j9, entry_hash = :tmp WHERE seq = 5",
            "UPDATE ledger_entries SET entry_json = :j5, entry_hash = :h5 WHERE seq = 9",
            "UPDATE ledger_entries SET entry_hash = :h9 WHERE seq = 5",
            j5=five[0], h5=five[1], j9=nine[0], h9=nine[1], tmp="f" * 64)
    first = _verify(ledger).first
    assert first is not None and (first.seq, first.kind) == (5, "moved")


def test_truncated_tail_is_located(ledger: Engine) -> None:
    _as_dba(ledger, "DELETE FROM ledger_entries WHERE seq > 30")
    first = _verify(ledger).first
    assert first is not None and (first.seq, first.kind) == (31, "truncated")


def _forge_tail(engine: Engine, start: int, extra_sql: tuple[str, ...] = ()) -> None:
    """Rewrite every entry from `start` on into a consistent chain, without the key."""
    with Session(engine) as s:
        rows = list(store.stored_rows(s))
    prev = rows[start - 2].entry_hash
    forged = []
    for row in rows[start - 1:]:
        e = seal(Draft(EntryKind.DISCLOSURE_DECISION, {"n": row.seq, "released": []},
                       "stu-000001"), row.seq, prev, AT)
        forged.append(e)
        prev = e.entry_hash
    insert = ("INSERT INTO ledger_entries (seq, recorded_at, kind, student_id, entry_json, "
              "entry_hash, prev_hash) VALUES (:seq, :at, 'disclosure_decision', 'stu-000001', "
              ":entry_json, :entry_hash, :prev)")
    inserts = tuple((insert, {"seq": e.seq, "at": AT, "entry_json": e.entry_json,
                              "entry_hash": e.entry_hash, "prev": e.content["prev"]})
                    for e in forged)
    _as_dba(engine, f"DELETE FROM ledger_entries WHERE seq >= {start}", *inserts, *extra_sql)


def test_consistent_forgery_of_the_tail_is_detected_by_the_checkpoints(ledger: Engine) -> None:
    _forge_tail(ledger, 20)
    report = _verify(ledger)
    assert not [p for p in report.problems if p.kind in ("edited", "moved", "deleted")]
    first = report.first
    # Located between the last checkpoint that still holds (10) and the first that fails (25).
    assert first is not None and first.kind == "rewritten" and 11 <= first.seq <= 20
    assert "after entry #10" in first.text


def test_forgery_that_also_deletes_the_checkpoints_is_caught_by_the_witnesses(
        ledger: Engine, tmp_path: Path) -> None:
    _forge_tail(ledger, 20, ("DELETE FROM ledger_checkpoints",))
    assert _verify(ledger).ok  # the database alone can no longer tell ...
    report = _verify(ledger, tmp_path / "witnesses")  # ... the partners' copies can
    assert not report.ok and report.first is not None and report.first.kind == "rewritten"


def test_forger_signing_with_a_key_of_their_own_is_caught(ledger: Engine) -> None:
    forger = Ed25519PrivateKey.generate()
    _forge_tail(ledger, 20, ("DELETE FROM ledger_checkpoints",))
    with Session(ledger) as s:
        tree = LedgerTree(r.entry_hash for r in store.stored_rows(s))
    cp = make_checkpoint(forger, tree.size, tree.root(), AT)
    _as_dba(ledger, "INSERT INTO ledger_checkpoints (size, root, signed_at, public_key, signature) "
            f"VALUES ({cp.size}, '{cp.root}', '{cp.signed_at}', '{cp.public_key}', "
            f"'{cp.signature}')")
    first = _verify(ledger).first
    assert first is not None and first.kind == "checkpoint" and "unknown key" in first.text
    assert replace(cp, signature="00" * 64).signature_holds() is False
