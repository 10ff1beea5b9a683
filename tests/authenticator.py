"""A person's authenticator app, for the tests: TOTP codes as a phone shows them, each of a time step
the service has not yet taken from that person (a code works once: accord.workflows.totp), and the
clock the service checks sign-ins at (`create_app(..., clock=Authenticator())`).

The service takes the code of one step ahead of its clock, so a second sign-in within the same half
minute has its code at once; a third would wait for the next step. In process, the service's sign-in
clock is the authenticator's, which moves a step ahead instead of waiting (sessions, lockouts and the
code's step all go by it, as they would half a minute later); a service whose clock is the wall clock
(another process, or an app made without one) gets its code after the wait."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from typing import Any

from accord.workflows.totp import next_code


class Authenticator:
    """Codes for any number of secrets (each secret is one person's), and the sign-in clock they go by."""

    def __init__(self, moves_clock: bool = True) -> None:
        self.moves_clock = moves_clock
        self.ahead = timedelta(0)
        self.last: dict[str, int] = {}  # by secret: the step of the last code given

    def __call__(self) -> datetime:
        """The service's sign-in clock: naive UTC, as accord.api.deps.now."""
        return datetime.now(UTC).replace(tzinfo=None) + self.ahead

    def code(self, secret: str) -> str:
        """The next code for `secret`: of a step later than any given before, usable now."""
        at = self()
        upcoming = next_code(secret, self.last.get(secret), at)
        if upcoming.usable_from > at:
            if self.moves_clock:
                self.ahead += upcoming.usable_from - at
            else:
                time.sleep((upcoming.usable_from - at).total_seconds())
        self.last[secret] = upcoming.step
        return upcoming.code


WALL = Authenticator(moves_clock=False)  # for a service on the wall clock: waits when it must


def code_for(app: Any, secret: str) -> str:
    """The next code for `secret` at the service `app` (accord.api.create_app's), by its sign-in clock."""
    clock = getattr(app.state, "clock", None)
    return (clock if isinstance(clock, Authenticator) else WALL).code(secret)
