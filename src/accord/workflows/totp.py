"""The second factor's codes (TOTP, RFC 6238, through pyotp): which 30-second time step a code is of,
and each step accepted once per user. A code of the step last accepted from a user, or of an earlier
one, is refused like a wrong code, so a code seen over a shoulder, in a proxy's log or by a phishing
page opens nothing once its owner has used it (workflows.signin counts the refusal as a failure)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

from accord.store.repositories import credentials as repo

if TYPE_CHECKING:
    from pyotp import TOTP

STEP_SECONDS = 30  # pyotp's and every authenticator app's default
WINDOW = 1  # steps either side of the service's clock: a phone's clock may be that far off


def _totp(secret: str) -> TOTP:
    import pyotp  # here, not at the top: the command line's other commands do without it

    return pyotp.TOTP(secret, interval=STEP_SECONDS)


def _step(at: datetime) -> int:
    """The time step of `at`, naive UTC as the store's times (pyotp would read a naive time as local)."""
    return int(at.replace(tzinfo=UTC).timestamp()) // STEP_SECONDS


def code_step(secret: str | None, code: str | None, at: datetime) -> int | None:
    """The step within WINDOW of `at` whose code `code` is, or None; each candidate compared in
    constant time."""
    from pyotp.utils import strings_equal

    if not (secret and code):
        return None
    totp, now = _totp(secret), _step(at)
    for step in range(now - WINDOW, now + WINDOW + 1):
        if strings_equal(code, totp.generate_otp(step)):
            return step
    return None


def accept_code(session: Session, user_id: str, secret: str | None, code: str | None, at: datetime) -> bool:
    """The code is right and of a step later than the last one accepted from the user; that step is
    then the last one (in the caller's transaction)."""
    step = code_step(secret, code, at)
    return step is not None and repo.claim_totp_step(session, user_id, step)


def last_code_step(session: Session, user_id: str) -> int | None:
    """The last step a code of the user was accepted for; None before their first."""
    return repo.last_totp_step(session, user_id)


@dataclass(frozen=True, slots=True)
class NextCode:
    code: str
    step: int
    usable_from: datetime  # naive UTC: when the service starts taking it


def next_code(secret: str, last_step: int | None, at: datetime) -> NextCode:
    """The code an authenticator shows next for a user whose last accepted step is `last_step`: that of
    the clock's step, or of the first later one, usable from `at`, or from the start of the step
    before it when the next step's code was already used (half a minute at most)."""
    step = max(_step(at), (last_step if last_step is not None else -1) + 1)
    usable = datetime.fromtimestamp((step - WINDOW) * STEP_SECONDS, UTC).replace(tzinfo=None)
    return NextCode(str(_totp(secret).at(step * STEP_SECONDS)), step, max(at, usable))
