"""Alembic builds the schema from empty, on both backends, and matches the models exactly."""

from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, inspect

from accord.store.db import make_engine
from accord.store.migrate import current_revision, downgrade_to_base, head_revision, upgrade_to_head
from accord.store.models import Base

TABLES = {"agencies", "agency_programs", "users", "students", "courses", "training_completions",
          "agreements", "agreement_parties", "agreement_signatures", "consents", "state_law",
          "ledger_entries", "ledger_checkpoints", "intake_batches", "agency_records",
          "record_content", "officer_notifications"}


def test_upgrade_from_empty_creates_every_table(db_url: str) -> None:
    engine = make_engine(db_url)
    try:
        assert current_revision(engine) is None
        assert not TABLES & set(inspect(engine).get_table_names())
        upgrade_to_head(engine)
        assert current_revision(engine) == head_revision() == "0008"
        assert TABLES <= set(inspect(engine).get_table_names())
        upgrade_to_head(engine)  # idempotent: a second run changes nothing
        assert current_revision(engine) == "0008"
    finally:
        engine.dispose()


def test_migrations_match_the_models(engine: Engine) -> None:
    with engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"compare_type": True})
        assert compare_metadata(ctx, Base.metadata) == []


def test_downgrade_to_base_and_back(engine: Engine) -> None:
    downgrade_to_base(engine)
    assert not TABLES & set(inspect(engine).get_table_names())
    upgrade_to_head(engine)
    assert TABLES <= set(inspect(engine).get_table_names())


def test_sqlite_connections_enforce_foreign_keys(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'a.db'}")
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    engine.dispose()
