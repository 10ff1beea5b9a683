"""The agency node's client of the hub's API and the routes it calls (issue 20), in process: a node
loads its files as `accord intake load` would (the same report, the same row-level refusals, nothing
kept when refused), only for its own agency, within the size limit; the client keeps its token until
it expires, sends credentials only over https (or to this machine) and keeps its secret as a key.

The hub is the intake tests' (tests/workflows/intake_hub.py); the service over it runs in process
and the client talks to it through a TestClient in place of the network."""

from __future__ import annotations

import os
import stat
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from accord.api import create_app
from accord.api.deps import now
from accord.api.routes import nodes
from accord.cli.app import app as cli
from accord.config import Settings
from accord.linkage.encode.keys import read_key_file
from accord.node import encode_file
from accord.node.hub_client import (
    Credentials,
    HubAddressError,
    HubClient,
    HubRefused,
    HubRejected,
    HubSecretError,
    HubUnavailable,
    hub_address,
    read_client_secret,
    write_client_secret,
)
from accord.store.db import make_engine, make_session_factory, session_scope
from accord.workflows.machine_clients import register_client
from tests.workflows.intake_hub import (  # noqa: F401 (the hub fixture)
    ATTENDANCE_COLUMNS,
    IDS,
    SCHOOL,
    STUDENT_COLUMNS,
    STUDENTS,
    Hub,
    attendance,
    hub,
)


@dataclass
class Node:
    """The service over the intake tests' hub, and a client for each agency's node."""

    hub: Hub
    http: TestClient
    clients: dict[str, Credentials]

    def client(self, agency: str, clock: Callable[[], float] = time.monotonic) -> HubClient:
        return HubClient("http://127.0.0.1:8000", self.clients[agency], http=self.http, clock=clock)

    def files(self) -> dict[str, bytes]:
        """Every file of the hub's data directory but the database's own, with its bytes."""
        root = self.hub.root / "data"
        return {str(p.relative_to(root)): p.read_bytes() for p in root.rglob("*")
                if p.is_file() and not p.name.startswith("accord.db")}


@pytest.fixture
def node(request: pytest.FixtureRequest, db_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
         ) -> Iterator[Node]:
    at: Hub = request.getfixturevalue("hub")  # the intake tests' hub, on `db_url` (SQLite, PostgreSQL)
    uploads = tmp_path / "server-tmp"
    uploads.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(uploads))  # where the routes' upload folders go
    engine = make_engine(at.db_url)
    clients = {}
    try:
        with session_scope(make_session_factory(engine)) as session:
            for agency in ("lea", "health"):
                clients[agency] = Credentials(*register_client(session, agency, now()))
    finally:
        engine.dispose()
    settings = Settings(data_dir=at.root / "data", database_url=at.db_url,
                        content_key_file=at.root / "content.key")
    service = create_app(settings, secure_cookies=False)
    with TestClient(service) as http:
        yield Node(at, http, clients)
    service.state.engine.dispose()
    assert not list(uploads.iterdir()), "an upload's folder outlived its call"


def _students(at: Hub) -> tuple[Path, Path]:
    """The school's node: its students file's copy for the hub and its encodings for dsa-health."""
    source = at.write_csv("students.csv", STUDENT_COLUMNS, STUDENTS)
    outbox = at.root / "outbox"
    outbox.mkdir(exist_ok=True)
    copy, encodings = outbox / "students.csv", outbox / "students.dsa-health.parquet"
    encode_file(source, encodings, read_key_file(at.root / "shared.key"), "dsa-health", copy)
    return copy, encodings


def test_a_node_loads_through_the_api_as_through_the_command_line(node: Node) -> None:
    copy, encodings = _students(node.hub)
    with node.client("lea") as client:
        report = client.load("lea", "students", copy, [encodings])
    assert report["rows_read"] == report["rows_loaded"] == 3 and report["rosters"] == {"dsa-health": 3}
    assert report["source"] == "students.csv" and report["ledger_entry"] is not None
    assert node.hub.count("students") == 3

    # A file with a bad row: refused whole, row by row, in the words the command line uses.
    rows = attendance(2)
    rows[3] = [IDS[1], SCHOOL, "2026-02-30", "Tardy"]
    bad = node.hub.write_csv("attendance.csv", ATTENDANCE_COLUMNS, rows)
    before = node.hub.counts()
    with node.client("lea") as client, pytest.raises(HubRejected) as refused:
        client.load("lea", "attendance", bad)
    err = refused.value
    assert err.status == 400 and err.rows_rejected == 1
    assert str(err).startswith("the hub refused: attendance.csv, row 5, field event_date: ")
    assert "nothing was loaded" in str(err) and "2026-02-30" not in str(err)
    [rejection] = err.rejections
    assert (rejection["file"], rejection["row"], rejection["field"]) == ("attendance.csv", 5, "event_date")
    assert node.hub.counts() == before
    shown = node.hub.run("intake", "load", "--agency", "lea", "--kind", "attendance", "--in", str(bad)).output
    assert rejection["reason"] in " ".join(shown.split()), "the command line refuses the row in other words"
    assert node.hub.counts() == before

    # The same file without the bad row loads; the same bytes again change nothing.
    del rows[3]
    good = node.hub.write_csv("attendance.csv", ATTENDANCE_COLUMNS, rows)
    with node.client("lea") as client:
        assert client.load("lea", "attendance", good)["rows_loaded"] == len(rows)
        assert client.load("lea", "attendance", good)["same_file_as"] is not None


def test_a_node_cannot_act_for_another_agency_and_leaves_no_trace(node: Node) -> None:
    copy, encodings = _students(node.hub)
    before, files = node.hub.counts(), node.files()
    with node.client("health") as client:
        for attempt in (lambda: client.load("lea", "students", copy, [encodings]),
                        lambda: client.submit_crosscheck("dsa-health", "lea", encodings, copy),
                        lambda: client.crosscheck_results(1, "lea", node.hub.root / "taken.csv")):
            with pytest.raises(HubRefused) as refused:
                attempt()
            assert refused.value.status == 403 and "acts for health, not lea" in str(refused.value)
    assert node.hub.counts() == before and node.files() == files
    assert not (node.hub.root / "taken.csv").exists()
    anonymous = node.http.post("/api/v1/intake/lea", files={"file": ("students.csv", copy.read_bytes())},
                               data={"kind": "students"})
    assert anonymous.status_code == 401 and anonymous.headers["content-type"] == "application/problem+json"
    assert node.hub.counts() == before and node.files() == files


def test_an_upload_past_the_limit_is_refused_and_kept_nowhere(node: Node, monkeypatch: pytest.MonkeyPatch
                                                              ) -> None:
    copy, encodings = _students(node.hub)
    monkeypatch.setattr(nodes, "MAX_UPLOAD", 600)
    before, files = node.hub.counts(), node.files()
    with node.client("lea") as client, pytest.raises(HubRejected) as refused:
        client.load("lea", "students", copy, [encodings])
    assert refused.value.status == 413 and "students.dsa-health.parquet: larger than" in str(refused.value)
    assert node.hub.counts() == before and node.files() == files
    monkeypatch.setattr(nodes, "CHUNK", 100)  # the whole request past its limit, while it is read
    with node.client("lea") as client, pytest.raises(HubRejected) as refused:
        client.load("lea", "students", copy, [encodings])
    assert refused.value.status == 413 and "the request is larger than" in str(refused.value)
    assert node.hub.counts() == before and node.files() == files


def test_a_form_the_route_does_not_take_is_refused_by_field(node: Node) -> None:
    copy, _ = _students(node.hub)
    with node.client("lea") as client:
        with pytest.raises(HubRejected) as refused:
            client.load("lea", "students", copy)  # a students file without its encodings
        assert refused.value.status == 400 and "--encoded: a students file comes with its identities" \
            in str(refused.value)
    token = node.http.post("/api/v1/token", data={"grant_type": "client_credentials",
                                                  "client_id": node.clients["lea"].client_id,
                                                  "client_secret": node.clients["lea"].secret}).json()
    bearer = {"Authorization": f"Bearer {token['access_token']}"}
    stray = node.http.post("/api/v1/intake/lea", headers=bearer, data={"kind": "students", "colour": "red"},
                           files={"file": ("students.csv", copy.read_bytes())})
    assert stray.status_code == 422 and "body.colour" in stray.json()["detail"]
    missing = node.http.post("/api/v1/intake/lea", headers=bearer, files={"file": ("s.csv", b"record_id\n")})
    assert missing.status_code == 422 and "body.kind: Field required" in missing.json()["detail"]
    huge = node.http.get(f"/api/v1/crosschecks/runs/{2**70}/results/lea", headers=bearer)
    assert huge.status_code == 422 and "run_id" in huge.json()["detail"]


def test_the_client_keeps_its_token_until_it_expires(node: Node) -> None:
    asked: list[str] = []
    node.http.event_hooks = {"request": [lambda r: asked.append(r.url.path) if r.url.path.endswith("/token")
                                         else None], "response": []}
    clock = [0.0]
    copy, encodings = _students(node.hub)
    with node.client("lea", clock=lambda: clock[0]) as client:
        client.load("lea", "students", copy, [encodings], dry_run=True)
        client.load("lea", "students", copy, [encodings], dry_run=True)
        assert len(asked) == 1, "the token is kept while it lasts"
        clock[0] = 3600.0 - 30  # within the last minute of its hour
        assert client.load("lea", "students", copy, [encodings], dry_run=True)["would_load"] == 3
        assert len(asked) == 2
    wrong = HubClient("http://localhost", Credentials(node.clients["lea"].client_id, "not the secret"),
                      http=node.http)
    with pytest.raises(HubRefused) as refused:
        wrong.load("lea", "students", copy, [encodings])
    assert "refused client node-lea-" in str(refused.value) and "not the secret" not in str(refused.value)
    assert node.hub.count("students") == 0


def test_credentials_go_only_over_https_or_to_this_machine() -> None:
    assert hub_address("https://hub.example.org/") == "https://hub.example.org"
    for local in ("http://127.0.0.1:8000", "http://localhost:8000", "http://[::1]:8000"):
        assert hub_address(local) == local
    for bad in ("http://hub.example.org", "ftp://hub.example.org", "hub.example.org", "https://h/?x=1"):
        with pytest.raises(HubAddressError):
            hub_address(bad)


def test_an_unreachable_hub_is_a_temporary_failure_that_names_no_secret() -> None:
    def down(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    http = httpx.Client(base_url="https://hub.example.org", transport=httpx.MockTransport(down))
    client = HubClient("https://hub.example.org", Credentials("node-lea-1", "s3cret"), http=http)
    with pytest.raises(HubUnavailable) as failed:
        client.crosscheck_results(1, "lea", Path("unused.csv"))
    assert failed.value.exit_code == 75
    assert "s3cret" not in str(failed.value) and "cannot reach the hub (ConnectError)" in str(failed.value)


def test_the_client_secret_is_kept_as_a_key_is(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ACCORD_NODE_DIR", str(tmp_path / "node"))
    monkeypatch.setenv("ACCORD_DATA_DIR", str(tmp_path / "hub"))
    kept = CliRunner().invoke(cli, ["node", "hub-secret"], input="the-secret-shown-once\n")
    assert kept.exit_code == 0, kept.output
    path = tmp_path / "node" / "hub-client.secret"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600 and "the-secret-shown-once" not in kept.output
    assert read_client_secret(path) == "the-secret-shown-once"
    again = CliRunner().invoke(cli, ["node", "hub-secret"], input="another\n")
    assert again.exit_code == 2 and "refusing to overwrite" in again.output
    os.chmod(path, 0o644)
    with pytest.raises(HubSecretError, match="can be read by other users"):
        read_client_secret(path)
    with pytest.raises(HubSecretError):
        write_client_secret(tmp_path / "other.secret", "two words")


def test_the_nodes_commands_send_and_show_the_hubs_answer(node: Node, monkeypatch: pytest.MonkeyPatch
                                                          ) -> None:
    """`accord node send intake` at the school's node (its own folder and settings), the service in
    process in place of the network: encoded and sent in one command; a refusal shows its rows and
    exits as the hub's command line would."""
    from accord.cli import node as node_commands

    real = node_commands.hub_client
    monkeypatch.setattr(node_commands, "hub_client",
                        lambda url, client_id, secret: real(url, client_id, secret, http=node.http))
    folder = node.hub.root / "school-node"
    folder.mkdir()
    (folder / "linkage.key").write_bytes((node.hub.root / "shared.key").read_bytes())
    os.chmod(folder / "linkage.key", 0o600)
    write_client_secret(folder / "hub-client.secret", node.clients["lea"].secret)
    monkeypatch.setenv("ACCORD_NODE_DIR", str(folder))
    monkeypatch.setenv("ACCORD_HUB_URL", "http://127.0.0.1:8000")
    monkeypatch.setenv("ACCORD_HUB_CLIENT_ID", node.clients["lea"].client_id)
    source = node.hub.write_csv("students.csv", STUDENT_COLUMNS, STUDENTS)
    sent = node.hub.run("node", "send", "intake", "--agency", "lea", "--kind", "students",
                        "--in", str(source), "--agreement", "dsa-health", "--keep", str(folder / "sent"),
                        "--as-of", "2026-11-15")
    assert sent.exit_code == 0, sent.output
    # A students file's copy gives no month of turning 18 that is not near (ADR 0030).
    copied = (folder / "sent" / "students.csv").read_text(encoding="utf-8").splitlines()
    assert [line.rsplit(",", 1)[1] for line in copied] == ["turns_18_in", *["2027-02/.."] * 3]
    shown = " ".join(sent.output.split())
    assert "students.csv (students, agency lea): 3 rows read, 3 loaded." in shown
    assert "roster of lea for agreement dsa-health now holds 3 records" in shown
    kept = sorted(p.name for p in (folder / "sent").iterdir())
    assert kept == ["students.csv", "students.dsa-health.parquet"]
    assert "Zyra" not in (folder / "sent" / "students.csv").read_text(encoding="utf-8")

    rows = attendance(1)
    rows[1][2] = "not a day"
    bad = node.hub.write_csv("attendance.csv", ATTENDANCE_COLUMNS, rows)
    send = ("node", "send", "intake", "--kind", "attendance", "--in", str(bad))
    refused = node.hub.run(*send, "--agency", "lea")
    shown = " ".join(refused.output.split())
    assert refused.exit_code == 2 and "Nothing was loaded" in shown and "event_date" in shown
    assert "the hub refused: attendance.csv, row 3, field event_date" in shown and "not a day" not in shown
    other = node.hub.run(*send, "--agency", "health")
    assert other.exit_code == 1 and "acts for lea, not health" in " ".join(other.output.split())
    assert node.hub.count("record_content") == 3  # the students file's grades only
