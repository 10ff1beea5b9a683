"""`accord init`: create the data directory, bring the database schema to head, and make the
ledger's signing key if there is none yet."""

from __future__ import annotations

from accord.cli.common import console, settings
from accord.ledger.signing import key_id, public_hex
from accord.store.db import make_engine
from accord.store.migrate import current_revision, upgrade_to_head
from accord.workflows.ledger import signing_key


def init() -> None:
    """Create the data directory and the database schema (safe to run again)."""
    config = settings()
    config.data_dir.mkdir(parents=True, exist_ok=True)
    engine = make_engine(config.database_url)
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
    console.print(f"Data directory: {config.data_dir}")
    created = not config.ledger_key_file.exists()
    key = signing_key(config.ledger_key_file, create=True)
    state = "created" if created else "found"
    console.print(f"Ledger signing key {state}: {config.ledger_key_file} "
                  f"(key id {key_id(public_hex(key.public_key()))}); keep it off the database "
                  "server and back it up.")
