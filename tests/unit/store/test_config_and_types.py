"""Settings from the environment, and the store's portable column types."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy.dialects import postgresql, sqlite

from accord.config import SettingsError
from accord.store.errors import Conflict, NotFound, StoreError
from accord.store.migrate import MIGRATIONS, head_revision
from accord.store.types import NaiveUtcDateTime, SortedList
from tests.settings_env import settings_from


def test_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    s = settings_from(monkeypatch)
    assert s.data_dir == Path("accord-data")
    assert s.database_url == "sqlite:///accord-data/accord.db" and s.is_sqlite
    assert s.ledger_key_file == Path("accord-data/ledger-signing.key")
    assert s.content_key_file == Path("accord-data/content.key") and s.content_key is None
    assert s.busy_seconds == 60 and s.user == "records-office"
    assert s.linkage_key_file == Path("accord-node/linkage.key")


def test_data_dir_moves_the_default_database_and_keys(monkeypatch: pytest.MonkeyPatch) -> None:
    s = settings_from(monkeypatch, ACCORD_DATA_DIR="/srv/accord")
    assert s.database_url == "sqlite:////srv/accord/accord.db"
    assert s.ledger_key_file == Path("/srv/accord/ledger-signing.key")
    assert s.hub_dir == Path("/srv/accord/hub") and s.witness_dir == Path("/srv/accord/witnesses")


def test_explicit_settings_win(monkeypatch: pytest.MonkeyPatch) -> None:
    s = settings_from(monkeypatch, ACCORD_DATA_DIR="/x", ACCORD_DATABASE_URL="postgresql+psycopg://h/db",
                  ACCORD_LEDGER_KEY_FILE="/keys/ledger.key", ACCORD_BUSY_SECONDS="2.5", ACCORD_USER=" clerk ")
    assert s.database_url == "postgresql+psycopg://h/db" and not s.is_sqlite
    assert s.data_dir == Path("/x") and s.ledger_key_file == Path("/keys/ledger.key")
    assert s.busy_seconds == 2.5 and s.user == "clerk"


def test_empty_variables_are_unset(monkeypatch: pytest.MonkeyPatch) -> None:
    s = settings_from(monkeypatch, ACCORD_DATA_DIR="", ACCORD_USER="  ")
    assert s.data_dir == Path("accord-data") and s.user == "records-office"


@pytest.mark.parametrize("value", ["soon", "-1", "nan", "inf"])
def test_a_malformed_setting_names_its_variable(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    with pytest.raises(SettingsError, match="^ACCORD_BUSY_SECONDS: ") as err:
        settings_from(monkeypatch, ACCORD_BUSY_SECONDS=value)
    assert "\n" not in str(err.value)


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
    assert (head_revision() or "") >= "0009"  # 0009: the state-law settings (issue 17)
