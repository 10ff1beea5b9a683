"""Case requests and the family's view through the service (issue 20), over the case-release
county (tests/workflows/case_county.py, built through the command line): a caseworker asks as on
the command line and sees only their own requests; a parent sees only their own child's history
and consents, revokes one and sees its effect; asking about another family's child is "not found"
in the words of an id that does not exist, and leaves no trace."""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from accord.api import create_app
from accord.config import Settings
from accord.domain.agencies import Role, User
from accord.store.db import make_engine, make_session_factory, session_scope
from accord.store.repositories.agencies import save_user
from accord.store.repositories.ledger import size
from accord.workflows.signin import enable_second_factor, set_password
from tests.authenticator import Authenticator, code_for
from tests.workflows.case_county import County, agreement_of, build_county, use_hub

PASSWORD = "a long synthetic passphrase"
PEOPLE = {"cw.health": None, "cw.labor": None, "parent.1": None, "parent.2": None, "ro.lea": "2fa"}
USERS = (User("ro.lea", "lea", Role.RECORDS_OFFICER), User("parent.2", "lea", Role.PARENT))


class World:
    def __init__(self, county: County, client: TestClient, secrets: dict[str, str]) -> None:
        self.county, self.client, self.secrets = county, client, secrets

    def sign_in(self, user: str) -> str:
        code = code_for(self.client.app, self.secrets[user]) if user in self.secrets else None
        self.client.cookies.clear()
        got = self.client.post("/api/v1/session", json={"user": user, "password": PASSWORD, "code": code})
        assert got.status_code == 200, got.text
        return str(got.json()["csrf"])

    def ledger_size(self) -> int:
        engine = make_engine(self.county.db_url)
        try:
            with session_scope(make_session_factory(engine)) as session:
                return size(session)
        finally:
            engine.dispose()

    def ask(self, csrf: str, child: str, fields: str = "attendance") -> Any:
        ref = Path(self.county.encoded(self.county.describe(child), agreement_of("cw.health")))
        return self.client.post("/api/v1/cases", headers={"X-CSRF-Token": csrf},
                                data={"source": "lea", "purpose": "supportive_services", "fields": fields},
                                files={"student_ref": ("child.parquet", ref.read_bytes())})


def case_county(patch: pytest.MonkeyPatch, root: Path, people: Mapping[str, str | None] = PEOPLE,
                users: Sequence[User] = USERS) -> tuple[County, dict[str, str], Settings]:
    """The case-release county in `root` (its hub's settings patched in), `users` added and `people`
    given PASSWORD (and a second factor when marked): the county, the second factors' keys, and the
    settings to serve it (the API's tests and the caseworker's pages share it)."""
    url = f"sqlite:///{root / 'accord.db'}"
    use_hub(patch, root, url)
    county = build_county(root, url)
    engine = make_engine(url)
    secrets = {}
    with session_scope(make_session_factory(engine)) as session:
        for added in users:
            save_user(session, added)
        for user, factor in people.items():
            set_password(session, user, PASSWORD)
            if factor:
                secrets[user] = enable_second_factor(session, user)
    engine.dispose()
    settings = Settings(data_dir=Path(os.environ["ACCORD_DATA_DIR"]), database_url=url,
                        content_key_file=root / "content.key")
    return county, secrets, settings


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    with pytest.MonkeyPatch.context() as patch:
        county, secrets, settings = case_county(patch, tmp_path_factory.mktemp("case-api"))
        yield World(county, TestClient(create_app(settings, secure_cookies=False, clock=Authenticator())),
                    secrets)


def test_a_caseworker_asks_through_the_api_and_sees_only_their_own_requests(world: World) -> None:
    csrf = world.sign_in("cw.health")
    got = world.ask(csrf, "consented", "attendance,grades")
    assert got.status_code == 200, got.text
    release = got.json()
    assert release["permitted"] and release["identification"] == "found"
    assert {i["element"] for i in release["released"]} == {"attendance", "grades"}
    assert "may not disclose them to anyone else" in release["redisclosure_notice"]
    refused = world.ask(csrf, "no_consent")
    assert refused.status_code == 200 and not refused.json()["permitted"]
    bad = world.client.post("/api/v1/cases", headers={"X-CSRF-Token": csrf},
                            data={"source": "lea", "purpose": "supportive_services", "fields": "shoe_size"},
                            files={"student_ref": ("c.parquet", b"x")})
    assert bad.status_code == 400 and "fields: unknown data element(s): shoe_size" in bad.json()["detail"]

    mine = world.client.get("/api/v1/cases").json()
    assert [(m["ledger_entry"], m["effect"]) for m in mine] == [
        (release["ledger_entry"], "permit"), (refused.json()["ledger_entry"], "deny")]
    assert mine[0]["released"] == ["attendance", "grades"] and mine[1]["refused_because"]
    world.sign_in("cw.labor")
    assert world.client.get("/api/v1/cases").json() == []


def test_a_parent_sees_only_their_child_and_revoking_consent_stops_the_next_release(world: World) -> None:
    child, other = world.county.student_of["consented"], world.county.student_of["no_consent"]
    csrf = world.sign_in("ro.lea")
    for parent, student in (("parent.1", child), ("parent.2", other)):
        got = world.client.post("/api/v1/guardianships", headers={"X-CSRF-Token": csrf},
                                json={"family_user": parent, "student_id": student})
        assert got.status_code == 200 and got.json() == {"recorded": True}, got.text

    csrf = world.sign_in("parent.1")
    assert world.client.get("/api/v1/children").json() == {"children": [child]}
    history = world.client.get(f"/api/v1/children/{child}/disclosures").json()
    assert any("attendance" in line["sentence"] for line in history), history
    shared = world.client.get(f"/api/v1/children/{child}/preview").json()
    assert any(x["recipient"] == "health" and "attendance" in x["elements"] for x in shared), shared
    before = world.ledger_size()
    for path in (f"/api/v1/children/{other}/disclosures", f"/api/v1/children/{other}/consents",
                 f"/api/v1/children/{other}/preview",
                 "/api/v1/children/no-such-child/disclosures"):
        got = world.client.get(path)
        assert got.status_code == 404 and got.json()["detail"] == "no such student among yours", path
    sneaky = world.client.post(f"/api/v1/children/{other}/consents/any/revocation",
                               headers={"X-CSRF-Token": csrf})
    assert sneaky.status_code == 404 and world.ledger_size() == before

    consents = world.client.get(f"/api/v1/children/{child}/consents").json()
    in_force = [c for c in consents if c["in_force"] and "health" in c["recipients"]]
    assert in_force, consents
    for c in in_force:
        revoked = world.client.post(f"/api/v1/children/{child}/consents/{c['id']}/revocation",
                                    headers={"X-CSRF-Token": csrf})
        assert revoked.status_code == 200 and not revoked.json()["in_force"], revoked.text
    assert world.ledger_size() == before + len(in_force)

    again = world.ask(world.sign_in("cw.health"), "consented")
    assert again.status_code == 200 and not again.json()["permitted"], again.text
    world.sign_in("parent.1")
    sentences = " ".join(line["sentence"] for line in
                         world.client.get(f"/api/v1/children/{child}/disclosures").json())
    assert "you withdrew" in sentences or "had been withdrawn" in sentences, sentences
