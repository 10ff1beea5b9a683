"""Sign-in through the service's OpenID Connect provider (issue 20), beside the password: a person
an administrator linked by the provider's (issuer, subject), and no one else, gets the same session a
password sign-in gives (workflows.signin). An e-mail address or a name from the provider is never
asked for and never matched: a provider that let a user choose their address would otherwise let
them choose whose account they open.

- A trip to the provider: `begin` keeps its nonce and PKCE verifier under the SHA-256 of its state,
  which only the browser's cookie holds; `returned` takes them back once, whatever comes of it, so
  a state is never used twice. Both last `TRIP_MINUTES`.
- The second factor: records officers and administrators owe the TOTP code unless the ID token's
  `amr` says the provider did multi-factor authentication (`mfa`, RFC 8176). Then `vouched` keeps a
  ticket of `CODE_MINUTES` (a new value, not the state, which has been in a URL) and the code is
  checked, counted and locked out as at the password sign-in (`second_factor`).
- The session keeps the provider's ID token (a ticket keeps it until the code comes), so that signing
  out can send the browser to the provider's logout with it (workflows.signin.sign_out).
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from accord.domain.agencies import Role
from accord.errors import AccordError
from accord.store.repositories import oidc as repo
from accord.store.repositories.agencies import get_user
from accord.workflows.signin import REFUSED, SECOND_FACTOR, Opened, SignInRefused, sign_in_vouched

TRIP_MINUTES = 10
CODE_MINUTES = 5
MAX_PENDING = 10_000  # sign-ins under way at once; past it a new one waits (OidcBusy)
MFA = "mfa"  # RFC 8176: multiple-factor authentication; no single method's name counts for it
MAX_VALUE = 255  # an issuer or a subject, as the store keeps them (OIDC Core 2: a subject's limit)


class LinkRefused(AccordError, ValueError):
    """A link an administrator may not record."""


class OidcBusy(AccordError):
    """Too many sign-ins through the provider under way at once."""


@dataclass(frozen=True, slots=True)
class Trip:
    state: str  # for the provider and the browser's cookie; the store keeps its SHA-256
    nonce: str
    code_verifier: str


@dataclass(frozen=True, slots=True)
class CodeOwed:
    """The provider vouched for a records officer or an administrator without multi-factor: the
    TOTP code is owed, within CODE_MINUTES, with this ticket (for the browser's cookie)."""

    ticket: str


def _sha(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8")).hexdigest()


def link_identity(session: Session, by: str, user_id: str, issuer: str, subject: str, at: datetime) -> bool:
    """An administrator says the provider's (issuer, subject) is `user_id`, of their own agency. False
    when it was already recorded; an identity linked to someone else is refused, naming no one."""
    admin, user = get_user(session, by), get_user(session, user_id)
    if admin is None or admin.role is not Role.ADMINISTRATOR:
        raise LinkRefused("only an administrator links a provider identity to a user")
    if user is None or user.agency_id != admin.agency_id:
        raise LinkRefused("the user is not one of the administrator's agency's users")
    issuer, subject = issuer.strip(), subject.strip()
    if not issuer or not subject or len(issuer) > MAX_VALUE or len(subject) > MAX_VALUE:
        raise LinkRefused(f"an issuer and a subject are 1 to {MAX_VALUE} characters")
    linked = repo.linked_user(session, issuer, subject)
    if linked == user_id:
        return False
    if linked is not None:
        raise LinkRefused("that provider identity is linked to another user")
    repo.save_link(session, issuer, subject, user_id, by, at)
    return True


def begin(session: Session, at: datetime) -> Trip:
    """A new trip to the provider, kept for TRIP_MINUTES; OidcBusy past MAX_PENDING under way."""
    repo.drop_expired(session, at)
    if repo.count_pending(session) >= MAX_PENDING:
        raise OidcBusy("too many sign-ins through the identity provider are under way: try again in a "
                       "few minutes")
    trip = Trip(secrets.token_urlsafe(32), secrets.token_urlsafe(32), secrets.token_urlsafe(48))
    repo.add_pending(session, _sha(trip.state), repo.Pending(trip.nonce, trip.code_verifier, None,
                                                             at + timedelta(minutes=TRIP_MINUTES)))
    return trip


def returned(session: Session, state: str | None, at: datetime) -> Trip | None:
    """The trip this state began, taken (never again), if it is one and has not expired."""
    found = repo.take_pending(session, _sha(state)) if state else None
    if state is None or found is None or found.expires_at <= at or found.nonce is None \
            or found.code_verifier is None or found.user_id is not None:
        return None
    return Trip(state, found.nonce, found.code_verifier)


def vouched(session: Session, issuer: str, subject: str, amr: list[str], at: datetime,
            id_token: str | None = None) -> Opened | CodeOwed | SignInRefused:
    """The provider vouched for (issuer, subject) in `id_token` (accord.api.oidc_provider checked it): the
    linked user's session, or the TOTP code owed first, or the refusal (no link; the account gone)."""
    user_id = repo.linked_user(session, issuer, subject)
    user = get_user(session, user_id) if user_id else None
    if user is None:
        return SignInRefused(REFUSED)
    if user.role in SECOND_FACTOR and MFA not in amr:
        ticket = secrets.token_urlsafe(32)
        repo.add_pending(session, _sha(ticket), repo.Pending(None, None, user.id,
                                                             at + timedelta(minutes=CODE_MINUTES), id_token))
        return CodeOwed(ticket)
    return sign_in_vouched(session, user.id, None, MFA in amr, at, id_token)


def second_factor(session: Session, ticket: str | None, code: str | None, at: datetime
                  ) -> Opened | SignInRefused:
    """The TOTP code owed after `vouched`: the session, or the password sign-in's refusal (a wrong
    code counts toward the lockout). The ticket is used once, right or wrong."""
    found = repo.take_pending(session, _sha(ticket)) if ticket else None
    if found is None or found.user_id is None or found.expires_at <= at:
        return SignInRefused(REFUSED)
    return sign_in_vouched(session, found.user_id, code, False, at, found.id_token)
