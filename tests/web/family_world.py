"""A county for the family's pages: the synthetic county (accord.synth) stored as the demo stores it,
dated today, with the families the demo gives sign-ins to: parent.lea.1 of the children of the
featured consents "consented" and "revoked", parent.lea.2 of another child ("dual"), and the eligible
student student.lea.1 ("just18"); the school's records officer, and the health department's."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import pyotp
from fastapi.testclient import TestClient
from sqlalchemy import text

from accord.api.deps import now
from accord.config import Settings
from accord.store.db import make_engine, make_session_factory, session_scope
from accord.synth import build_county
from accord.web import create_site
from accord.workflows.demo_store import store_county
from accord.workflows.family import record_guardianship
from accord.workflows.signin import enable_second_factor, set_password

PASSWORD = "a long synthetic passphrase"
OFFICER = "ro.lea.1"
OFFICERS = (OFFICER, "ro.health.1")  # records officers sign in with a second factor
FAMILIES = {"parent.lea.1": ("ferpa-featured-consented", "ferpa-featured-revoked"),
            "parent.lea.2": ("ferpa-featured-dual",), "student.lea.1": ("ferpa-featured-just18",)}
PEOPLE = (*OFFICERS, "cw.health.1", *FAMILIES)


@dataclass
class FamilyWorld:
    url: str
    client: TestClient
    codes: dict[str, str]  # officer -> TOTP key
    child_of: dict[str, str]  # consent id -> its student's id

    def sign_in(self, user: str) -> None:
        self.client.cookies.clear()
        form = self.client.get("/sign-in").text
        value = re.search(r'name="form_value" value="([^"]+)"', form)
        assert value
        code = pyotp.TOTP(self.codes[user]).now() if user in self.codes else ""
        got = self.client.post("/sign-in", data={"user": user, "password": PASSWORD, "code": code,
                                                 "form_value": value.group(1), "next": "/"},
                               follow_redirects=False)
        assert got.status_code == 303, got.text

    def csrf(self, path: str = "/") -> str:
        found = re.search(r'name="csrf_token" value="([^"]+)"', self.client.get(path).text)
        assert found
        return found.group(1)

    def count(self, table: str) -> int:
        engine = make_engine(self.url)
        try:
            with engine.connect() as conn:
                return int(conn.execute(text(f"SELECT count(*) FROM {table}")).scalar_one())
        finally:
            engine.dispose()

    def get(self, path: str, **kw: Any) -> Any:
        return self.client.get(path, **kw)


def build_family_world(root: Path) -> FamilyWorld:
    url = f"sqlite:///{root / 'accord.db'}"
    # A month back, so that the student who "turned 18 three days ago" surely holds the rights today (the hub
    # knows only the month of the 18th birthday, ADR 0016).
    county = build_county(7, 200, as_of=now().date() - timedelta(days=40))
    engine = make_engine(url)
    store_county(engine, county)
    child_of = {c.id: c.student_id for c in county.consents}
    with session_scope(make_session_factory(engine)) as session:
        for user, consents in FAMILIES.items():
            for consent_id in consents:
                record_guardianship(session, OFFICER, user, child_of[consent_id], now())
        for user in PEOPLE:
            set_password(session, user, PASSWORD)
        codes = {user: enable_second_factor(session, user) for user in OFFICERS}
    engine.dispose()
    site = create_site(Settings(data_dir=root, database_url=url), secure_cookies=False)
    return FamilyWorld(url, TestClient(site), codes, child_of)
