"""Settings from the environment, and the store's portable column types."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

from sqlalchemy.dialects import postgresql, sqlite

from accord.config import database_url, load_settings
from accord.store.errors import Conflict, NotFound, StoreError
from accord.store.migrate import MIGRATIONS, head_revision
from accord.store.types import NaiveUtcDateTime, SortedList


def test_defaults() -> None:
    s = load_settings({})
    assert s.data_dir == Path("accord-data")
    assert s.database_url == "sqlite:///accord-data/accord.db" and s.is_sqlite


def test_data_dir_moves_the_default_database() -> None:
    assert database_url({"ACCORD_DATA_DIR": "/srv/accord"}) == "sqlite:////srv/accord/accord.db"


def test_explicit_database_url_wins() -> None:
    env = {"ACCORD_DATA_DIR": "/x", "ACCORD_DATABASE_URL": "postgresql+psycopg://h/db"}
    s = load_settings(env)
    assert s.database_url == "postgresql+psycopg://h/db" and not s.is_sqlite
    assert s.data_dir == Path("/x")


def test_aware_datetimes_are_stored_as_naive_utc() -> None:
    t = NaiveUtcDateTime()
    aware = datetime(2026, 3, 1, 9, 30, tzinfo=timezone(timedelta(hours=2)))
    assert t.process_bind_param(aware, sqlite.dialect()) == datetime(2026, 3, 1, 7, 30)
    naive = datetime(2026, 3, 1, 9, 30)
    assert t.process_bind_param(naive, postgresql.dialect()) == naive
    assert t.process_bind_param(None, sqlite.dialect()) is None
    assert aware.astimezone(UTC).hour == 7


def test_sets_are_stored_sorted() -> None:
    assert SortedList().process_bind_param(frozenset({"b", "a", "c"}), sqlite.dialect()) == ["a", "b", "c"]


def test_error_hierarchy() -> None:
    assert issubclass(NotFound, LookupError) and issubclass(Conflict, ValueError)
    assert issubclass(NotFound, StoreError) and issubclass(Conflict, StoreError)


def test_migrations_ship_inside_the_package() -> None:
    assert (MIGRATIONS / "env.py").is_file() and (MIGRATIONS / "script.py.mako").is_file()
    assert head_revision() == "0008"
