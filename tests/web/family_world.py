"""A county for the family's pages: the synthetic county (accord.synth) stored as the demo stores it,
dated today, with the families the demo gives sign-ins to: parent.lea.1 of the children of the
featured consents "consented" and "revoked", parent.lea.2 of another child ("dual"), and the eligible
student student.lea.1 ("just18"); the school's records officer, and the health department's."""

from __future__ import annotations

import re
from datetime import timedelta
from html import unescape
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import text

from accord.api.deps import now
from accord.config import Settings
from accord.store.db import make_engine, make_session_factory, session_scope
from accord.synth import build_county
from accord.workflows.demo_store import store_county
from accord.workflows.family import record_guardianship
from tests.web.pages_client import PASSWORD, PageClient, give_sign_ins, read, site_client

OFFICER = "ro.lea.1"
OFFICERS = (OFFICER, "ro.health.1")  # records officers sign in with a second factor
FAMILIES = {"parent.lea.1": ("ferpa-featured-consented", "ferpa-featured-revoked"),
            "parent.lea.2": ("ferpa-featured-dual",), "student.lea.1": ("ferpa-featured-just18",)}
PEOPLE = (*OFFICERS, "cw.health.1", *FAMILIES)


class FamilyWorld(PageClient):
    def __init__(self, url: str, client: TestClient, codes: dict[str, str], child_of: dict[str, str]) -> None:
        super().__init__(client, codes)  # officer -> TOTP key
        self.url = url
        self.child_of = child_of  # consent id -> its student's id

    def count(self, table: str) -> int:
        query = text(f"SELECT count(*) FROM {table}")
        return read(self.url, lambda session: int(session.execute(query).scalar_one()))

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
        codes = give_sign_ins(session, PEOPLE, OFFICERS, PASSWORD)
    engine.dispose()
    return FamilyWorld(url, site_client(Settings(data_dir=root, database_url=url)), codes, child_of)


def page_text(html: str) -> str:
    """A page's text as a reader sees it: tags dropped, entities read, spaces folded."""
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


def preview_row(html: str, recipient: str, purpose: str) -> str:
    """The child page's preview row for this recipient and purpose ("" when there is none)."""
    table = html[html.index('id="preview"'):html.index('id="history"')]
    for row in re.findall(r"<tr>(.*?)</tr>", table, re.S):
        text = page_text(row)
        if recipient in text and purpose in text:
            return text
    return ""
