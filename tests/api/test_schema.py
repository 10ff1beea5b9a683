"""The service against its own published schema (issue 20). schemathesis generates requests for every
operation that `/openapi.json` lists (read when the tests are collected, from the same `create_app`, so
a route added later is covered without being named here) and sends them to the service over a real
store with a built study, on SQLite and on PostgreSQL: each request as the anonymous caller or as one
of those the operation serves (x-accord-roles), a signed-in person of that role (the records officer
and the administrator with the second factor, the session cookie and its X-CSRF-Token header) or an
agency node with a bearer token. No request may end in a server error, and every response's status,
media type and body must be ones the schema publishes for that operation.

Small and fixed: the coverage phase's boundary and malformed values and ten generated requests per
operation, the same ones on every run (derandomized, a fixed seed, no example database), in process
(no network)."""

from __future__ import annotations

import re
import tempfile
import uuid
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from sqlalchemy import URL, create_engine, text
from starlette.testclient import TestClient

from accord.api import create_app
from accord.api.deps import COOKIE, CSRF_HEADER, NODE, now
from accord.config import Settings
from accord.domain.agencies import Role
from accord.workflows.governance import agreements
from accord.workflows.machine_clients import register_client
from accord.workflows.signin import enable_second_factor, set_password
from tests.attacks.study_world import ANALYST, OFFICER, StudyHub, school
from tests.authenticator import Authenticator, code_for
from tests.conftest import BACKENDS

PASSWORD = "a long synthetic passphrase"
# A person of each role that signs in (the world's users), the officers with a second factor.
PEOPLE = {Role.ANALYST: ANALYST, Role.RECORDS_OFFICER: OFFICER, Role.CASEWORKER: "cw.health",
          Role.ELIGIBILITY_WORKER: "ew.dss", Role.ADMINISTRATOR: "admin.lea", Role.PARENT: "parent.1"}
ANONYMOUS = "anonymous"
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
# The examples the schema gives, the coverage phase's boundary and malformed values (not methods the
# path does not publish: FastAPI's 405s), then a few generated ones; nothing stateful.
CONFIG = schemathesis.Config.from_dict({
    "seed": 20,
    "generation": {"max-examples": 10, "deterministic": True, "database": "none"},
    "phases": {"coverage": {"unexpected-methods": []}, "stateful": {"enabled": False}},
})
# Objects that exist in the built world, filled in by `world`: a path parameter is now and then one
# of these, so that requests get past "not found" and into the workflows.
KNOWN: dict[str, list[Any]] = {}

# The published schema, from the service's own factory; the store under it is never opened (each
# request below goes to the app of the world it runs in).
_UNUSED = tempfile.TemporaryDirectory(prefix="accord-schema-")
_PUBLISHER = create_app(Settings(data_dir=Path(_UNUSED.name), database_url="sqlite://"))
schema = schemathesis.openapi.from_asgi("/openapi.json", _PUBLISHER, config=CONFIG)


# Operations that end an object for good: sent only to generated names, so that the built study and
# the agreements stay usable for the operations after them.
IRREVERSIBLE = ("destruction", "termination")


@schema.hook
def flatmap_path_parameters(context: Any, path_parameters: dict[str, Any] | None) -> Any:
    known = {} if context.operation.path.rsplit("/", 1)[-1] in IRREVERSIBLE else KNOWN
    return st.fixed_dictionaries({name: st.sampled_from([value, *known.get(name, [])])
                                  for name, value in (path_parameters or {}).items()})


@dataclass
class World:
    """A store with a built study, and the service over it."""

    app: Any
    hub: StudyHub
    secrets: dict[str, str]


def _postgres(request: pytest.FixtureRequest) -> Iterator[str]:
    """A schema of its own in the session's scratch PostgreSQL database (as conftest's `db_url`)."""
    base: URL = request.getfixturevalue("pg_database_url")
    name = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{name}"'))
    try:
        url = base.update_query_dict({"options": f"-csearch_path={name}"})
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{name}" CASCADE'))
        admin.dispose()


@pytest.fixture(scope="module", params=BACKENDS)
def world(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    root = tmp_path_factory.mktemp("schema")
    urls = iter([f"sqlite:///{root / 'accord.db'}"]) if request.param == "sqlite" else _postgres(request)
    url = next(urls)
    hub = StudyHub(root, url)
    run = hub.study("schema", school()[0], {"review": "none"})
    secrets: dict[str, str] = {}
    with hub.session() as session:
        for user in PEOPLE.values():
            set_password(session, user, PASSWORD)
        for user in (OFFICER, PEOPLE[Role.ADMINISTRATOR]):
            secrets[user] = enable_second_factor(session, user)
        agreement_ids = sorted(a.id for a in agreements(session))
    KNOWN.update(study_id=[run.study_id], agreement_id=agreement_ids[:4], agency_id=["dss", "lea"],
                 release_id=[1, 2])
    app = create_app(Settings(data_dir=root, database_url=url), secure_cookies=False, clock=Authenticator())
    yield World(app, hub, secrets)
    app.state.engine.dispose()
    hub.factory.kw["bind"].dispose()
    next(urls, None)  # drops the PostgreSQL schema


Credentials = tuple[dict[str, str], dict[str, str]]  # headers, cookies


@dataclass
class Caller:
    """Who sends a request, with the headers and cookies that say so; signed in on first use, and
    again after a request signs them out."""

    sign_in: Callable[[], Credentials]
    credentials: Credentials | None = None

    def renew(self) -> Credentials:
        self.credentials = self.sign_in()
        return self.credentials

    def current(self) -> Credentials:
        return self.credentials or self.renew()


def _person(world: World, user: str) -> Callable[[], Credentials]:
    def sign_in() -> Credentials:
        code = code_for(world.app, world.secrets[user]) if user in world.secrets else None
        got = TestClient(world.app).post("/api/v1/session",
                                         json={"user": user, "password": PASSWORD, "code": code})
        assert got.status_code == 200, got.text
        return {CSRF_HEADER: got.json()["csrf"]}, {COOKIE: got.cookies[COOKIE]}
    return sign_in


def _node(world: World, agency: str) -> Callable[[], Credentials]:
    def sign_in() -> Credentials:
        with world.hub.session() as session:
            client_id, secret = register_client(session, agency, now())
        got = TestClient(world.app).post("/api/v1/token", data={
            "grant_type": "client_credentials", "client_id": client_id, "client_secret": secret})
        assert got.status_code == 200, got.text
        return {"Authorization": f"Bearer {got.json()['access_token']}"}, {}
    return sign_in


@pytest.fixture(scope="module")
def callers(world: World) -> dict[str, Caller]:
    """The anonymous caller, a person of each role, and an agency node (dss), by the names the
    schema's x-accord-roles use."""
    people = {role.value: _person(world, user) for role, user in PEOPLE.items()}
    return {ANONYMOUS: Caller(lambda: ({}, {})), NODE: Caller(_node(world, "dss")),
            **{role: Caller(sign_in) for role, sign_in in people.items()}}


def served(roles: list[str]) -> list[str]:
    """Who, besides the anonymous caller, sends an operation's requests: the roles it serves that the
    world has a person for (for any signed-in person, the analyst and the records officer), the node
    for a node's operation; a public operation, the anonymous caller only."""
    if "signed-in" in roles:
        return [Role.ANALYST.value, Role.RECORDS_OFFICER.value]
    return [r for r in roles if r in {NODE, *(role.value for role in PEOPLE)}]


def sender(case: Any) -> str:
    """Who sends this case: the anonymous caller or one of those the operation serves, picked by the
    case itself (the same case, the same caller, so a failure replays and shrinks as it was found).
    Each request goes once, so a route serving more roles does not cost more."""
    # (a method the path does not publish, should one be sent: the anonymous caller only)
    operation = schema.raw_schema["paths"][case.path].get(case.method.lower(), {})
    pool = [ANONYMOUS, *served(operation.get("x-accord-roles", []))]
    what = repr((case.method, case.path_parameters, case.query, case.headers, case.body))
    return pool[zlib.crc32(re.sub(r" at 0x[0-9a-f]+", "", what).encode()) % len(pool)]


@schema.parametrize()
def test_the_service_keeps_to_its_published_schema(case: Any, world: World,
                                                   callers: dict[str, Caller]) -> None:
    who = sender(case)
    headers, cookies = callers[who].current()
    try:
        response = case.call_and_validate(app=world.app, headers=headers, cookies=cookies, checks=CHECKS)
    except Exception as failure:
        failure.add_note(f"sent as {who}")
        raise
    if case.method == "DELETE" and case.path == "/api/v1/session" and response.status_code == 204:
        callers[who].renew()  # this case signed the caller out; the next signs in again


def test_the_schema_under_test_is_the_one_the_service_publishes(world: World) -> None:
    assert TestClient(world.app).get("/openapi.json").json() == schema.raw_schema
