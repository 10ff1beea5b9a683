"""Accord's settings: one object, read from the environment at the face and passed in.

The command line builds a `Settings` (pydantic-settings, from ACCORD_* variables) for each
command it runs and hands it, or what it names, to the workflows; nothing below the faces reads
the environment. Reading per command (rather than once at import) lets tests and scripts point
Accord at another data directory by setting ACCORD_DATA_DIR before a command runs.

| variable | default | what |
|---|---|---|
| ACCORD_DATA_DIR | ./accord-data | the hub's data directory |
| ACCORD_DATABASE_URL | a SQLite file in the data directory | the store |
| ACCORD_LEDGER_KEY_FILE | ledger-signing.key in the data directory | the ledger's Ed25519 key |
| ACCORD_CONTENT_KEY_FILE | content.key in the data directory | the AES key of content at rest |
| ACCORD_CONTENT_KEY | none | that key itself, base64; wins over the file |
| ACCORD_BUSY_SECONDS | 60 | how long a writer waits for another's write |
| ACCORD_USER | records-office | who acts, in the ledger's administrative entries |
| ACCORD_NODE_DIR | ./accord-node | an agency node's directory (its linkage key) |
| ACCORD_HUB_URL | none | a node's commands: the hub's API they send to (`--hub`) |
| ACCORD_HUB_CLIENT_ID | none | a node's commands: its client id at the hub (`--client-id`) |
| ACCORD_HUB_CLIENT_SECRET | none | its secret; wins over hub-client.secret in the node's directory |
| ACCORD_OIDC_ISSUER | none | the service's OIDC provider (https); OIDC sign-in is off without it |
| ACCORD_OIDC_CLIENT_ID | none | the service's client id at that provider (needed with the issuer) |
| ACCORD_OIDC_CLIENT_SECRET | none | its secret (a confidential client); none: PKCE alone |
| ACCORD_OIDC_REDIRECT_URL | none | the service's .../api/v1/session/oidc/callback (needed with the issuer) |
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from pydantic import Field, SecretStr, ValidationError, ValidationInfo, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from accord.addresses import is_loopback
from accord.errors import AccordError

DEFAULT_DATA_DIR = "accord-data"
DEFAULT_NODE_DIR = "accord-node"
LINKAGE_KEY_FILENAME = "linkage.key"
PSEUDONYM_KEY_FILENAME = "pseudonym.key"
HUB_CLIENT_SECRET_FILENAME = "hub-client.secret"
DB_FILENAME = "accord.db"
LEDGER_KEY_FILENAME = "ledger-signing.key"
CONTENT_KEY_FILENAME = "content.key"
DEFAULT_BUSY_SECONDS = 60.0
ENV_PREFIX = "ACCORD_"


class SettingsError(AccordError):
    """A setting in the environment is malformed; the message names the variable."""


class Settings(BaseSettings):
    """Where the hub keeps its store, keys and files, and how long a writer waits."""

    model_config = SettingsConfigDict(env_prefix=ENV_PREFIX, frozen=True, extra="ignore",
                                      env_ignore_empty=True)

    data_dir: Path = Path(DEFAULT_DATA_DIR)
    database_url: str
    # The ledger and content keys live beside the database, never in it: a copy of the database
    # alone neither signs nor opens content.
    ledger_key_file: Path
    content_key_file: Path
    content_key: SecretStr | None = None
    busy_seconds: float = Field(DEFAULT_BUSY_SECONDS, ge=0, allow_inf_nan=False)
    user: str = "records-office"
    # The agency node's directory, apart from any hub's: it holds the agencies' linkage key
    # (ADR 0014, P1); the hub's data directory never does.
    node_dir: Path = Path(DEFAULT_NODE_DIR)
    # A node's client of a hub's API (issue 20): where it sends, as whom, and the secret, which
    # never prints (else it is read from the node's own file, hub_client_secret_file).
    hub_url: str | None = None
    hub_client_id: str | None = None
    hub_client_secret: SecretStr | None = None
    # Sign-in through the agency's OpenID Connect provider (issue 20, accord.api.routes.oidc): off unless the
    # issuer, the client id and the redirect URL are all set; the secret never prints.
    oidc_issuer: str | None = None
    oidc_client_id: str | None = None
    oidc_client_secret: SecretStr | None = None
    oidc_redirect_url: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _in_the_data_dir(cls, values: Any) -> Any:
        """The database and key files default to files inside the data directory."""
        if not isinstance(values, dict):
            return values
        folder = Path(values.get("data_dir") or DEFAULT_DATA_DIR)
        defaults = {"database_url": f"sqlite:///{folder / DB_FILENAME}",
                    "ledger_key_file": folder / LEDGER_KEY_FILENAME,
                    "content_key_file": folder / CONTENT_KEY_FILENAME}
        return {**values, **{k: v for k, v in defaults.items() if not values.get(k)}}

    @field_validator("user")
    @classmethod
    def _someone(cls, value: str) -> str:
        return value.strip() or "records-office"

    @field_validator("oidc_issuer", "oidc_redirect_url")
    @classmethod
    def _web_address(cls, value: str | None, info: ValidationInfo) -> str | None:
        """An absolute URL; the issuer's https, as the client secret and the codes go there (plain
        http only to this machine: a provider beside the service, as in the tests)."""
        if value is None:
            return None
        parts = urlsplit(value.strip())
        if parts.scheme not in ("https", "http") or not parts.hostname or parts.fragment:
            raise ValueError("not an absolute https URL")
        if info.field_name == "oidc_issuer" and parts.scheme == "http" and not is_loopback(parts.hostname):
            raise ValueError("plain http to another machine; use https")
        return value.strip()

    @model_validator(mode="after")
    def _oidc_whole(self) -> Settings:
        given = {"ACCORD_OIDC_ISSUER": self.oidc_issuer, "ACCORD_OIDC_CLIENT_ID": self.oidc_client_id,
                 "ACCORD_OIDC_REDIRECT_URL": self.oidc_redirect_url}
        missing = [name for name, value in given.items() if not value]
        if missing and (len(missing) < len(given) or self.oidc_client_secret is not None):
            raise ValueError(f"OIDC sign-in needs {', '.join(missing)} as well")
        return self

    @property
    def oidc_on(self) -> bool:
        """Whether people may sign in through the OIDC provider (accord.api.routes.oidc)."""
        return bool(self.oidc_issuer and self.oidc_client_id and self.oidc_redirect_url)

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @property
    def hub_dir(self) -> Path:
        """Where the hub keeps encoded rosters and lookup models (workflows.hub_files)."""
        return self.data_dir / "hub"

    @property
    def witness_dir(self) -> Path:
        """Where `ledger checkpoint` leaves the agencies' copies of a signed root."""
        return self.data_dir / "witnesses"

    @property
    def pseudonym_key_file(self) -> Path:
        """Where the school's node keeps the key of its students' pseudonyms (node.pseudonyms)."""
        return self.node_dir / PSEUDONYM_KEY_FILENAME

    @property
    def hub_client_secret_file(self) -> Path:
        """Where the node keeps its client secret for the hub's API (`accord node hub-secret`)."""
        return self.node_dir / HUB_CLIENT_SECRET_FILENAME

    @property
    def linkage_key_file(self) -> Path:
        """Where the node keeps the agencies' linkage key unless told otherwise."""
        return self.node_dir / LINKAGE_KEY_FILENAME



def load_settings() -> Settings:
    """The settings from the process environment; SettingsError names a malformed variable."""
    try:
        return Settings()  # type: ignore[call-arg]  # the required fields come from the validator
    except ValidationError as err:
        first = err.errors()[0]
        name = ENV_PREFIX + str(first["loc"][0]).upper() if first["loc"] else "the environment"
        raise SettingsError(f"{name}: {first['msg']}") from None
