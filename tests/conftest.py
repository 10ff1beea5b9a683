"""Shared fixtures: a migrated database on SQLite and on PostgreSQL.

PostgreSQL comes from ACCORD_TEST_POSTGRES_URL. Without it the PostgreSQL variants skip on a
developer machine, but FAIL under CI (env CI set), so CI can never pass by silently skipping.
One scratch database is created per test session and dropped after; each test gets its own
schema inside it, so tests never see each other's rows.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import URL, Engine, create_engine, make_url, text
from sqlalchemy.orm import Session, sessionmaker

from accord.store.db import make_engine, make_session_factory
from accord.store.migrate import upgrade_to_head

BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


@pytest.fixture(scope="session")
def pg_database_url() -> Iterator[URL]:
    """A scratch PostgreSQL database for this test session, dropped afterwards."""
    base = os.environ.get("ACCORD_TEST_POSTGRES_URL")
    if not base:
        if _in_ci():
            pytest.fail("CI is set but ACCORD_TEST_POSTGRES_URL is not: the PostgreSQL tests "
                        "must run in CI (start a server with .ci/run)")
        pytest.skip("PostgreSQL tests need ACCORD_TEST_POSTGRES_URL (CI sets it via .ci/run)")
    admin_url = make_url(base)
    name = f"accord_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield admin_url.set(database=name)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """An empty database URL: a fresh SQLite file, or a fresh PostgreSQL schema."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path_factory.mktemp('db') / 'accord.db'}"
        return
    base: URL = request.getfixturevalue("pg_database_url")
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    # search_path in the URL puts every table, and alembic_version, in this test's schema.
    url = base.update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    """An engine on a database migrated to head."""
    eng = make_engine(db_url)
    upgrade_to_head(eng)
    yield eng
    eng.dispose()


@pytest.fixture
def session_factory(engine: Engine) -> sessionmaker[Session]:
    return make_session_factory(engine)


@pytest.fixture
def session(session_factory: sessionmaker[Session]) -> Iterator[Session]:
    """A session on a migrated database; whatever the test leaves uncommitted is rolled back."""
    s = session_factory()
    try:
        yield s
    finally:
        s.rollback()
        s.close()
