"""Each TOTP time step is accepted once per user (accord.workflows.totp), on SQLite and PostgreSQL:
two sign-ins racing with the same code open one session; a code of an earlier step than the last one
accepted is refused though still inside the window; a new secret starts afresh; and the code an
authenticator (or `accord users demo-code`) shows next is one the service has not taken."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta

import pyotp
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from accord.domain.agencies import Agency, AgencyKind, Role, User
from accord.store.models import WebSessionRow
from accord.workflows.registry import register_agency, register_user
from accord.workflows.signin import Opened, SignInRefused, enable_second_factor, set_password, sign_in
from accord.workflows.totp import STEP_SECONDS, code_step, last_code_step, next_code

OFFICER, PASSWORD = "ro.totp", "a long synthetic passphrase"
AT = datetime(2026, 12, 21, 9, 0, 10)  # naive UTC, 10 s into a step


def _officer(factory: sessionmaker[Session]) -> str:
    with factory.begin() as session:
        register_agency(session, Agency("lea", "School district", AgencyKind.EDUCATION))
        register_user(session, User(OFFICER, "lea", Role.RECORDS_OFFICER))
        set_password(session, OFFICER, PASSWORD)
        return enable_second_factor(session, OFFICER)


def _step(at: datetime) -> int:
    return int((at - datetime(1970, 1, 1)).total_seconds()) // STEP_SECONDS


def _code(secret: str, step: int) -> str:
    return pyotp.TOTP(secret).at(step * STEP_SECONDS)


def test_two_sign_ins_racing_with_one_code_open_one_session(session_factory: sessionmaker[Session]) -> None:
    """The first holds its transaction open; the second runs meanwhile (on PostgreSQL it reads the
    credential before the first commits, as a check-then-write would). It is refused all the same."""
    secret = _officer(session_factory)
    code = _code(secret, _step(AT))
    first = session_factory()
    assert isinstance(sign_in(first, OFFICER, PASSWORD, code, AT), Opened)
    outcome: list[Opened | SignInRefused] = []

    def second() -> None:
        with session_factory.begin() as session:
            outcome.append(sign_in(session, OFFICER, PASSWORD, code, AT + timedelta(seconds=1)))

    racer = threading.Thread(target=second)
    racer.start()
    racer.join(0.5)  # waiting on the first's lock (or not yet there): either way before its commit
    first.commit()
    first.close()
    racer.join(30)
    assert len(outcome) == 1 and isinstance(outcome[0], SignInRefused)
    with session_factory() as session:
        assert session.scalar(select(func.count()).select_from(WebSessionRow)) == 1
        assert last_code_step(session, OFFICER) == _step(AT)


def test_an_earlier_step_in_the_window_is_refused_after_a_later_one(
        session_factory: sessionmaker[Session]) -> None:
    secret = _officer(session_factory)
    now = _step(AT)
    with session_factory.begin() as session:
        assert isinstance(sign_in(session, OFFICER, PASSWORD, _code(secret, now + 1), AT), Opened)
    with session_factory.begin() as session:
        assert code_step(secret, _code(secret, now), AT) == now, "a right code, inside the window"
        assert isinstance(sign_in(session, OFFICER, PASSWORD, _code(secret, now), AT), SignInRefused)
    with session_factory.begin() as session:  # a step past the window is no code at all
        assert isinstance(sign_in(session, OFFICER, PASSWORD, _code(secret, now + 2), AT), SignInRefused)


def test_a_new_secret_starts_afresh(session_factory: sessionmaker[Session]) -> None:
    secret = _officer(session_factory)
    with session_factory.begin() as session:
        assert isinstance(sign_in(session, OFFICER, PASSWORD, _code(secret, _step(AT) + 1), AT), Opened)
        renewed = enable_second_factor(session, OFFICER)
        assert last_code_step(session, OFFICER) is None, "the steps used were the old secret's"
        assert isinstance(sign_in(session, OFFICER, PASSWORD, _code(renewed, _step(AT)), AT), Opened)
        old = _code(secret, _step(AT) + 1)
        assert isinstance(sign_in(session, OFFICER, PASSWORD, old, AT), SignInRefused)


def test_the_next_code_is_one_not_taken_and_says_when_it_works(
        session_factory: sessionmaker[Session]) -> None:
    secret = _officer(session_factory)
    now = _step(AT)
    fresh = next_code(secret, None, AT)
    assert (fresh.step, fresh.usable_from) == (now, AT)
    after_now = next_code(secret, now, AT)
    assert (after_now.step, after_now.usable_from) == (now + 1, AT), "the window takes it at once"
    later = next_code(secret, now + 1, AT)
    step_start = AT - timedelta(seconds=10)
    assert (later.step, later.usable_from) == (now + 2, step_start + timedelta(seconds=STEP_SECONDS))
    for shown in (fresh, after_now):  # one after the other, each signs in once
        with session_factory.begin() as session:
            assert isinstance(sign_in(session, OFFICER, PASSWORD, shown.code, AT), Opened)
    with session_factory.begin() as session:
        assert isinstance(sign_in(session, OFFICER, PASSWORD, later.code, later.usable_from), Opened)
