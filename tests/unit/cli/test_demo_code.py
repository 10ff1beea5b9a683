"""`accord users demo-code` stands in for a demo officer's authenticator app: as a code works once, each
code it prints is one the service has not yet taken from the account, so the officer can sign in
again at once (the service takes the next step's code), with the key from the demo's sign-ins file."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime

from accord.cli.demo_signins import sign_ins_file
from accord.secret_files import create_secret
from accord.store.db import make_engine, make_session_factory, session_scope
from accord.workflows.signin import Opened, SignInRefused, sign_in
from tests.unit.cli.conftest import Cli

OFFICER = "u-officer"


def _sign_in(url: str, code: str) -> Opened | SignInRefused:
    engine = make_engine(url)
    try:
        with session_scope(make_session_factory(engine)) as session:
            return sign_in(session, OFFICER, "a long synthetic passphrase", code,
                           datetime.now(UTC).replace(tzinfo=None))
    finally:
        engine.dispose()


def test_each_demo_code_is_one_not_used_yet(ready: Cli, db_url: str) -> None:
    password = ready.data_dir.parent / "password.txt"
    password.write_text("a long synthetic passphrase\n")
    ready.ok("users", "password", OFFICER, "--password-file", str(password))
    key = re.search(r"once: (\w+)", ready.ok("users", "second-factor", OFFICER).output)
    assert key
    body = {OFFICER: {"role": "records officer", "password": "-", "second_factor": key.group(1)},
            "u-nurse": {"role": "caseworker", "password": "-", "second_factor": None}}
    create_secret(sign_ins_file(ready.data_dir), json.dumps(body).encode(), OSError, "demo sign-ins file")

    first = ready.ok("users", "demo-code", OFFICER).stdout.strip()
    assert isinstance(_sign_in(db_url, first), Opened)
    assert isinstance(_sign_in(db_url, first), SignInRefused), "a code works once"
    second = ready.ok("users", "demo-code", OFFICER).stdout.strip()
    assert second != first and isinstance(_sign_in(db_url, second), Opened), "the next one, at once"
    no_factor = ready("users", "demo-code", "u-nurse")
    assert no_factor.exit_code != 0 and "not a demo account with a second factor" in no_factor.output
