"""Credentials and open sessions of the service's users (store.models.credentials)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, or_, update
from sqlalchemy.orm import Session

from accord.store.models.credentials import CredentialRow, MachineClientRow, MachineTokenRow, WebSessionRow


@dataclass(frozen=True, slots=True)
class Credential:
    user_id: str
    password_hash: str
    totp_secret: str | None
    failures: int
    locked_until: datetime | None


def get_credential(session: Session, user_id: str) -> Credential | None:
    r = session.get(CredentialRow, user_id)
    if r is None:
        return None
    return Credential(r.user_id, r.password_hash, r.totp_secret, r.failures, r.locked_until)


def save_credential(session: Session, c: Credential) -> None:
    row = session.get(CredentialRow, c.user_id)
    if row is None:
        session.add(CredentialRow(user_id=c.user_id, password_hash=c.password_hash, totp_secret=c.totp_secret,
                                  failures=c.failures, locked_until=c.locked_until))
    else:
        if row.totp_secret != c.totp_secret:
            row.totp_last_step = None  # the steps used were the old secret's
        row.password_hash, row.totp_secret = c.password_hash, c.totp_secret
        row.failures, row.locked_until = c.failures, c.locked_until
    session.flush()


def claim_totp_step(session: Session, user_id: str, step: int) -> bool:
    """Record `step` as the user's last accepted TOTP step if it is later than the last one; False if
    not. One conditional UPDATE: of two sign-ins with the same code at once, the second waits for the
    first's row lock and then finds the step taken (PostgreSQL re-reads the row; SQLite has one writer)."""
    done = session.execute(
        update(CredentialRow)
        .where(CredentialRow.user_id == user_id,
               or_(CredentialRow.totp_last_step.is_(None), CredentialRow.totp_last_step < step))
        .values(totp_last_step=step)
        .execution_options(synchronize_session="fetch"))
    return getattr(done, "rowcount", 0) == 1


def last_totp_step(session: Session, user_id: str) -> int | None:
    row = session.get(CredentialRow, user_id)
    return None if row is None else row.totp_last_step


@dataclass(frozen=True, slots=True)
class WebSession:
    user_id: str
    csrf: str
    expires_at: datetime


def open_session(session: Session, token_sha256: str, user_id: str, csrf: str, at: datetime,
                 expires_at: datetime, id_token: str | None = None) -> None:
    session.add(WebSessionRow(token_sha256=token_sha256, user_id=user_id, csrf=csrf, created_at=at,
                              expires_at=expires_at, id_token=id_token))
    session.flush()


def get_session(session: Session, token_sha256: str) -> WebSession | None:
    r = session.get(WebSessionRow, token_sha256)
    return None if r is None else WebSession(r.user_id, r.csrf, r.expires_at)


def close_session(session: Session, token_sha256: str) -> str | None:
    """End the session; the provider's ID token it was opened with, if any (for the provider's logout)."""
    row = session.get(WebSessionRow, token_sha256)
    if row is None:
        return None
    id_token = row.id_token
    session.delete(row)
    session.flush()
    return id_token


def close_sessions_of(session: Session, user_id: str) -> None:
    session.execute(delete(WebSessionRow).where(WebSessionRow.user_id == user_id))
    session.flush()


@dataclass(frozen=True, slots=True)
class MachineClient:
    client_id: str
    agency_id: str
    secret_hash: str


def add_client(session: Session, client_id: str, agency_id: str, secret_hash: str, at: datetime) -> None:
    session.add(MachineClientRow(client_id=client_id, agency_id=agency_id, secret_hash=secret_hash,
                                 created_at=at))
    session.flush()


def get_client(session: Session, client_id: str) -> MachineClient | None:
    r = session.get(MachineClientRow, client_id)
    return None if r is None else MachineClient(r.client_id, r.agency_id, r.secret_hash)


def add_token(session: Session, token_sha256: str, client_id: str, expires_at: datetime) -> None:
    session.add(MachineTokenRow(token_sha256=token_sha256, client_id=client_id, expires_at=expires_at))
    session.flush()


def token_client(session: Session, token_sha256: str, at: datetime) -> MachineClient | None:
    r = session.get(MachineTokenRow, token_sha256)
    if r is None or r.expires_at <= at:
        return None
    return get_client(session, r.client_id)
