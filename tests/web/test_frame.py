"""The pages' frame (issue 21): every page declares its roles and serves only them (read from the
pages' own routers, so a new page cannot be forgotten); no sign-in leads to the sign-in page; a form
post without the session's CSRF token is refused and changes nothing; sign-in goes back only to a
page of this site; the logs name pages by their templates."""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterator
from importlib import import_module
from pathlib import Path

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from accord.config import Settings
from accord.domain.agencies import Role, User
from accord.store.repositories.agencies import save_user
from accord.store.repositories.ledger import size
from accord.web.pages import PAGES
from tests.api.test_api import PASSWORD, PEOPLE
from tests.attacks.study_world import OFFICER, StudyHub
from tests.web.pages_client import csrf_of, give_sign_ins, page_sign_in, site_client, study_hub

World = tuple[TestClient, StudyHub, dict[str, str], io.StringIO]


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    root: Path = tmp_path_factory.mktemp("pages")
    hub, _ = study_hub(root)
    with hub.session() as session:
        save_user(session, User("student.1", "lea", Role.ELIGIBLE_STUDENT))
        secrets = give_sign_ins(session, PEOPLE.values(), (OFFICER, "admin.lea"), PASSWORD)
    log = io.StringIO()
    client = site_client(Settings(data_dir=root, database_url=hub.url), log_stream=log)
    yield client, hub, secrets, log


def pages() -> list[tuple[str, str, list[str]]]:
    """(method, path, roles) of every page route, from the pages' own routers."""
    out = []
    for name in PAGES:
        for route in import_module(f"accord.web.pages.{name}").router.routes:
            assert isinstance(route, APIRoute)
            roles = (route.openapi_extra or {}).get("x-accord-roles", [])
            out += [(method, route.path, roles) for method in sorted(route.methods)]
    return out


def ledger_size(hub: StudyHub) -> int:
    with hub.session() as session:
        return size(session)


def _visit(client: TestClient, method: str, path: str, csrf: str) -> int:
    path = re.sub(r"{\w+}", "none", path)  # a page's object that does not exist
    data = {"csrf_token": csrf} if method == "POST" else None
    return client.request(method, path, data=data, follow_redirects=False).status_code


def test_every_page_declares_its_roles_and_serves_only_them(world: World) -> None:
    client, hub, secrets, _ = world
    table = pages()
    assert ("GET", "/", ["signed-in"]) in table
    for method, path, roles in table:
        assert roles, f"{method} {path} declares no roles (use for_roles or ANYONE)"
    # Signing out last: it ends the session the other pages are visited with.
    guarded = sorted((t for t in table if t[2] != ["public"]), key=lambda t: t[1] == "/sign-out")
    client.cookies.clear()
    for method, path, _roles in guarded:
        status = _visit(client, method, path, "")
        assert status == 303, (method, path, status)  # to the sign-in page
    for role, user in PEOPLE.items():
        assert page_sign_in(client, user, secrets).status_code == 303
        csrf = csrf_of(client)
        for method, path, roles in guarded:
            status = _visit(client, method, path, csrf)
            allowed = roles == ["signed-in"] or role.value in roles
            assert (status == 403) != allowed, (role, method, path, status)
            assert status not in (401, 500), (role, method, path, status)


def test_a_form_post_without_the_sessions_token_is_refused_and_changes_nothing(world: World) -> None:
    client, hub, secrets, _ = world
    posts = [t for t in pages() if t[0] == "POST" and t[2] != ["public"]]
    assert ("POST", "/sign-out", ["signed-in"]) in posts
    for _method, path, roles in posts:
        user = PEOPLE[Role(roles[0])] if roles != ["signed-in"] else PEOPLE[Role.CASEWORKER]
        page_sign_in(client, user, secrets)
        before = ledger_size(hub)
        for token in ("", "not-the-token"):
            got = client.post(re.sub(r"{\w+}", "none", path), data={"csrf_token": token},
                              follow_redirects=False)
            assert got.status_code == 401, (path, got.status_code)
            assert "did not come from Accord" in got.text
        assert ledger_size(hub) == before
    client.get("/")  # still signed in: the refused sign-out ended nothing
    assert client.get("/", follow_redirects=False).status_code == 200


def test_sign_in_returns_only_to_a_page_of_this_site(world: World) -> None:
    client, _, secrets, _ = world
    for target, expected in [("/training", "/training"), ("https://elsewhere.example/", "/"),
                             ("//elsewhere.example/x", "/"), ("/sign-in", "/")]:
        got = page_sign_in(client, PEOPLE[Role.CASEWORKER], secrets, next_page=target)
        assert got.status_code == 303 and got.headers["location"] == expected, (target, got.headers)


def test_a_refused_sign_in_says_the_same_whatever_was_wrong(world: World) -> None:
    client, _, secrets, _ = world
    wrong_password = page_sign_in(client, PEOPLE[Role.CASEWORKER], secrets, password="not it at all")
    no_account = page_sign_in(client, "nobody.here", secrets)
    assert wrong_password.status_code == no_account.status_code == 401
    said = [re.search(r'role="alert">([^<]+)<', r.text) for r in (wrong_password, no_account)]
    assert said[0] and said[1] and said[0].group(1) == said[1].group(1)
    assert "cookie" not in str(no_account.headers.get("set-cookie", "")).replace("accord_signin", "")


def test_the_sign_in_form_needs_its_own_form_value(world: World) -> None:
    """No other site can post its account's credentials into this browser (login CSRF)."""
    client, _, _, _ = world
    client.cookies.clear()
    got = client.post("/sign-in", data={"user": PEOPLE[Role.CASEWORKER], "password": PASSWORD,
                                        "form_value": "made-up"}, follow_redirects=False)
    assert got.status_code == 400 and "accord_session" not in got.headers.get("set-cookie", "")


def test_the_logs_name_pages_by_their_templates(world: World) -> None:
    client, _, secrets, log = world
    page_sign_in(client, PEOPLE[Role.CASEWORKER], secrets)
    client.get("/static/accord.css")
    lines = [json.loads(line) for line in log.getvalue().splitlines() if line.startswith("{")]
    routes = {line["route"] for line in lines}
    assert {"/sign-in", "/static/{path}"} <= routes
    assert "(unmatched)" not in routes


def test_a_token_of_any_text_is_refused_not_a_crash(world: World) -> None:
    client, _, secrets, _ = world
    page_sign_in(client, PEOPLE[Role.CASEWORKER], secrets)
    out = client.post("/sign-out", data={"csrf_token": "ñ-not-ascii"}, follow_redirects=False)
    assert out.status_code == 401
    client.cookies.clear()
    got = client.post("/sign-in", data={"user": "x", "password": "y", "form_value": "ñ"},
                      follow_redirects=False)
    assert got.status_code == 400


ODD = ("ñ-é", "x" * 300, "99999999999999999999", "-1", "%00", "..")


def test_odd_values_in_paths_and_forms_never_crash_a_page(world: World) -> None:
    """Every page, as a person of a role it serves, with odd ids in its path and odd form values: a
    refusal or a page, never a server error."""
    client, _, secrets, _ = world
    for role, user in PEOPLE.items():
        page_sign_in(client, user, secrets)
        csrf = csrf_of(client)
        for method, path, roles in pages():
            if path in ("/sign-out", "/sign-in") or not (roles == ["signed-in"] or role.value in roles):
                continue
            for odd in ODD:
                target = re.sub(r"{\w+}", odd.replace("/", ""), path)
                data = {"csrf_token": csrf, "measure": odd, "decision": odd, "source": odd,
                        "purpose": odd, "confirm": odd} if method == "POST" else None
                got = client.request(method, target, data=data, params={"lang": odd},
                                     follow_redirects=False)
                assert got.status_code < 500, (role, method, path, odd, got.status_code)
