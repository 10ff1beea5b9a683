"""Credentials and open sessions of the service's users (store.models.credentials)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete
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
        row.password_hash, row.totp_secret = c.password_hash, c.totp_secret
        row.failures, row.locked_until = c.failures, c.locked_until
    session.flush()


@dataclass(frozen=True, slots=True)
class WebSession:
    user_id: str
    csrf: str
    expires_at: datetime


def open_session(session: Session, token_sha256: str, user_id: str, csrf: str, at: datetime,
                 expires_at: datetime) -> None:
    session.add(WebSessionRow(token_sha256=token_sha256, user_id=user_id, csrf=csrf, created_at=at,
                              expires_at=expires_at))
    session.flush()


def get_session(session: Session, token_sha256: str) -> WebSession | None:
    r = session.get(WebSessionRow, token_sha256)
    return None if r is None else WebSession(r.user_id, r.csrf, r.expires_at)


def close_session(session: Session, token_sha256: str) -> None:
    session.execute(delete(WebSessionRow).where(WebSessionRow.token_sha256 == token_sha256))
    session.flush()


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
