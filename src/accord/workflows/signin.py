"""How a person signs in to the service (issue 20): a password (argon2id), a second factor (TOTP) for
records officers and administrators, a lockout that grows with each failure past the fifth, and a
session whose token only the person's cookie holds.

- A refusal says the same whatever was wrong (no such user, wrong password, wrong or missing code, a
  lockout), so sign-in cannot be used to learn who has an account: a lockout that said so would tell
  that the name it locked exists.
- A TOTP code works once (workflows.totp): one already used is refused, and counted, like a wrong one.
- The session's token is 256 random bits; the store keeps its SHA-256, so a copy of the database
  opens no session. Each session carries its own CSRF token, which every state-changing request must
  echo in a header.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy.orm import Session

from accord.domain.agencies import Role, User
from accord.errors import AccordError
from accord.store.repositories import credentials as repo
from accord.store.repositories.agencies import get_user
from accord.workflows.totp import accept_code

SECOND_FACTOR = frozenset({Role.RECORDS_OFFICER, Role.ADMINISTRATOR})
FREE_FAILURES = 5  # failures before the lockout starts; each further one doubles it
MAX_LOCK = timedelta(hours=24)
SESSION_HOURS = 8
REFUSED = ("the user name, password or code is wrong, or too many tries failed: check them, or wait a few "
           "minutes")
MIN_PASSWORD = 12
_HASHER = PasswordHasher()  # argon2id with the library's current parameters


class SignInRefused(AccordError, PermissionError):
    """Sign-in refused; the message names no account and no reason beyond a lockout's length."""


class NotSignedIn(AccordError, PermissionError):
    """No session, an expired one, or a state-changing request without its CSRF token."""


class CredentialInvalid(AccordError, ValueError):
    """A password too weak, or a second factor for a user who has no password yet."""


@dataclass(frozen=True, slots=True)
class Opened:
    token: str  # for the cookie; never stored
    csrf: str
    user: User
    expires_at: datetime


def _sha(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def set_password(session: Session, user_id: str, password: str) -> None:
    """Set (or replace) a user's password; their open sessions end, their lockout is lifted."""
    if get_user(session, user_id) is None:
        raise CredentialInvalid(f"{user_id} is not a registered user")
    if len(password) < MIN_PASSWORD:
        raise CredentialInvalid(f"a password needs at least {MIN_PASSWORD} characters")
    known = repo.get_credential(session, user_id)
    repo.save_credential(session, repo.Credential(user_id, _HASHER.hash(password),
                                                  known.totp_secret if known else None, 0, None))
    repo.close_sessions_of(session, user_id)


def enable_second_factor(session: Session, user_id: str) -> str:
    """A new TOTP secret for the user (returned once, for their authenticator app)."""
    import pyotp

    known = repo.get_credential(session, user_id)
    if known is None:
        raise CredentialInvalid(f"{user_id} has no password yet: set one first")
    secret = pyotp.random_base32()
    repo.save_credential(session, repo.Credential(user_id, known.password_hash, secret, known.failures,
                                                  known.locked_until))
    return secret


def sign_in(session: Session, user_id: str, password: str, code: str | None,
            at: datetime) -> Opened | SignInRefused:
    """Check the password (and the code where the role needs one); open a session. A refusal is
    returned, not raised: the failure it counts must be committed with the caller's transaction."""
    refused = SignInRefused(REFUSED)
    user = get_user(session, user_id)
    known = repo.get_credential(session, user_id) if user else None
    if user is None or known is None:
        _HASHER.hash(password)  # the same work as a real check: no timing tells who has an account
        return refused
    if known.locked_until is not None and known.locked_until > at:
        return refused  # not checked, not counted: trying during a lockout does not lengthen it
    good: bool
    try:
        good = bool(_HASHER.verify(known.password_hash, password))
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        good = False
    if good and user.role in SECOND_FACTOR:
        good = accept_code(session, user_id, known.totp_secret, code, at)
    if not good:
        _count_failure(session, known, at)
        return refused
    repo.save_credential(session, repo.Credential(user_id, known.password_hash, known.totp_secret, 0, None))
    return _open(session, user, at)


def sign_in_vouched(session: Session, user_id: str, code: str | None, mfa: bool, at: datetime,
                    id_token: str | None = None) -> Opened | SignInRefused:
    """Open a session for a user the service's identity provider vouched for (workflows.oidc): no
    password; where the role needs the second factor and the provider did not do one (`mfa`), the TOTP
    code, checked, counted and locked out as in `sign_in`. Returned, not raised, as there. The session
    keeps the provider's `id_token`, for its logout when the person signs out (`sign_out`)."""
    refused = SignInRefused(REFUSED)
    user = get_user(session, user_id)
    if user is None:
        return refused
    if user.role in SECOND_FACTOR and not mfa:
        known = repo.get_credential(session, user_id)
        if known is None or known.locked_until is not None and known.locked_until > at:
            return refused
        if not accept_code(session, user_id, known.totp_secret, code, at):
            _count_failure(session, known, at)
            return refused
        repo.save_credential(session, repo.Credential(user_id, known.password_hash, known.totp_secret, 0,
                                                      None))
    return _open(session, user, at, id_token)


def _count_failure(session: Session, known: repo.Credential, at: datetime) -> None:
    failures = known.failures + 1
    locked = None
    if failures > FREE_FAILURES:
        locked = at + min(MAX_LOCK, timedelta(minutes=2 ** (failures - FREE_FAILURES - 1)))
    repo.save_credential(session, repo.Credential(known.user_id, known.password_hash, known.totp_secret,
                                                  failures, locked))


def _open(session: Session, user: User, at: datetime, id_token: str | None = None) -> Opened:
    token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    expires = at + timedelta(hours=SESSION_HOURS)
    repo.open_session(session, _sha(token), user.id, csrf, at, expires, id_token)
    return Opened(token, csrf, user, expires)


def signed_in(session: Session, token: str | None, at: datetime) -> tuple[User, str]:
    """(the user, their session's CSRF token) for a session token, or NotSignedIn."""
    found = repo.get_session(session, _sha(token)) if token else None
    if found is None or found.expires_at <= at:
        raise NotSignedIn("sign in first (no session, or it expired)")
    user = get_user(session, found.user_id)
    if user is None:
        raise NotSignedIn("sign in first (the account is gone)")
    return user, found.csrf


def sign_out(session: Session, token: str | None) -> str | None:
    """End the session; the identity provider's ID token it was opened with, if it was opened through
    the provider (workflows.oidc), for the provider's own logout (its `id_token_hint`)."""
    return repo.close_session(session, _sha(token)) if token else None

