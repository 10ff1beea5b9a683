"""Alembic builds the schema from empty, on both backends, and matches the models exactly."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, inspect, text
from sqlalchemy.exc import IntegrityError

from accord.store.db import make_engine
from accord.store.migrate import (
    alembic_config,
    current_revision,
    downgrade_to_base,
    head_revision,
    upgrade_to_head,
)
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
        assert current_revision(engine) == head_revision()
        assert (head_revision() or "") >= "0009"  # 0009: the state-law settings (issue 17)
        assert TABLES <= set(inspect(engine).get_table_names())
        upgrade_to_head(engine)  # idempotent: a second run changes nothing
        assert current_revision(engine) == head_revision()
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


_STATE_LAW_0009 = {"medicaid_meal_notice_on", "direct_certification_programs", "recorded_in"}


def _state_law_columns(engine: Engine) -> set[str]:
    return {c["name"] for c in inspect(engine).get_columns("state_law")}


def test_0009_keeps_a_stored_state_law_and_gives_it_snap_then_downgrades(db_url: str) -> None:
    """A store made before issue 17 keeps its settings row: it certified from SNAP alone, and
    nothing of it was recorded in the ledger. Downgrading drops the three columns, and the row
    still refuses a second settings row."""
    engine = make_engine(db_url)
    cfg = alembic_config(engine)
    try:
        command.upgrade(cfg, "0008")
        with engine.begin() as conn:
            conn.execute(text("INSERT INTO state_law (id, minor_may_consent_to_sud_treatment, "
                              "medicaid_meal_status_election, required_course_ids) "
                              "VALUES (1, true, false, '[\"ferpa-basics\"]')"))
        command.upgrade(cfg, "0009")
        assert _STATE_LAW_0009 <= _state_law_columns(engine)
        with engine.connect() as conn:
            row = conn.execute(text("SELECT direct_certification_programs, recorded_in, "
                                    "medicaid_meal_notice_on FROM state_law")).one()
        assert row[1:] == (None, None)
        assert row[0] in (["snap"], '["snap"]')  # JSON on PostgreSQL, its text on SQLite
        command.downgrade(cfg, "0008")
        assert not _STATE_LAW_0009 & _state_law_columns(engine)
        with engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM state_law")).scalar() == 1
        with pytest.raises(IntegrityError), engine.begin() as conn:
            conn.execute(text("INSERT INTO state_law (id, minor_may_consent_to_sud_treatment, "
                              "medicaid_meal_status_election, required_course_ids) "
                              "VALUES (2, true, false, '[]')"))
    finally:
        engine.dispose()


def test_sqlite_connections_enforce_foreign_keys(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'a.db'}")
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    engine.dispose()


def _columns(engine: Engine, table: str) -> set[str]:
    return {c["name"] for c in inspect(engine).get_columns(table)}


def test_0019_0020_keep_credentials_and_sessions_and_downgrade(db_url: str) -> None:
    """A store signed into before a code worked once keeps its credentials (no step used yet, so the
    current code still works once) and its sessions and sign-ins under way (no ID token: opened by
    password, or before logout at the provider). Downgrading drops the two columns, rows kept."""
    engine = make_engine(db_url)
    cfg = alembic_config(engine)
    rows = ["INSERT INTO agencies (id, name, kind) VALUES ('lea', 'School district', 'education')",
            "INSERT INTO users (id, agency_id, role, display_name) "
            "VALUES ('ro.1', 'lea', 'records_officer', '')",
            "INSERT INTO credentials (user_id, password_hash, totp_secret, failures) "
            "VALUES ('ro.1', 'h', 'S', 2)",
            "INSERT INTO web_sessions (token_sha256, user_id, csrf, created_at, expires_at) "
            "VALUES ('t', 'ro.1', 'c', '2026-12-01 08:00:00', '2026-12-01 16:00:00')",
            "INSERT INTO oidc_pending (key_sha256, user_id, expires_at) "
            "VALUES ('k', 'ro.1', '2026-12-01 08:05:00')"]
    try:
        command.upgrade(cfg, "0018")
        with engine.begin() as conn:
            for row in rows:
                conn.execute(text(row))
        command.upgrade(cfg, "0020")
        with engine.connect() as conn:
            assert conn.execute(text("SELECT totp_secret, failures, totp_last_step FROM credentials")).one() \
                == ("S", 2, None)
            assert conn.execute(text("SELECT csrf, id_token FROM web_sessions")).one() == ("c", None)
            assert conn.execute(text("SELECT user_id, id_token FROM oidc_pending")).one() == ("ro.1", None)
        command.downgrade(cfg, "0018")
        assert "totp_last_step" not in _columns(engine, "credentials")
        assert "id_token" not in _columns(engine, "web_sessions") | _columns(engine, "oidc_pending")
        with engine.connect() as conn:
            for table in ("credentials", "web_sessions", "oidc_pending"):
                assert conn.execute(text(f"SELECT count(*) FROM {table}")).scalar() == 1, table
    finally:
        engine.dispose()
