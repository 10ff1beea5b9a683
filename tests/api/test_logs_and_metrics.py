"""The service's request log and metrics (issue 20): one JSON line per request with its route template,
status and timing, and counts by route template at /metrics; neither holds a user name, a path's
value, a password, a cookie, the CSRF token, a query string or a problem's detail. Real requests over a
real store (the decision table's world), the log captured from the stream the app is given."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from accord.api import create_app
from accord.config import Settings
from accord.store.db import make_engine, make_session_factory, session_scope
from accord.store.migrate import upgrade_to_head
from accord.workflows.signin import enable_second_factor, set_password
from tests.authenticator import Authenticator, code_for
from tests.workflows.case_county import seed_world

PASSWORD = "a long synthetic passphrase"
WRONG = "not-the-password-4711"
ADMIN, CASEWORKER, AGREEMENT = "admin.lea", "cw.health", "dsa-health"
MARK = "zebra-quartz"  # planted in paths and query strings: it must reach no log line and no label
FIELDS = {"timestamp", "level", "event", "method", "route", "status", "duration_ms"}


@dataclass
class Served:
    client: TestClient
    log: io.StringIO
    secrets: list[str]  # every credential the requests carried: the cookie, the CSRF token

    def lines(self) -> list[dict[str, Any]]:
        return [json.loads(line) for line in self.log.getvalue().splitlines()]


def _store(root: Path) -> str:
    url = f"sqlite:///{root / 'accord.db'}"
    engine = make_engine(url)
    upgrade_to_head(engine)
    engine.dispose()
    return url


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """The service after a few requests: a failed sign-in naming a user, an administrator's sign-in
    with the second factor, an agreement read by its id (and one that does not exist), a path that
    matches no route, an invalid body, and signing out with the CSRF header."""
    root = tmp_path_factory.mktemp("logs")
    url = _store(root)
    seed_world(url)
    engine = make_engine(url)
    with session_scope(make_session_factory(engine)) as session:
        set_password(session, ADMIN, PASSWORD)
        totp = enable_second_factor(session, ADMIN)
    engine.dispose()
    log = io.StringIO()
    app = create_app(Settings(data_dir=root, database_url=url), secure_cookies=False, log_stream=log,
                     clock=Authenticator())
    client = TestClient(app)
    assert client.post("/api/v1/session", json={"user": CASEWORKER, "password": WRONG}).status_code == 401
    assert client.post("/api/v1/session", json={"user": CASEWORKER}).status_code == 422
    signed = client.post("/api/v1/session", json={"user": ADMIN, "password": PASSWORD,
                                                  "code": code_for(app, totp)})
    assert signed.status_code == 200, signed.text
    csrf, cookie = signed.json()["csrf"], signed.cookies["accord_session"]
    read = client.get(f"/api/v1/agreements/{AGREEMENT}?{MARK}=1")
    assert read.status_code == 200 and read.json()["id"] == AGREEMENT
    missing = client.get(f"/api/v1/agreements/{MARK}")
    assert missing.status_code == 404 and MARK in missing.json()["detail"], "the detail names the object"
    assert client.get(f"/api/v1/nothing-here-{MARK}?q={MARK}").status_code == 404
    assert client.delete("/api/v1/session", headers={"X-CSRF-Token": csrf}).status_code == 204
    yield Served(client, log, [csrf, cookie])
    app.state.engine.dispose()


def test_one_json_line_per_request_with_its_route_template_status_and_time(served: Served) -> None:
    lines = served.lines()
    assert len(lines) == 7, lines
    for line in lines:
        assert FIELDS <= set(line) and line["event"] == "request", line
        assert isinstance(line["duration_ms"], float) and line["duration_ms"] >= 0
    seen = [(line["method"], line["route"], line["status"]) for line in lines]
    assert seen == [("POST", "/api/v1/session", 401), ("POST", "/api/v1/session", 422),
                    ("POST", "/api/v1/session", 200),
                    ("GET", "/api/v1/agreements/{agreement_id}", 200),
                    ("GET", "/api/v1/agreements/{agreement_id}", 404),
                    ("GET", "(unmatched)", 404), ("DELETE", "/api/v1/session", 204)]
    assert [line["level"] for line in lines] == ["warning", "warning", "info", "info", "warning", "warning",
                                                 "info"]
    refused, invalid, _, _, missing, nowhere, _ = lines
    assert refused["problem_title"] == "Not signed in" and "error" not in refused  # returned, not raised
    assert invalid["error"] == "RequestValidationError" and invalid["problem_title"] == "Invalid request"
    assert missing["error"] == "AgreementNotVisible" and missing["problem_title"] == "Not found"
    assert nowhere["error"] == "HTTPException" and nowhere["problem_title"] == "Not Found"


def test_no_log_line_holds_a_value(served: Served) -> None:
    text = served.log.getvalue()
    for value in [ADMIN, CASEWORKER, AGREEMENT, MARK, PASSWORD, WRONG, "?", *served.secrets]:
        assert value not in text, f"the log holds {value!r}"
    assert '"detail"' not in text and "Field required" not in text, "a problem's detail is never logged"


def test_metrics_count_by_route_template_and_name_no_value(served: Served) -> None:
    got = served.client.get("/metrics")
    assert got.status_code == 200 and got.headers["content-type"].startswith("text/plain")
    text = got.text
    for labels, count in [('method="POST",route="/api/v1/session",status="401"', 1),
                          ('method="GET",route="/api/v1/agreements/{agreement_id}",status="200"', 1),
                          ('method="GET",route="/api/v1/agreements/{agreement_id}",status="404"', 1),
                          ('method="GET",route="(unmatched)",status="404"', 1)]:
        assert f"accord_http_requests_total{{{labels}}} {count:.1f}" in text, labels
        assert f"accord_http_request_duration_seconds_count{{{labels}}} {count:.1f}" in text, labels
    for value in [ADMIN, CASEWORKER, AGREEMENT, MARK, *served.secrets]:
        assert value not in text, f"/metrics holds {value!r}"
    assert served.lines()[-1]["route"] == "/metrics", "the scrape is itself a request"


def test_each_app_counts_apart(served: Served, tmp_path: Path) -> None:
    """A second app in the process has its own registry (the global one would refuse its series)."""
    other = TestClient(create_app(Settings(data_dir=tmp_path, database_url=_store(tmp_path)),
                                  secure_cookies=False, log_stream=io.StringIO()))
    assert other.get("/health").status_code == 200
    text = other.get("/metrics").text
    assert 'route="/health",status="200"} 1.0' in text and "/api/v1/agreements" not in text
    assert 'route="/health"' not in served.client.get("/metrics").text


def test_a_crash_is_logged_by_its_class_alone(tmp_path: Path) -> None:
    """A store without its tables fails inside the route: the 500 is logged with the error's class
    and nothing of its message (which quotes the SQL and the session token's hash)."""
    log = io.StringIO()
    app = create_app(Settings(data_dir=tmp_path, database_url=f"sqlite:///{tmp_path / 'empty.db'}"),
                     secure_cookies=False, log_stream=log)
    # Raised on to the server, the error would reach its error log with the message: it is not.
    client = TestClient(app, raise_server_exceptions=True)
    crashed = client.get("/api/v1/me", headers={"Cookie": f"accord_session=token-{MARK}"})
    assert crashed.status_code == 500 and crashed.json() == {"type": "about:blank", "title": "Internal error",
                                                             "status": 500}
    [line] = [json.loads(x) for x in log.getvalue().splitlines()]
    assert (line["level"], line["route"], line["status"], line["error"]) == \
        ("error", "/api/v1/me", 500, "OperationalError")
    assert MARK not in log.getvalue() and "web_sessions" not in log.getvalue()
    app.state.engine.dispose()
