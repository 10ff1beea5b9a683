"""How people sign in to the service (issue 20): a password hash (argon2id), a second-factor secret,
the count of failed attempts and the lockout they earned; and the open sessions, held by the SHA-256
of their token (the token itself lives only in the person's cookie)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from accord.store.models.base import Base
from accord.store.types import Id, NaiveUtcDateTime


class CredentialRow(Base):
    __tablename__ = "credentials"
    user_id: Mapped[str] = mapped_column(Id, ForeignKey("users.id"), primary_key=True)
    password_hash: Mapped[str] = mapped_column(Text)
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    failures: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(NaiveUtcDateTime)
    # The last TOTP time step (Unix time // 30) a code was accepted for: a code of it or an earlier
    # step is refused, so a code seen over a shoulder or in a proxy works no second time.
    totp_last_step: Mapped[int | None] = mapped_column(Integer)


class WebSessionRow(Base):
    __tablename__ = "web_sessions"
    token_sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[str] = mapped_column(Id, ForeignKey("users.id"), index=True)
    csrf: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(NaiveUtcDateTime)
    expires_at: Mapped[datetime] = mapped_column(NaiveUtcDateTime)
    id_token: Mapped[str | None] = mapped_column(Text)  # the provider's, for its logout (OIDC sign-ins only)


class MachineClientRow(Base):
    """An agency node's client for the service (OAuth2 client credentials), scoped to its agency."""

    __tablename__ = "machine_clients"
    client_id: Mapped[str] = mapped_column(Id, primary_key=True)
    agency_id: Mapped[str] = mapped_column(Id, ForeignKey("agencies.id"), index=True)
    secret_hash: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(NaiveUtcDateTime)


class MachineTokenRow(Base):
    __tablename__ = "machine_tokens"
    token_sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    client_id: Mapped[str] = mapped_column(Id, ForeignKey("machine_clients.client_id"), index=True)
    expires_at: Mapped[datetime] = mapped_column(NaiveUtcDateTime)
