"""A second-factor code works once (issue 20, security): a records officer's code captured on its way
(over a shoulder, in a proxy's log, by a phishing page) and sent again in a second sign-in within its
half minute is refused in the words of any wrong code, counts toward the lockout like one, and leaves
nothing that looks like a success: no session, no cookie, the step not taken again, nothing of the
person or the code in the request log. On SQLite and PostgreSQL, over the service on the wall clock,
with codes made here by pyotp itself (not by the service's own code)."""

from __future__ import annotations

import io
import json
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyotp
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from accord.api import create_app
from accord.api.deps import COOKIE
from accord.config import Settings
from accord.domain.agencies import Agency, AgencyKind, Role, User
from accord.store.db import make_engine, make_session_factory, session_scope
from accord.store.migrate import upgrade_to_head
from accord.workflows.registry import register_agency, register_user
from accord.workflows.signin import FREE_FAILURES, REFUSED, enable_second_factor, set_password

OFFICER, PASSWORD = "ro.replay", "a long synthetic passphrase"


@dataclass
class Office:
    app: Any
    url: str
    secret: str
    log: io.StringIO

    def sign_in(self, code: str, password: str = PASSWORD) -> Any:
        """A fresh browser's sign-in as the officer with `code`."""
        return TestClient(self.app).post("/api/v1/session",
                                         json={"user": OFFICER, "password": password, "code": code})

    def stored(self, query: str) -> Any:
        engine = make_engine(self.url)
        try:
            with engine.connect() as conn:
                return conn.execute(text(query)).one()
        finally:
            engine.dispose()


@pytest.fixture
def office(db_url: str, tmp_path: Path) -> Iterator[Office]:
    engine = make_engine(db_url)
    upgrade_to_head(engine)
    with session_scope(make_session_factory(engine)) as session:
        register_agency(session, Agency("lea", "School district", AgencyKind.EDUCATION))
        register_user(session, User(OFFICER, "lea", Role.RECORDS_OFFICER))
        set_password(session, OFFICER, PASSWORD)
        secret = enable_second_factor(session, OFFICER)
    engine.dispose()
    log = io.StringIO()
    app = create_app(Settings(data_dir=tmp_path, database_url=db_url), secure_cookies=False, log_stream=log)
    yield Office(app, db_url, secret, log)
    app.state.engine.dispose()


def _now_code(totp: pyotp.TOTP) -> tuple[str, int]:
    """The code an authenticator shows now, and its time step."""
    at = time.time()
    return totp.at(at), totp.timecode(at)  # type: ignore[arg-type]


def _next_code(totp: pyotp.TOTP) -> str:
    """The code the authenticator shows half a minute from now: a later step, which the service takes
    at once (its window is a step either side)."""
    return totp.at(time.time() + totp.interval)


def test_a_captured_code_replayed_in_a_second_sign_in_is_refused_and_nothing_succeeds(office: Office) -> None:
    totp = pyotp.TOTP(office.secret)
    captured, step = _now_code(totp)
    first = office.sign_in(captured)
    assert first.status_code == 200, first.text
    assert office.stored("SELECT totp_last_step, failures FROM credentials") == (step, 0)

    attacker = TestClient(office.app)
    replayed = attacker.post("/api/v1/session",
                             json={"user": OFFICER, "password": PASSWORD, "code": captured})
    wrong = office.sign_in(next(c for c in ("000000", "111111") if c != captured))
    assert replayed.status_code == wrong.status_code == 401
    assert replayed.json() == wrong.json() and replayed.json()["detail"] == REFUSED, "a wrong code's words"
    assert COOKIE not in replayed.cookies and attacker.get("/api/v1/me").status_code == 401
    assert office.stored("SELECT count(*) FROM web_sessions") == (1,), "only the officer's own session"
    assert office.stored("SELECT totp_last_step, failures FROM credentials") == (step, 2), \
        "the replay counted as a failure, as the wrong code did; the step was not taken again"
    lines = [json.loads(line) for line in office.log.getvalue().splitlines()]
    assert [line["status"] for line in lines] == [200, 401, 401, 401], lines
    assert all(line["route"] == "/api/v1/session" for line in lines[:3])
    for value in (OFFICER, PASSWORD, captured, office.secret):
        assert value not in office.log.getvalue()

    following = _next_code(totp)
    assert office.sign_in(following).status_code == 200, "the officer's next code still signs in"
    assert office.stored("SELECT failures FROM credentials") == (0,)
    assert office.sign_in(following).status_code == 401, "and works once too"


def test_replays_count_toward_the_lockout_like_wrong_codes(office: Office) -> None:
    totp = pyotp.TOTP(office.secret)
    captured, _ = _now_code(totp)
    assert office.sign_in(captured).status_code == 200
    for _ in range(FREE_FAILURES + 1):
        assert office.sign_in(captured).status_code == 401
    failures, locked_until = office.stored("SELECT failures, locked_until FROM credentials")
    assert failures == FREE_FAILURES + 1 and locked_until is not None, "locked out, as after wrong codes"
    assert office.sign_in(_next_code(totp)).status_code == 401, "during the lockout no code is checked"
    assert office.stored("SELECT failures, totp_last_step FROM credentials")[0] == FREE_FAILURES + 1
