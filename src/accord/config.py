"""Runtime settings, read from the environment each time they are asked for.

Reading on demand (rather than once at import) lets tests and the CLI point Accord at another
data directory by setting ACCORD_DATA_DIR before a command runs.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from accord.errors import AccordError

DEFAULT_DATA_DIR = "accord-data"
DEFAULT_NODE_DIR = "accord-node"
LINKAGE_KEY_FILENAME = "linkage.key"
DB_FILENAME = "accord.db"
LEDGER_KEY_FILENAME = "ledger-signing.key"
CONTENT_KEY_FILENAME = "content.key"


DEFAULT_BUSY_SECONDS = 60.0


@dataclass(frozen=True, slots=True)
class Settings:
    data_dir: Path
    database_url: str
    # How long a command waits for another process's write to the store before it gives up.
    busy_seconds: float = DEFAULT_BUSY_SECONDS

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


def data_dir(environ: Mapping[str, str] | None = None) -> Path:
    """The data directory: ACCORD_DATA_DIR, else ./accord-data."""
    env = os.environ if environ is None else environ
    return Path(env.get("ACCORD_DATA_DIR") or DEFAULT_DATA_DIR)


def node_dir(environ: Mapping[str, str] | None = None) -> Path:
    """The agency node's directory, apart from any hub's: ACCORD_NODE_DIR, else ./accord-node.
    It holds the agencies' linkage key (ADR 0014, P1); the hub's data directory never does."""
    env = os.environ if environ is None else environ
    return Path(env.get("ACCORD_NODE_DIR") or DEFAULT_NODE_DIR)


def linkage_key_file(environ: Mapping[str, str] | None = None) -> Path:
    """Where the node keeps the agencies' linkage key unless told otherwise."""
    return node_dir(environ) / LINKAGE_KEY_FILENAME


def database_url(environ: Mapping[str, str] | None = None) -> str:
    """ACCORD_DATABASE_URL, else a SQLite file inside the data directory."""
    env = os.environ if environ is None else environ
    explicit = env.get("ACCORD_DATABASE_URL")
    if explicit:
        return explicit
    return f"sqlite:///{data_dir(env) / DB_FILENAME}"


def ledger_key_file(environ: Mapping[str, str] | None = None) -> Path:
    """The ledger's Ed25519 signing key: ACCORD_LEDGER_KEY_FILE, else in the data directory.

    It lives beside the database, never in it: a database administrator cannot sign."""
    env = os.environ if environ is None else environ
    explicit = env.get("ACCORD_LEDGER_KEY_FILE")
    return Path(explicit) if explicit else data_dir(env) / LEDGER_KEY_FILENAME


def content_key_file(environ: Mapping[str, str] | None = None) -> Path:
    """The AES key for record content at rest: ACCORD_CONTENT_KEY_FILE, else in the data
    directory. (ACCORD_CONTENT_KEY, the key itself in base64, wins over any file: see
    accord.store.crypto.load_content_cipher.)

    Like the ledger key it lives beside the database, never in it: a copy of the database
    alone does not reveal the content."""
    env = os.environ if environ is None else environ
    explicit = env.get("ACCORD_CONTENT_KEY_FILE")
    return Path(explicit) if explicit else data_dir(env) / CONTENT_KEY_FILENAME


def busy_seconds(environ: Mapping[str, str] | None = None) -> float:
    """ACCORD_BUSY_SECONDS (a number of seconds, at least 0), else 60."""
    env = os.environ if environ is None else environ
    text = env.get("ACCORD_BUSY_SECONDS", "").strip()
    try:
        value = float(text) if text else DEFAULT_BUSY_SECONDS
    except ValueError:
        value = -1.0
    if not value >= 0:  # also NaN
        raise SettingsError(f"ACCORD_BUSY_SECONDS: expected a number of seconds, not {text!r}")
    return value


class SettingsError(AccordError):
    """A setting in the environment is malformed; the message names the variable."""


def load_settings(environ: Mapping[str, str] | None = None) -> Settings:
    """The settings, from `environ` (default: the process environment)."""
    return Settings(data_dir=data_dir(environ), database_url=database_url(environ),
                    busy_seconds=busy_seconds(environ))
