"""Sign-in through an agency's OpenID Connect provider (issue 20): which provider identity (issuer,
subject) is which Accord user, recorded by an administrator, never guessed from an e-mail address
or a name; and the sign-ins under way, held by the SHA-256 of the value only the browser's cookie
holds (the state of a trip to the provider, or the ticket of a second-factor step after it)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from accord.store.models.base import Base
from accord.store.types import Id, NaiveUtcDateTime

PROVIDER_VALUE = String(255)  # an issuer URL; a subject (OIDC Core 2: at most 255 ASCII characters)


class OidcIdentityRow(Base):
    __tablename__ = "oidc_identities"
    issuer: Mapped[str] = mapped_column(PROVIDER_VALUE, primary_key=True)
    subject: Mapped[str] = mapped_column(PROVIDER_VALUE, primary_key=True)
    user_id: Mapped[str] = mapped_column(Id, ForeignKey("users.id"), index=True)
    recorded_by: Mapped[str] = mapped_column(Id, ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(NaiveUtcDateTime)


class OidcPendingRow(Base):
    """A trip to the provider (nonce and PKCE verifier; no user yet), or, after it, a user who still
    owes the second factor's code (user_id; no nonce, no verifier). Used once, minutes long."""

    __tablename__ = "oidc_pending"
    key_sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    nonce: Mapped[str | None] = mapped_column(String(64))
    code_verifier: Mapped[str | None] = mapped_column(String(128))
    user_id: Mapped[str | None] = mapped_column(Id, ForeignKey("users.id"))
    expires_at: Mapped[datetime] = mapped_column(NaiveUtcDateTime, index=True)
    id_token: Mapped[str | None] = mapped_column(Text)  # the second-factor step's, for the session it opens
