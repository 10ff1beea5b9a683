"""Sign-in through an OIDC provider (issue 20) against a real one: a small provider app served by
uvicorn on a free port of this machine in a thread (discovery, an /authorize that approves the
subject it is told to, /token with PKCE and an RS256 ID token signed by a key made here, /jwks), and
the service over a real store in process. Authlib does the service's side for real; nothing of it
is replaced.

A linked caseworker signs in and is who /me says; every refusal of the way back (no link, another
audience, a bad signature, another nonce, an expired token, another issuer, the provider's own
error, a replayed or swapped state) is the same 401 line, naming no one, and opens nothing; a
records officer without `mfa` in `amr` still owes the TOTP code, which works once; with OIDC off the
routes are 404. Signing out of a session opened through the provider ends it here and sends the browser
to the provider's logout (RP-Initiated Logout) with the session's own ID token as `id_token_hint`."""

from __future__ import annotations

import base64
import hashlib
import io
import secrets
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx
import pytest
import uvicorn
from fastapi import FastAPI, Form, Request
from fastapi.responses import JSONResponse, RedirectResponse
from fastapi.testclient import TestClient
from joserfc import jwt
from joserfc.jwk import KeySet, RSAKey
from typer.testing import CliRunner

from accord.api import create_app
from accord.api.deps import COOKIE
from accord.api.routes.oidc import REFUSED, TRIP_COOKIE
from accord.cli.app import app as cli
from accord.config import Settings
from accord.domain.agencies import Agency, AgencyKind, Role, User
from accord.store.db import make_engine, make_session_factory, session_scope
from accord.store.migrate import upgrade_to_head
from accord.web import create_site
from accord.workflows.oidc import link_identity
from accord.workflows.registry import register_agency, register_user
from accord.workflows.signin import REFUSED as PASSWORD_REFUSED
from accord.workflows.signin import enable_second_factor, set_password
from tests.authenticator import Authenticator, code_for

CLIENT_ID, CLIENT_SECRET = "accord-hub", "a synthetic client secret"
REDIRECT = "http://testserver/api/v1/session/oidc/callback"
CASEWORKER, OFFICER, ADMIN = "cw.oidc", "ro.oidc", "admin.health"
LINKED = {"sub-cw": CASEWORKER, "sub-ro": OFFICER}


@dataclass
class Behaviour:
    """What the provider does on the next trip (reset before each test)."""

    subject: str = "sub-cw"
    amr: list[str] | None = field(default_factory=lambda: ["pwd"])
    audience: str = CLIENT_ID
    issuer: str | None = None  # None: its own
    nonce: str | None = None  # None: the one asked for
    wrong_key: bool = False  # signed with another key under the published key's id
    expires_in: int = 300
    error: str | None = None  # an error sent back in place of a code
    extra: dict[str, Any] = field(default_factory=dict)
    logout: bool = True  # the discovery document publishes an end_session_endpoint
    logout_at: str | None = None  # None: its own /logout


class Provider:
    """A tiny OpenID Connect provider: one client, codes used once, PKCE S256 required."""

    def __init__(self) -> None:
        self.key = RSAKey.generate_key(2048, parameters={"kid": "k1", "use": "sig", "alg": "RS256"})
        self.impostor = RSAKey.generate_key(2048, parameters={"kid": "k1", "use": "sig", "alg": "RS256"})
        self.behaviour = Behaviour()
        self.codes: dict[str, dict[str, Any]] = {}
        self.asked: dict[str, str] = {}  # the last authorization request's parameters
        self.issued: list[str] = []  # the ID tokens it signed, in order
        self.logged_out: list[dict[str, str]] = []  # the logout requests it took, as asked
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}"
        self.app = self._app()

    def _app(self) -> FastAPI:
        app = FastAPI()

        @app.get("/.well-known/openid-configuration")
        def discovery() -> dict[str, Any]:
            at = self.behaviour.logout_at or f"{self.url}/logout?ui=plain"
            logout = {"end_session_endpoint": at} if self.behaviour.logout else {}
            return {**logout, "issuer": self.url, "authorization_endpoint": f"{self.url}/authorize",
                    "token_endpoint": f"{self.url}/token", "jwks_uri": f"{self.url}/jwks",
                    "response_types_supported": ["code"], "subject_types_supported": ["public"],
                    "id_token_signing_alg_values_supported": ["RS256"],
                    "code_challenge_methods_supported": ["S256"],
                    "token_endpoint_auth_methods_supported": ["client_secret_basic"]}

        @app.get("/jwks")
        def jwks() -> dict[str, Any]:
            return KeySet([self.key]).as_dict(private=False)

        @app.get("/authorize")
        def authorize(request: Request) -> Any:
            q = dict(request.query_params)
            self.asked = q
            if q.get("client_id") != CLIENT_ID or q.get("redirect_uri") != REDIRECT \
                    or q.get("response_type") != "code" or q.get("code_challenge_method") != "S256" \
                    or "openid" not in q.get("scope", "").split():
                return JSONResponse({"error": "invalid_request"}, status_code=400)
            b = self.behaviour
            if b.error:
                return RedirectResponse(f"{REDIRECT}?{urlencode({'error': b.error, 'state': q['state']})}")
            code = secrets.token_urlsafe(16)
            self.codes[code] = {"challenge": q["code_challenge"], "nonce": q.get("nonce")}
            return RedirectResponse(f"{REDIRECT}?{urlencode({'code': code, 'state': q['state']})}")

        @app.post("/token")
        def token(request: Request, grant_type: Annotated[str, Form()], code: Annotated[str, Form()],
                  redirect_uri: Annotated[str, Form()], code_verifier: Annotated[str, Form()]) -> Any:
            expected = "Basic " + base64.b64encode(f"{CLIENT_ID}:{CLIENT_SECRET}".encode()).decode()
            if request.headers.get("Authorization") != expected:
                return JSONResponse({"error": "invalid_client"}, status_code=401)
            given = self.codes.pop(code, None)  # a code works once
            challenge = base64.urlsafe_b64encode(hashlib.sha256(code_verifier.encode()).digest()).rstrip(b"=")
            if given is None or grant_type != "authorization_code" or redirect_uri != REDIRECT \
                    or challenge.decode() != given["challenge"]:
                return JSONResponse({"error": "invalid_grant"}, status_code=400)
            b, now = self.behaviour, int(time.time())
            claims = {"iss": b.issuer or self.url, "sub": b.subject, "aud": b.audience, "iat": now,
                      "exp": now + b.expires_in, "nonce": b.nonce or given["nonce"], **b.extra}
            if b.amr is not None:
                claims["amr"] = b.amr
            signed = jwt.encode({"alg": "RS256", "kid": "k1"}, claims,
                                self.impostor if b.wrong_key else self.key)
            self.issued.append(signed)
            return {"access_token": secrets.token_urlsafe(16), "token_type": "Bearer", "expires_in": 300,
                    "id_token": signed}

        @app.get("/logout")
        def logout(request: Request) -> Any:
            """RP-Initiated Logout: a hint this provider signed for this client, back where it says."""
            q = dict(request.query_params)
            self.logged_out.append(q)
            hint = jwt.decode(q.get("id_token_hint", ""), self.key, algorithms=["RS256"])
            if hint.claims["aud"] != CLIENT_ID or q.get("client_id") != CLIENT_ID:
                return JSONResponse({"error": "invalid_request"}, status_code=400)
            return RedirectResponse(q["post_logout_redirect_uri"])

        return app


@pytest.fixture(scope="module")
def provider() -> Iterator[Provider]:
    idp = Provider()
    server = uvicorn.Server(uvicorn.Config(idp.app, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [idp.sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.01)
    assert server.started, "the provider did not start"
    yield idp
    server.should_exit = True
    thread.join(10)
    idp.sock.close()


@dataclass
class Service:
    client: TestClient
    settings: Settings
    url: str
    totp: str  # the records officer's second-factor secret
    log: io.StringIO


@pytest.fixture(scope="module")
def service(provider: Provider, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Service]:
    root: Path = tmp_path_factory.mktemp("oidc")
    url = f"sqlite:///{root / 'accord.db'}"
    engine = make_engine(url)
    upgrade_to_head(engine)
    with session_scope(make_session_factory(engine)) as session:
        register_agency(session, Agency("lea", "School district", AgencyKind.EDUCATION))
        register_agency(session, Agency("health", "Health department", AgencyKind.HEALTH))
        for user in (User(CASEWORKER, "health", Role.CASEWORKER), User(ADMIN, "health", Role.ADMINISTRATOR),
                     User(OFFICER, "lea", Role.RECORDS_OFFICER),
                     User("admin.lea", "lea", Role.ADMINISTRATOR)):
            register_user(session, user)
        set_password(session, OFFICER, "a long synthetic passphrase")
        totp = enable_second_factor(session, OFFICER)
        link_identity(session, "admin.lea", OFFICER, provider.url, "sub-ro", _now())
    engine.dispose()
    env = {"ACCORD_DATA_DIR": str(root), "ACCORD_DATABASE_URL": url, "ACCORD_OIDC_ISSUER": provider.url,
           "ACCORD_OIDC_CLIENT_ID": CLIENT_ID, "ACCORD_OIDC_REDIRECT_URL": REDIRECT}
    linked = CliRunner().invoke(cli, ["users", "oidc", "--user", CASEWORKER, "--issuer", provider.url,
                                      "--subject", "sub-cw", "--by", ADMIN], env=env)
    assert linked.exit_code == 0 and "Linked" in linked.output, linked.output
    settings = Settings(data_dir=root, database_url=url, oidc_issuer=provider.url, oidc_client_id=CLIENT_ID,
                        oidc_client_secret=CLIENT_SECRET, oidc_redirect_url=REDIRECT)
    log = io.StringIO()
    app = create_app(settings, secure_cookies=False, log_stream=log, clock=Authenticator())
    yield Service(TestClient(app), settings, url, totp, log)
    app.state.engine.dispose()


def _now() -> Any:
    from accord.api.deps import now

    return now()


@pytest.fixture(autouse=True)
def fresh(provider: Provider) -> None:
    provider.behaviour = Behaviour()


def to_provider(client: TestClient) -> str:
    """Start a trip: the provider's authorization URL the service sends the browser to."""
    started = client.get("/api/v1/session/oidc", follow_redirects=False)
    assert started.status_code == 302, started.text
    assert TRIP_COOKIE in started.cookies
    return started.headers["location"]


def at_provider(location: str) -> str:
    """The browser at the provider, which approves at once: the callback URL it sends it back to."""
    answered = httpx.get(location, follow_redirects=False)
    assert answered.status_code in (302, 307), answered.text
    return answered.headers["location"]


def trip(client: TestClient) -> httpx.Response:
    """A whole trip, as a browser makes it: to the provider, back to the callback."""
    return client.get(at_provider(to_provider(client)), follow_redirects=False)


def test_a_linked_caseworker_signs_in_and_reaches_me(service: Service, provider: Provider) -> None:
    client = service.client
    client.cookies.clear()
    signed = trip(client)
    assert signed.status_code == 200, signed.text
    body = signed.json()
    assert body["user"] == CASEWORKER and body["role"] == "caseworker" and body["csrf"]
    assert provider.asked["scope"] == "openid", "no name, no e-mail address asked for"
    assert provider.asked["code_challenge_method"] == "S256" and provider.asked["nonce"]
    cookie = next(h for h in signed.headers.get_list("set-cookie") if h.startswith(f"{COOKIE}="))
    assert "HttpOnly" in cookie and "samesite=strict" in cookie.lower(), "the password sign-in's cookie"
    assert TRIP_COOKIE not in client.cookies, "the trip's cookie is gone once used"
    me = client.get("/api/v1/me")
    assert me.status_code == 200
    assert me.json() == {"user": CASEWORKER, "agency": "health", "role": "caseworker"}
    assert client.delete("/api/v1/session").status_code == 401, "a change still needs the CSRF token"
    assert client.delete("/api/v1/session", headers={"X-CSRF-Token": body["csrf"]}).status_code == 200
    assert client.get("/api/v1/me").status_code == 401


CHANGES: dict[str, dict[str, Any]] = {
    "an unlinked subject": {"subject": "sub-nobody"},
    "an unlinked subject whose e-mail and name are a user's": {
        "subject": "sub-nobody", "extra": {"email": CASEWORKER, "preferred_username": CASEWORKER,
                                           "name": CASEWORKER}},
    "another audience": {"audience": "another-client"},
    "a bad signature": {"wrong_key": True},
    "another nonce": {"nonce": "not-the-nonce-asked-for"},
    "an expired token": {"expires_in": -600},
    "another issuer": {"issuer": "https://idp.example"},
    "the provider's error": {"error": "access_denied"},
}


def _refused_alike(response: httpx.Response, client: TestClient) -> None:
    assert response.status_code == 401, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json() == {"type": "about:blank", "title": "Not signed in", "status": 401,
                               "detail": REFUSED}
    assert client.get("/api/v1/me").status_code == 401, "nothing opened"


@pytest.mark.parametrize("case", sorted(CHANGES))
def test_every_refusal_of_the_way_back_is_the_same_line(service: Service, provider: Provider,
                                                        case: str) -> None:
    client = service.client
    client.cookies.clear()
    for name, value in CHANGES[case].items():
        setattr(provider.behaviour, name, value)
    refused = trip(client)
    _refused_alike(refused, client)
    assert CASEWORKER not in refused.text and "sub-" not in refused.text, "it names no one"


def test_a_replayed_or_swapped_state_is_refused_alike(service: Service, provider: Provider) -> None:
    client = service.client
    client.cookies.clear()
    location = to_provider(client)
    state = client.cookies[TRIP_COOKIE]
    back = at_provider(location)
    assert client.get(back).status_code == 200
    client.cookies.clear()
    client.cookies.set(TRIP_COOKIE, state, domain="testserver.local", path="/api/v1/session/oidc")
    _refused_alike(client.get(back), client)  # the same state, cookie and all, a second time

    # Another browser's way back (its code and state), in a browser on a trip of its own: refused,
    # and that browser's own trip is spent with it.
    other = TestClient(client.app)
    theirs = at_provider(to_provider(other))
    client.cookies.clear()
    mine = at_provider(to_provider(client))
    _refused_alike(client.get(theirs), client)
    _refused_alike(client.get(mine), client)
    # No cookie at all, and a state altered on the way: refused alike.
    client.cookies.clear()
    _refused_alike(client.get(at_provider(to_provider(other))), client)
    location = to_provider(client)
    parts = urlsplit(at_provider(location))
    query = {k: v[0] for k, v in parse_qs(parts.query).items()}
    query["state"] = query["state"][:-2] + ("AA" if not query["state"].endswith("AA") else "BB")
    _refused_alike(client.get(f"{parts.path}?{urlencode(query)}"), client)


def test_an_officer_without_mfa_still_owes_the_totp_code(service: Service, provider: Provider) -> None:
    client = service.client
    client.cookies.clear()
    provider.behaviour.subject = "sub-ro"
    owed = trip(client)
    assert owed.status_code == 202 and owed.json()["second_factor"] == "required", owed.text
    assert COOKIE not in client.cookies and client.get("/api/v1/me").status_code == 401
    wrong = client.post("/api/v1/session/oidc/code", json={"code": "000000"})
    assert wrong.status_code == 401 and wrong.json()["detail"] == PASSWORD_REFUSED
    right = code_for(client.app, service.totp)
    again = client.post("/api/v1/session/oidc/code", json={"code": right})
    assert again.status_code == 401, "the ticket works once, right or wrong"

    client.cookies.clear()
    assert trip(client).status_code == 202
    signed = client.post("/api/v1/session/oidc/code", json={"code": right})
    assert signed.status_code == 200 and signed.json()["user"] == OFFICER, signed.text
    assert client.get("/api/v1/me").json()["role"] == "records_officer"

    client.cookies.clear()
    provider.behaviour.amr = ["pwd", "otp"]  # one method named: not multi-factor by itself
    assert trip(client).status_code == 202
    client.cookies.clear()
    provider.behaviour.amr = ["pwd", "mfa"]
    direct = trip(client)
    assert direct.status_code == 200 and direct.json()["user"] == OFFICER, "the provider did the MFA"


def test_the_owed_code_works_once(service: Service, provider: Provider) -> None:
    client = service.client
    client.cookies.clear()
    provider.behaviour.subject = "sub-ro"
    assert trip(client).status_code == 202
    captured = code_for(client.app, service.totp)
    assert client.post("/api/v1/session/oidc/code", json={"code": captured}).status_code == 200
    client.cookies.clear()
    assert trip(client).status_code == 202
    replayed = client.post("/api/v1/session/oidc/code", json={"code": captured})
    assert replayed.status_code == 401 and replayed.json()["detail"] == PASSWORD_REFUSED, "as a wrong code"
    assert COOKIE not in client.cookies and client.get("/api/v1/me").status_code == 401


def _provider_logout(location: str, provider: Provider) -> dict[str, list[str]]:
    """The logout URL's parameters, once it is checked to be the provider's endpoint."""
    parts = urlsplit(location)
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == f"{provider.url}/logout", location
    return parse_qs(parts.query)


def test_signing_out_ends_the_session_and_sends_the_browser_to_the_providers_logout(
        service: Service, provider: Provider) -> None:
    client = service.client
    client.cookies.clear()
    signed = trip(client)
    assert signed.status_code == 200
    hint = provider.issued[-1]
    out = client.delete("/api/v1/session", headers={"X-CSRF-Token": signed.json()["csrf"]})
    assert out.status_code == 200, out.text
    location = out.json()["end_session_url"]
    query = _provider_logout(location, provider)
    assert query == {"ui": ["plain"], "id_token_hint": [hint], "client_id": [CLIENT_ID],
                     "post_logout_redirect_uri": ["http://testserver/"]}, "the endpoint's own query kept"
    assert client.get("/api/v1/me").status_code == 401, "the session here ended first"
    back = httpx.get(location, follow_redirects=False)  # the browser at the provider, which takes the hint
    assert back.status_code == 307 and back.headers["location"] == "http://testserver/", back.text

    # An officer's session opened after the owed code keeps the trip's ID token for the logout too.
    client.cookies.clear()
    provider.behaviour.subject = "sub-ro"
    assert trip(client).status_code == 202
    hint = provider.issued[-1]
    opened = client.post("/api/v1/session/oidc/code", json={"code": code_for(client.app, service.totp)})
    assert opened.status_code == 200, opened.text
    out = client.delete("/api/v1/session", headers={"X-CSRF-Token": opened.json()["csrf"]})
    assert _provider_logout(out.json()["end_session_url"], provider)["id_token_hint"] == [hint]
    assert service.totp not in service.log.getvalue() and hint not in service.log.getvalue()


def test_the_pages_sign_out_goes_on_to_the_providers_logout(service: Service, provider: Provider) -> None:
    site = TestClient(create_site(service.settings, secure_cookies=False))
    signed = trip(site)
    assert signed.status_code == 200
    out = site.post("/sign-out", data={"csrf_token": signed.json()["csrf"]}, follow_redirects=False)
    assert out.status_code == 303
    assert _provider_logout(out.headers["location"], provider)["id_token_hint"] == [provider.issued[-1]]
    assert site.get("/api/v1/me").status_code == 401
    site.app.state.engine.dispose()  # type: ignore[attr-defined]


def test_without_a_logout_at_the_provider_or_an_answer_the_session_still_ends(
        service: Service, provider: Provider) -> None:
    client = service.client
    client.cookies.clear()
    provider.behaviour.logout = False
    signed = trip(client)
    out = client.delete("/api/v1/session", headers={"X-CSRF-Token": signed.json()["csrf"]})
    assert out.status_code == 204 and client.get("/api/v1/me").status_code == 401

    provider.behaviour.logout = True
    client.cookies.clear()
    signed = trip(client)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        nobody = f"http://127.0.0.1:{probe.getsockname()[1]}"
    silent = TestClient(create_app(service.settings.model_copy(update={"oidc_issuer": nobody}),
                                   secure_cookies=False))
    silent.cookies.set(COOKIE, client.cookies[COOKIE])
    out = silent.delete("/api/v1/session", headers={"X-CSRF-Token": signed.json()["csrf"]})
    assert out.status_code == 204 and client.get("/api/v1/me").status_code == 401
    silent.app.state.engine.dispose()  # type: ignore[attr-defined]

    # A logout endpoint in plain http elsewhere is refused like any other endpoint of the metadata.
    provider.behaviour.logout_at = "http://idp.example/logout"
    client.cookies.clear()
    assert client.get("/api/v1/session/oidc", follow_redirects=False).status_code == 503


def test_with_oidc_off_the_routes_are_404_and_a_silent_provider_is_503(service: Service) -> None:
    off = TestClient(create_app(Settings(data_dir=service.settings.data_dir, database_url=service.url),
                                secure_cookies=False))
    for method, path, body in [("GET", "/api/v1/session/oidc", None),
                               ("GET", "/api/v1/session/oidc/callback?code=x&state=y", None),
                               ("POST", "/api/v1/session/oidc/code", {"code": "123456"})]:
        answered = off.request(method, path, json=body, follow_redirects=False)
        assert answered.status_code == 404, (path, answered.text)
        assert answered.headers["content-type"].startswith("application/problem+json")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        nobody = f"http://127.0.0.1:{probe.getsockname()[1]}"
    silent = TestClient(create_app(service.settings.model_copy(update={"oidc_issuer": nobody}),
                                   secure_cookies=False))
    down = silent.get("/api/v1/session/oidc", follow_redirects=False)
    assert down.status_code == 503 and TRIP_COOKIE not in down.cookies


def test_only_an_administrator_of_the_users_agency_links_once(service: Service, provider: Provider) -> None:
    env = {"ACCORD_DATA_DIR": str(service.settings.data_dir), "ACCORD_DATABASE_URL": service.url,
           "ACCORD_USER": ADMIN}

    def link(*args: str) -> Any:
        return CliRunner().invoke(cli, ["users", "oidc", *args], env=env)

    again = link("--user", CASEWORKER, "--issuer", provider.url, "--subject", "sub-cw")
    assert again.exit_code == 0 and "Already linked" in again.output, again.output
    taken = link("--user", ADMIN, "--issuer", provider.url, "--subject", "sub-cw")
    assert taken.exit_code != 0 and "linked to another user" in taken.output
    assert CASEWORKER not in taken.output, "the refusal names no one"
    other_agency = link("--user", OFFICER, "--issuer", provider.url, "--subject", "sub-x")
    assert other_agency.exit_code != 0 and "administrator's agency" in other_agency.output
    not_admin = link("--user", CASEWORKER, "--issuer", provider.url, "--subject", "sub-y", "--by", CASEWORKER)
    assert not_admin.exit_code != 0 and "only an administrator" in not_admin.output


def test_nothing_of_the_person_or_the_trip_is_logged(service: Service, provider: Provider) -> None:
    client = service.client
    client.cookies.clear()
    location = to_provider(client)
    back = at_provider(location)
    assert client.get(back).status_code == 200
    provider.behaviour.subject = "sub-nobody"
    client.cookies.clear()
    assert trip(client).status_code == 401
    logged = service.log.getvalue()
    query = parse_qs(urlsplit(back).query)
    assert "/api/v1/session/oidc/callback" in logged
    for value in [CASEWORKER, "sub-cw", "sub-nobody", query["code"][0], query["state"][0],
                  parse_qs(urlsplit(location).query)["nonce"][0]]:
        assert value not in logged
