"""What the pages' tests (issue 21) share: a TestClient over the site (accord.web.create_site), people
given a password (and a second factor) to sign in with, signing in as a person does, through the
sign-in page (its hidden form value, and a fresh TOTP code of those with a second factor), the session's
CSRF token as a page carries it, a look into the store behind the pages, and a study hub to serve."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any, TextIO, TypeVar

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from accord.config import Settings
from accord.store.db import make_engine, make_session_factory, session_scope
from accord.web import create_site
from accord.workflows.signin import enable_second_factor, set_password
from tests.attacks.study_world import StudyHub, school
from tests.authenticator import Authenticator, code_for

PASSWORD = "a long synthetic passphrase"
T = TypeVar("T")


def site_client(settings: Settings, log_stream: TextIO | None = None) -> TestClient:
    """The pages (and the API) over `settings`' store, with cookies a test client sends back, signing in
    by an authenticator's clock (tests/authenticator.py)."""
    return TestClient(create_site(settings, secure_cookies=False, log_stream=log_stream,
                                  clock=Authenticator()))


def study_hub(root: Path) -> tuple[StudyHub, list[dict[str, Any]]]:
    """The attacks' study hub (tests/attacks/study_world.py) in `root` with the study "study-pages" of
    the school's children, released without review: the hub, and the children's rows."""
    hub = StudyHub(root, f"sqlite:///{root / 'accord.db'}")
    rows, _ = school()
    hub.study("pages", rows, {"review": "none"})
    return hub, rows


def give_sign_ins(session: Session, people: Iterable[str], second_factor: Iterable[str] = (),
                  password: str = PASSWORD) -> dict[str, str]:
    """`people` given `password`, and those of `second_factor` a TOTP key too: their keys, by user."""
    for user in people:
        set_password(session, user, password)
    return {user: enable_second_factor(session, user) for user in second_factor}


def page_sign_in(client: TestClient, user: str, secrets: Mapping[str, str] | None = None,
                 password: str = PASSWORD, next_page: str = "/") -> Any:
    """The sign-in page's answer to `user` (with the next TOTP code of their key in `secrets`, if any),
    from a fresh browser: no session before."""
    client.cookies.clear()
    value = re.search(r'name="form_value" value="([^"]+)"', client.get("/sign-in").text)
    assert value
    secret = (secrets or {}).get(user)
    code = code_for(client.app, secret) if secret else ""
    return client.post("/sign-in", data={"user": user, "password": password, "code": code,
                                         "form_value": value.group(1), "next": next_page},
                       follow_redirects=False)


def csrf_of(client: TestClient, path: str = "/") -> str:
    """The session's CSRF token, as the page at `path` carries it in its forms."""
    found = re.search(r'name="csrf_token" value="([^"]+)"', client.get(path).text)
    assert found
    return found.group(1)


def read(url: str, what: Callable[[Session], T]) -> T:
    """`what` of the store at `url`, read in a session of its own."""
    engine = make_engine(url)
    try:
        with session_scope(make_session_factory(engine)) as session:
            return what(session)
    finally:
        engine.dispose()


class PageClient:
    """A browser on the pages: `client`, and the TOTP keys of the people with a second factor."""

    def __init__(self, client: TestClient, secrets: Mapping[str, str] | None = None) -> None:
        self.client, self.secrets = client, dict(secrets or {})

    def sign_in(self, user: str) -> None:
        got = page_sign_in(self.client, user, self.secrets)
        assert got.status_code == 303, got.text

    def csrf(self, path: str = "/") -> str:
        return csrf_of(self.client, path)
