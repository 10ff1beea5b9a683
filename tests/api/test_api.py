"""The service (issue 20), first slice: sign-in, sessions and CSRF, problem details, and the route x
role matrix read from the route table (a route that declares no roles fails the test), over a real
store and a built study (the attack suite's synthetic school)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from accord.api import create_app
from accord.api.deps import NODE, now
from accord.config import Settings
from accord.domain.agencies import Role, User
from accord.store.db import make_engine, make_session_factory, session_scope
from accord.store.repositories.agencies import save_user
from accord.workflows.machine_clients import register_client
from accord.workflows.signin import enable_second_factor, set_password
from tests.attacks.study_world import ANALYST, DSS_OFFICER, OFFICER, StudyHub, school
from tests.authenticator import Authenticator, code_for

PASSWORD = "a long synthetic passphrase"
# One user per role (the decision table's world), the officers with a second factor.
PEOPLE = {Role.ANALYST: ANALYST, Role.RECORDS_OFFICER: OFFICER, Role.CASEWORKER: "cw.health",
          Role.ELIGIBILITY_WORKER: "ew.dss", Role.ADMINISTRATOR: "admin.lea", Role.PARENT: "parent.1",
          Role.ELIGIBLE_STUDENT: "student.1"}


Service = tuple[TestClient, StudyHub, dict[str, str]]


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Service]:
    root: Path = tmp_path_factory.mktemp("api")
    hub = StudyHub(root, f"sqlite:///{root / 'accord.db'}")
    rows, _ = school()
    run = hub.study("api", rows, {"review": "none"})
    secrets: dict[str, str] = {}
    with hub.session() as session:
        save_user(session, User("student.1", "lea", Role.ELIGIBLE_STUDENT))
        for user in {*PEOPLE.values(), DSS_OFFICER}:
            set_password(session, user, PASSWORD)
        for user in (OFFICER, DSS_OFFICER, "admin.lea"):
            secrets[user] = enable_second_factor(session, user)
    settings = Settings(data_dir=root, database_url=hub.url)
    client = TestClient(create_app(settings, secure_cookies=False, clock=Authenticator()))
    client.study_id = run.study_id  # type: ignore[attr-defined]
    yield client, hub, secrets


def sign_in(client: TestClient, user: str, secrets: dict[str, str], password: str = PASSWORD,
            code: str | None = "") -> Any:
    if code == "":
        code = code_for(client.app, secrets[user]) if user in secrets else None
    client.cookies.clear()
    return client.post("/api/v1/session", json={"user": user, "password": password, "code": code})


def operations(client: TestClient) -> list[tuple[str, str, list[str]]]:
    """(method, path, roles) of every operation in the published schema: the route table itself."""
    schema = client.get("/openapi.json").json()
    return [(method.upper(), path, op.get("x-accord-roles", []))
            for path, item in schema["paths"].items() for method, op in item.items()]


def _body_kind(client: TestClient, method: str, path: str) -> str:
    """The operation's request body as published: "multipart", "form", "json" or "" (none)."""
    op = client.get("/openapi.json").json()["paths"][path][method.lower()]
    content = op.get("requestBody", {}).get("content", {})
    return ("multipart" if "multipart/form-data" in content else "form"
            if "application/x-www-form-urlencoded" in content else "json" if content else "")


# A value for each path parameter; any other is "none" (an object that does not exist).
PATH_VALUES = {"release_id": "1", "agency_id": "dss"}


def _call(client: TestClient, method: str, path: str, csrf: str, bearer: str = "") -> int:
    kind = _body_kind(client, method, path)
    # A state-changing call names no real object (the matrix must not destroy the study the later
    # tests ask), only the node's own agency, so that the node's calls pass the agency check.
    values = ({**PATH_VALUES, "study_id": client.study_id} if method == "GET"  # type: ignore[attr-defined]
              else {"agency_id": PATH_VALUES["agency_id"]})
    for name in re.findall(r"{(\w+)}", path):
        path = path.replace(f"{{{name}}}", values.get(name, "none"))
    headers = {"X-CSRF-Token": csrf, **({"Authorization": f"Bearer {bearer}"} if bearer else {})}
    if kind == "multipart":
        files = {"encodings": ("e.parquet", b"not parquet"), "hub_copy": ("c.csv", b"sid\n")}
        return client.request(method, path, files=files, headers=headers).status_code
    if kind == "form":
        return client.request(method, path, data={"x": "y"}, headers=headers).status_code
    body = {"measures": ["count"], "group_by": ["grade"]} if kind == "json" else None
    return client.request(method, path, json=body, headers=headers).status_code


def node_token(client: TestClient, agency: str, hub: StudyHub) -> str:
    with hub.session() as session:
        client_id, secret = register_client(session, agency, now())
    got = client.post("/api/v1/token", data={"grant_type": "client_credentials", "client_id": client_id,
                                             "client_secret": secret})
    assert got.status_code == 200, got.text
    return str(got.json()["access_token"])


def test_every_route_declares_its_roles_and_serves_only_them(service: Any) -> None:
    client, _, secrets = service
    table = operations(client)
    assert len(table) >= 8
    for method, path, declared in table:
        assert declared, f"{method} {path} declares no roles (x-accord-roles)"
    public_posts = {("POST", "/api/v1/session"), ("POST", "/api/v1/token")}  # credentials: tested below
    table = [t for t in table if (t[0], t[1]) not in public_posts]
    bearer = node_token(client, "dss", service[1])
    for role, user in [(None, None), *PEOPLE.items(), (NODE, None)]:
        csrf = ""
        client.cookies.clear()
        if user is not None:
            signed = sign_in(client, user, secrets)
            assert signed.status_code == 200, signed.text
            csrf = signed.json()["csrf"]
        for method, path, declared in table:
            person = isinstance(role, Role)
            served = person and ("signed-in" in declared or role.value in declared)  # type: ignore[union-attr]
            allowed = "public" in declared or served or (role == NODE and NODE in declared)
            status = _call(client, method, path, csrf, bearer if role == NODE else "")
            if allowed:
                assert status not in (401, 403), f"{method} {path} refused {role}: {status}"
            else:  # 403 only for a person signed in whose role the route does not serve
                wanted = 403 if person and NODE not in declared else 401
                assert status == wanted, f"{method} {path} let {role} in: {status}"
            if (method, path) == ("DELETE", "/api/v1/session") and user is not None:
                csrf = sign_in(client, user, secrets).json()["csrf"]  # the matrix just signed them out


def test_an_analyst_asks_the_study_through_the_api_as_through_the_command_line(service: Any) -> None:
    client, _, secrets = service
    csrf = sign_in(client, ANALYST, secrets).json()["csrf"]
    asked = client.post(f"/api/v1/studies/{client.study_id}/queries", headers={"X-CSRF-Token": csrf},
                        json={"measures": ["count"], "group_by": ["dss"]})
    assert asked.status_code == 200, asked.text
    body = asked.json()
    assert body["release"] >= 1 and {r["dss"] for r in body["rows"]} == {"no", "snap", "tanf"}
    twin = client.post(f"/api/v1/studies/{client.study_id}/queries?twin=true", headers={"X-CSRF-Token": csrf},
                       json={"measures": ["count"], "group_by": ["dss"]}).json()
    assert twin["twin"] is True and {c["status"] for c in twin["cells"]} == {"synthetic"}
    bad = client.post(f"/api/v1/studies/{client.study_id}/queries", headers={"X-CSRF-Token": csrf},
                      json={"measures": ["count"], "group_by": ["surname"]})
    assert bad.status_code == 400 and bad.headers["content-type"].startswith("application/problem+json")
    assert "surname" in bad.json()["detail"] and "Traceback" not in bad.text


def _ledger_size(hub: StudyHub) -> int:
    with session_scope(make_session_factory(make_engine(hub.url))) as session:
        return int(session.execute(text("SELECT count(*) FROM ledger_entries")).scalar_one())


def test_a_state_changing_request_without_the_csrf_token_is_refused_and_leaves_nothing(service: Any) -> None:
    client, hub, secrets = service
    sign_in(client, ANALYST, secrets)
    before = _ledger_size(hub)
    refused = client.post(f"/api/v1/studies/{client.study_id}/queries",
                          json={"measures": ["count"], "group_by": ["grade"]})
    assert refused.status_code == 401 and "X-CSRF-Token" in refused.json()["detail"]
    forged = client.post(f"/api/v1/studies/{client.study_id}/queries", headers={"X-CSRF-Token": "guess"},
                         json={"measures": ["count"], "group_by": ["grade"]})
    assert forged.status_code == 401 and _ledger_size(hub) == before


def test_sign_in_refusals_name_no_account_and_locks_out_with_back_off(service: Any) -> None:
    client, _, secrets = service
    nobody = sign_in(client, "no.such.user", secrets)
    wrong = sign_in(client, "cw.health", secrets, password="not the password at all")
    assert nobody.status_code == wrong.status_code == 401
    assert nobody.json()["detail"] == wrong.json()["detail"], "a refusal must not tell who has an account"
    for _ in range(5):
        sign_in(client, "cw.health", secrets, password="not the password at all")
    locked = sign_in(client, "cw.health", secrets)  # the right password, during the lockout
    assert locked.status_code == 401 and locked.json()["detail"] == wrong.json()["detail"], \
        "locked out, in the same words: a lockout must not tell that the name exists"
    assert sign_in(client, ANALYST, secrets).status_code == 200, "another user is not locked out"


def test_a_records_officer_needs_the_second_factor(service: Any) -> None:
    client, _, secrets = service
    assert sign_in(client, DSS_OFFICER, secrets, code=None).status_code == 401
    assert sign_in(client, DSS_OFFICER, secrets, code="000000").status_code == 401
    assert sign_in(client, DSS_OFFICER, secrets).status_code == 200


def test_a_session_fixed_before_sign_in_or_expired_opens_nothing(service: Any) -> None:
    client, hub, secrets = service
    client.cookies.clear()
    fixed = {"Cookie": "accord_session=chosen-by-an-attacker"}
    assert client.get("/api/v1/me", headers=fixed).status_code == 401
    signed = client.post("/api/v1/session", json={"user": ANALYST, "password": PASSWORD}, headers=fixed)
    assert signed.status_code == 200
    issued = [c.value for c in client.cookies.jar if c.name == "accord_session"]
    assert issued and "chosen-by-an-attacker" not in issued, "the service issues its own token"
    assert client.get("/api/v1/me", headers=fixed).status_code == 401, "the attacker's value opens nothing"
    assert client.get("/api/v1/me").json()["user"] == ANALYST
    with session_scope(make_session_factory(make_engine(hub.url))) as session:
        session.execute(text("UPDATE web_sessions SET expires_at = '2000-01-01 00:00:00'"))
    expired = client.get("/api/v1/me")
    assert expired.status_code == 401 and expired.json()["title"] == "Not signed in"


def test_health_readiness_and_the_published_schema(service: Any) -> None:
    client, _, _ = service
    assert client.get("/health").json() == {"status": "ok"}
    assert client.get("/ready").json() == {"status": "ready"}
    schema = client.get("/openapi.json").json()
    assert schema["info"]["title"] == "Accord" and "/api/v1/studies/{study_id}/queries" in schema["paths"]
    missing = client.get("/api/v1/nothing-here")
    assert missing.status_code == 404
    assert missing.headers["content-type"].startswith("application/problem+json")


def test_an_officer_reads_only_the_agreements_their_agency_is_party_to(service: Any) -> None:
    client, _, secrets = service
    sign_in(client, DSS_OFFICER, secrets)
    mine = client.get("/api/v1/agreements").json()
    assert mine and all("dss" in {*a["sources"], *a["recipients"]} for a in mine)
    ids = {a["id"] for a in mine}
    sign_in(client, "admin.lea", secrets)
    every = {a["id"] for a in client.get("/api/v1/agreements").json()}
    assert ids < every, "an administrator reads every agreement"
    other = sorted(every - ids)[0]
    sign_in(client, DSS_OFFICER, secrets)
    refused = client.get(f"/api/v1/agreements/{other}")
    assert refused.status_code == 404 and refused.json()["title"] == "Not found"
    assert client.get(f"/api/v1/agreements/{sorted(ids)[0]}").json()["id"] == sorted(ids)[0]


def test_a_node_uploads_only_for_its_own_agency_and_bad_files_are_refused_whole(service: Any) -> None:
    client, hub, _ = service
    client.cookies.clear()
    wrong = client.post("/api/v1/token", data={"grant_type": "client_credentials", "client_id": "node-dss-x",
                                               "client_secret": "guess"})
    assert wrong.status_code == 401 and wrong.json()["detail"] == "invalid client credentials"
    bearer = {"Authorization": f"Bearer {node_token(client, 'dss', hub)}"}
    files = {"encodings": ("e.parquet", b"not parquet"), "hub_copy": ("c.csv", b"sid\n")}
    path = f"/api/v1/studies/{client.study_id}/submissions"
    other = client.post(f"{path}/lea", files=files, headers=bearer)
    assert other.status_code == 403 and "acts for dss, not lea" in other.json()["detail"]
    bad = client.post(f"{path}/dss", files=files, headers=bearer)
    assert bad.status_code == 400 and bad.headers["content-type"].startswith("application/problem+json")
    kept = hub.files.study_submission_paths(client.study_id, "dss")
    assert not any(p.exists() for p in kept), "a refused upload leaves nothing"
    assert client.post(f"{path}/dss", files=files).status_code == 401, "no token, no upload"
