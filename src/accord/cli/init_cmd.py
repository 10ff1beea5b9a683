"""`accord init`: create the data directory and bring the database schema to head."""

from __future__ import annotations

from accord.cli.common import console
from accord.config import load_settings
from accord.store.db import make_engine
from accord.store.migrate import current_revision, upgrade_to_head


def init() -> None:
    """Create the data directory and the database schema (safe to run again)."""
    settings = load_settings()
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    engine = make_engine(settings.database_url)
    try:
        before = current_revision(engine)
        upgrade_to_head(engine)
        after = current_revision(engine)
    finally:
        engine.dispose()
    where = engine.url.render_as_string(hide_password=True)
    if before == after:
        console.print(f"Database {where} is already at schema {after}; nothing to do.")
    else:
        console.print(f"Database {where} is at schema {after} (was {before or 'empty'}).")
    console.print(f"Data directory: {settings.data_dir}")
