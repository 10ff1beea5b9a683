"""Provider identities linked to users, and OIDC sign-ins under way (store.models.oidc)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from accord.store.models.oidc import OidcIdentityRow, OidcPendingRow


def linked_user(session: Session, issuer: str, subject: str) -> str | None:
    """The user an (issuer, subject) is linked to, if any."""
    row = session.get(OidcIdentityRow, (issuer, subject))
    return None if row is None else row.user_id


def save_link(session: Session, issuer: str, subject: str, user_id: str, by: str, at: datetime) -> None:
    session.add(OidcIdentityRow(issuer=issuer, subject=subject, user_id=user_id, recorded_by=by,
                                recorded_at=at))
    session.flush()


@dataclass(frozen=True, slots=True)
class Pending:
    nonce: str | None
    code_verifier: str | None
    user_id: str | None
    expires_at: datetime
    id_token: str | None = None  # a second-factor step's: the provider's, for the session's logout


def add_pending(session: Session, key_sha256: str, pending: Pending) -> None:
    session.add(OidcPendingRow(key_sha256=key_sha256, nonce=pending.nonce,
                               code_verifier=pending.code_verifier, user_id=pending.user_id,
                               expires_at=pending.expires_at, id_token=pending.id_token))
    session.flush()


def take_pending(session: Session, key_sha256: str) -> Pending | None:
    """The sign-in under way with this key, removed: each is used once, whatever comes of it."""
    row = session.get(OidcPendingRow, key_sha256)
    if row is None:
        return None
    found = Pending(row.nonce, row.code_verifier, row.user_id, row.expires_at, row.id_token)
    session.delete(row)
    session.flush()
    return found


def drop_expired(session: Session, at: datetime) -> None:
    session.execute(delete(OidcPendingRow).where(OidcPendingRow.expires_at <= at))
    session.flush()


def count_pending(session: Session) -> int:
    return int(session.execute(select(func.count()).select_from(OidcPendingRow)).scalar_one())
