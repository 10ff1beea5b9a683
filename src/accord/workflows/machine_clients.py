"""Agency nodes as machine clients of the service (issue 20): OAuth2 client credentials, as Ed-Fi APIs
use them. A client belongs to one agency and acts only for it; its secret (256 random bits) is shown
once and kept as an argon2id hash; a token lasts an hour and the store keeps its SHA-256."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy.orm import Session

from accord.errors import AccordError
from accord.store.repositories import credentials as repo
from accord.store.repositories.agencies import get_agency

TOKEN_MINUTES = 60
_HASHER = PasswordHasher()


class ClientRefused(AccordError, PermissionError):
    """Unknown client, wrong secret, or an expired or unknown token: the same words for each."""


class ClientInvalid(AccordError, ValueError):
    """A client asked for an agency that is not registered."""


@dataclass(frozen=True, slots=True)
class NodeClient:
    client_id: str
    agency_id: str


def register_client(session: Session, agency_id: str, at: datetime) -> tuple[str, str]:
    """(client id, secret) for a new client of `agency_id`; the secret is not kept."""
    if get_agency(session, agency_id) is None:
        raise ClientInvalid(f"agency {agency_id} is not registered")
    client_id = f"node-{agency_id}-{secrets.token_hex(4)}"
    secret = secrets.token_urlsafe(32)
    repo.add_client(session, client_id, agency_id, _HASHER.hash(secret), at)
    return client_id, secret


def issue_token(session: Session, client_id: str, secret: str, at: datetime) -> tuple[str, int]:
    """(access token, seconds it lasts) for a client's credentials."""
    client = repo.get_client(session, client_id)
    try:
        good = client is not None and bool(_HASHER.verify(client.secret_hash, secret))
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        good = False
    if client is None or not good:
        raise ClientRefused("invalid client credentials")
    token = secrets.token_urlsafe(32)
    repo.add_token(session, hashlib.sha256(token.encode()).hexdigest(), client.client_id,
                   at + timedelta(minutes=TOKEN_MINUTES))
    return token, TOKEN_MINUTES * 60


def client_of(session: Session, token: str | None, at: datetime) -> NodeClient:
    found = repo.token_client(session, hashlib.sha256(token.encode()).hexdigest(), at) if token else None
    if found is None:
        raise ClientRefused("a bearer token from /api/v1/token is needed (or it expired)")
    return NodeClient(found.client_id, found.agency_id)


def acting_for(client: NodeClient, agency_id: str) -> None:
    """A client acts only for its own agency."""
    if client.agency_id != agency_id:
        raise ClientForbidden(f"client {client.client_id} acts for {client.agency_id}, not {agency_id}")


class ClientForbidden(AccordError, PermissionError):
    """A client acting for an agency not its own."""
