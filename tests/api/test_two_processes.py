"""Two trust domains as separate processes (issue 20): a hub (`accord serve`, its own data
directory, SQLite) and agency nodes (the school, the health department, the SNAP/TANF office), each
an `accord` process of its own with its own directory, key files and client credentials, sending
to the hub's API only what a node sends (`accord node send ... --hub URL`) and fetching what it
receives (`accord node results`).

One case request (the health caseworker's node encodes a child's description; the caseworker
signs in over HTTP and asks) and one cross-check (both nodes submit, the eligibility worker runs it
at the hub, each node fetches its results and the school resolves them to its own ids). A node's
token used for another agency is refused and leaves no row and no file. Afterwards the hub's data
directory and its request log hold no synthetic person's name, no school record id and no key.

The test process plays what is neither party: it writes the agencies' files, hands the linkage key
from one node to the others, and administers the hub (init, the world, `accord clients add`)."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import httpx
import pytest
from sqlalchemy import create_engine, inspect, text
from typer.testing import CliRunner

from accord.cli.app import app
from accord.domain.agencies import Role, User
from accord.domain.training import Completion
from accord.node import keep_node_key, make_node_key, make_school_pseudonym_key
from accord.node.hub_client import Credentials, HubClient, HubRefused, write_client_secret
from accord.store.db import make_engine, make_session_factory, session_scope
from accord.store.repositories.agencies import save_user
from accord.store.repositories.agreements import save_agreement
from accord.store.repositories.training import add_completions
from tests.leak_scan import names_in_files
from tests.workflows.case_county import _usable, read_rows, seed_world
from tests.workflows.crosscheck_county import AGREEMENT as DC_AGREEMENT
from tests.workflows.crosscheck_county import OFFICER, _write, dc_agreement

PASSWORD = "a long synthetic passphrase"
CASE_AGREEMENT = "dsa-health"
CROSSCHECK = {"agreement": DC_AGREEMENT, "school": "lea", "school_recipient": "ew.lea", "programs": ["dss"],
              "program_receives": ["enrolled_in_district"], "program_recipients": {"dss": "ew.dss"}}
STUDENTS = 300
READY_SECONDS = 60
LANGUAGES = ("English", "Spanish", "Vietnamese")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _clean_environment() -> dict[str, str]:
    """This process's environment without any Accord setting: each party sets its own."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("ACCORD_")}
    return {**env, "COLUMNS": "200", "NO_PROXY": "127.0.0.1,localhost", "no_proxy": "127.0.0.1,localhost"}


@dataclass
class Node:
    """An agency's node: its own folder (keys, files), its own data directory, its client id."""

    agency: str
    root: Path
    env: dict[str, str]

    def start(self, *args: str) -> subprocess.Popen[str]:
        return subprocess.Popen([sys.executable, "-m", "accord", *args], env=self.env, cwd=self.root,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def finished(*runs: subprocess.Popen[str], expect: int = 0) -> list[str]:
    """Each run's output once all have ended, each with the exit code `expect`."""
    outputs = []
    for run in runs:
        out, err = run.communicate(timeout=300)
        assert run.returncode == expect, (run.args, run.returncode, out, err)
        outputs.append(out + err)
    return outputs


@contextmanager
def serving(hub: Path, log: Path, tmp: Path) -> Iterator[str]:
    """`accord serve` over the hub's data directory, as a process of its own; its URL once ready."""
    port = _free_port()
    env = {**_clean_environment(), "ACCORD_DATA_DIR": str(hub), "TMPDIR": str(tmp)}
    with log.open("w", encoding="utf-8") as out:
        command = [sys.executable, "-m", "accord", "serve", "--port", str(port), "--insecure-cookies"]
        server = subprocess.Popen(command, env=env, cwd=hub, stdout=out, stderr=subprocess.STDOUT)
        url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + READY_SECONDS
            while True:
                assert server.poll() is None, log.read_text(encoding="utf-8")
                try:
                    if httpx.get(f"{url}/ready", timeout=2).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                assert time.monotonic() < deadline, "the hub did not become ready"
                time.sleep(0.2)
            yield url
        finally:
            server.terminate()
            server.wait(timeout=30)


def _hub_rows(db_url: str) -> dict[str, int]:
    """Rows per table, tokens aside (a node's token is its credential, not data)."""
    engine = create_engine(db_url)
    try:
        with engine.connect() as con:
            return {t: int(con.execute(text(f'SELECT COUNT(*) FROM "{t}"')).scalar_one())
                    for t in inspect(engine).get_table_names() if t != "machine_tokens"}
    finally:
        engine.dispose()


def _hub_files(hub: Path) -> dict[str, bytes]:
    """The hub's files but its database's own (which the token checks write)."""
    return {str(p.relative_to(hub)): p.read_bytes() for p in hub.rglob("*")
            if p.is_file() and not p.name.startswith("accord.db")}


def _seed(db_url: str) -> None:
    """The decision table's world, the cross-check's agreement and the records officers."""
    seed_world(db_url)
    engine = make_engine(db_url)
    try:
        with session_scope(make_session_factory(engine)) as session:
            for user in (User(OFFICER, "lea", Role.RECORDS_OFFICER),
                         User("ro.dss", "dss", Role.RECORDS_OFFICER)):
                save_user(session, user)
                add_completions(session, [Completion(user.id, "ferpa-basics", date(2026, 9, 1),
                                                     date(2027, 9, 1))])
            save_agreement(session, dc_agreement())
    finally:
        engine.dispose()


@dataclass
class County:
    """The agencies' own files, written into their nodes' folders, and what the test knows of them."""

    names: set[str]
    school_ids: set[str]
    person_of: dict[str, str]  # any roster's record id -> the person
    program_of: dict[str, str]  # the SNAP/TANF list's record id -> snap or tanf
    child: dict[str, str]  # the health department's row of the child asked about
    child_school_id: str
    language_of: dict[str, str]  # school record id -> primary language


def _county(synth: Path, school: Path, health: Path, dss: Path) -> County:
    person = {r["record_id"]: r["person_id"] for r in read_rows(synth / "truth.csv")}
    students = _usable(read_rows(synth / "education.csv"))
    patients = _usable(read_rows(synth / "health.csv"))
    listed = read_rows(synth / "snap_tanf.csv")
    names = {r[c] for rows in (students, patients, listed) for r in rows for c in ("first_name", "last_name")
             if len(r[c]) > 3}
    by_person = {person[s["record_id"]]: s for s in students}
    same = ("first_name", "last_name", "date_of_birth", "street_address")
    child = next(p for p in patients if (s := by_person.get(person[p["record_id"]]))
                 and all(p[c] == s[c] for c in same))
    child_school_id = by_person[person[child["record_id"]]]["record_id"]
    language = {s["record_id"]: LANGUAGES[n % len(LANGUAGES)] for n, s in enumerate(students)}
    _write(school / "students.csv", [*students[0], "grade_level", "primary_language"],
           [[*s.values(), "Fifth grade", language[s["record_id"]]] for s in students])
    consent = ["health", "family_background", "supportive_services", "2026-08-21", "parent", "es"]
    _write(school / "enrollments.csv",
           ["record_id", "school_id", "entry_date", "grade_level", "consent_recipient_agency_id",
            "consent_elements", "consent_purpose", "consent_signed_on", "consent_signer_role",
            "consent_language"],
           [[s["record_id"], "255901001", "2026-08-20", "Fifth grade",
             *(consent if s["record_id"] == child_school_id else [""] * 6)] for s in students])
    _write(health / "roster.csv", list(patients[0]), [list(p.values()) for p in patients])
    _write(health / "ask.csv", list(child), [list(child.values())])
    program = {r["record_id"]: "tanf" if n % 7 == 0 else "snap" for n, r in enumerate(listed)}
    _write(dss / "list.csv", [*listed[0], "program"],
           [[*r.values(), program[r["record_id"]]] for r in listed])
    return County(names, {s["record_id"] for s in students}, person, program, child, child_school_id,
                  language)


def _cli(*args: str) -> str:
    result = CliRunner().invoke(app, list(args))
    assert result.exit_code == 0, (args, result.output, result.exception)
    return result.output


def _credentials(agency: str) -> Credentials:
    """`accord clients add` at the hub: the id, and the secret it shows once."""
    shown = " ".join(_cli("clients", "add", "--agency", agency).split())
    found = re.search(r"Client (node-\S+) for \S+ Its secret, shown once \(.*\): (\S+)$", shown)
    assert found, shown
    return Credentials(found.group(1), found.group(2))


def test_a_hub_and_agency_nodes_as_separate_processes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                                      ) -> None:
    hub, server_tmp = tmp_path / "hub", tmp_path / "hub-tmp"
    school, health, dss = (tmp_path / n for n in ("school-node", "health-node", "dss-node"))
    for folder in (hub, server_tmp, school, health, dss):
        folder.mkdir()
    for name in [k for k in os.environ if k.startswith("ACCORD_")]:
        monkeypatch.delenv(name)
    monkeypatch.setenv("ACCORD_DATA_DIR", str(hub))  # the hub's administration, in this process
    monkeypatch.setenv("COLUMNS", "250")
    db_url = f"sqlite:///{hub / 'accord.db'}"

    # The hub: initialised, the world seeded, the cross-check defined, a caseworker's password,
    # and a client for each node.
    _cli("init")
    _cli("intake", "content-key", "--out", str(hub / "content.key"))
    _seed(db_url)
    definition = tmp_path / "dc.json"
    definition.write_text(json.dumps(CROSSCHECK), encoding="utf-8")
    _cli("crosscheck", "define", str(definition), "--by", OFFICER)
    (tmp_path / "pw.txt").write_text(PASSWORD + "\n", encoding="utf-8")
    _cli("users", "password", "cw.health", "--password-file", str(tmp_path / "pw.txt"))
    credentials = {agency: _credentials(agency) for agency in ("lea", "health", "dss")}
    log = tmp_path / "hub-requests.log"
    with serving(hub, log, server_tmp) as url:
        # The agencies' files, and their nodes: keys made at the school's node and handed to the
        # others, pseudonym keys of their own, the client secrets in a node's file or its environment.
        _cli("synth", "--students", str(STUDENTS), "--out", str(tmp_path / "synth"), "--seed", "8")
        county = _county(tmp_path / "synth", school, health, dss)
        key = make_node_key(school / "linkage.key", hub)
        for node in (health, dss):
            keep_node_key(key, node / "linkage.key", hub)
        for node in (school, dss):
            make_school_pseudonym_key(node / "pseudonym.key", hub)
        for agency, node in (("lea", school), ("health", health)):
            write_client_secret(node / "hub-client.secret", credentials[agency].secret)

        def node(agency: str, root: Path, **extra: str) -> Node:
            return Node(agency, root, {**_clean_environment(), "ACCORD_NODE_DIR": str(root),
                                       "ACCORD_DATA_DIR": str(root / "data"), "ACCORD_HUB_URL": url,
                                       "ACCORD_HUB_CLIENT_ID": credentials[agency].client_id, **extra})

        lea, hd = node("lea", school), node("health", health)
        sd = node("dss", dss, ACCORD_HUB_CLIENT_SECRET=credentials["dss"].secret)

        # A node's token used for another agency: refused, and nothing of it kept.
        rows, files = _hub_rows(db_url), _hub_files(hub)
        with HubClient(url, credentials["dss"]) as client:
            for attempt in (lambda: client.load("lea", "enrollments", school / "enrollments.csv"),
                            lambda: client.submit_crosscheck(DC_AGREEMENT, "lea", school / "students.csv",
                                                             school / "students.csv"),
                            lambda: client.crosscheck_results(1, "lea", tmp_path / "taken.csv")):
                with pytest.raises(HubRefused) as refused:
                    attempt()
                assert refused.value.status == 403 and "acts for dss, not lea" in str(refused.value)
        assert _hub_rows(db_url) == rows and _hub_files(hub) == files and not list(server_tmp.iterdir())
        assert not (tmp_path / "taken.csv").exists()

        # Each node sends in one command what it encodes or copies: the school its students (for
        # the case agreement) and its submission for the cross-check, the SNAP/TANF office its
        # list; the health caseworker's node encodes the child's description (at the node only).
        students = lea.start("node", "send", "intake", "--agency", "lea", "--kind", "students",
                             "--in", "students.csv", "--agreement", CASE_AGREEMENT, "--as-of", "2026-11-15")
        submissions = (lea.start("node", "send", "crosscheck", "--agreement", DC_AGREEMENT, "--agency", "lea",
                                 "--in", "students.csv"),
                       sd.start("node", "send", "crosscheck", "--agreement", DC_AGREEMENT, "--agency", "dss",
                                "--in", "list.csv"))
        asked = hd.start("node", "encode", "--in", "ask.csv", "--out", "ask.parquet",
                         "--agreement", CASE_AGREEMENT)
        [shown] = finished(students)
        assert f"{len(county.school_ids):,} loaded" in " ".join(shown.split()), shown

        # Once the school's students are at the hub: its enrollments (a consent captured with one
        # of them) and the health department's roster (the school's comes first; linked with it,
        # it trains the lookup for the health department's requests); and, both submissions in,
        # the eligibility worker runs the cross-check at the hub.
        loading = (lea.start("node", "send", "intake", "--agency", "lea", "--kind", "enrollments",
                             "--in", "enrollments.csv"),
                   hd.start("node", "send", "intake", "--agency", "health", "--kind", "roster",
                            "--element", "clinical_conditions", "--in", "roster.csv",
                            "--agreement", CASE_AGREEMENT))
        assert all("kept until the next run" in out for out in finished(*submissions))
        ran = _cli("crosscheck", "run", "--agreement", DC_AGREEMENT, "--by", "ew.lea")
        run = int(ran.split("Cross-check run ")[1].split()[0])
        shown = finished(*loading, asked)
        assert "1 consent(s) captured at enrollment recorded" in shown[0], shown[0]

        # The case request: the caseworker signs in and sends the child's encoded description.
        with httpx.Client(base_url=url, timeout=120) as caseworker:
            signed = caseworker.post("/api/v1/session", json={"user": "cw.health", "password": PASSWORD,
                                                               "code": None})
            assert signed.status_code == 200, signed.text
            answer = caseworker.post(
                "/api/v1/cases", headers={"X-CSRF-Token": signed.json()["csrf"]},
                data={"source": "lea", "purpose": "supportive_services",
                      "fields": "family_background,grade_level"},
                files={"student_ref": ("ask.parquet", (health / "ask.parquet").read_bytes())})
        assert answer.status_code == 200, answer.text
        release = answer.json()
        assert release["permitted"] and release["identification"] == "found", release
        released = {item["element"]: item["values"] for item in release["released"]}
        assert released["family_background"]["primary_language"] == county.language_of[county.child_school_id]
        assert released["grade_level"]["grade_level"] == "Fifth grade"
        assert "may not disclose them to anyone else" in str(release["redisclosure_notice"])

        # Each node fetches its results; the school's resolved to its own student ids at once.
        finished(lea.start("node", "results", str(run), "--agency", "lea", "--ids-from", "students.csv",
                           "--out", "certified.csv"),
                 sd.start("node", "results", str(run), "--agency", "dss", "--out", "results.csv"))
    certified = {r["student_id"]: r["program_category"] for r in read_rows(school / "certified.csv")}
    listed_people = {county.person_of[r] for r, p in county.program_of.items() if p == "snap"}
    truly = {s for s in county.school_ids if county.person_of[s] in listed_people}
    assert certified and set(certified) <= county.school_ids and set(certified.values()) == {"snap"}
    right = {s for s in certified if s in truly}
    assert len(right) >= 0.95 * len(truly) and len(right) >= 0.99 * len(certified), (len(right), len(truly))
    outreach = read_rows(dss / "results.csv")
    assert outreach and {r["released"] for r in outreach} == {"enrolled_in_district"}
    assert {r["record_id"][:2] for r in outreach} == {"p-"}, "the program's own ids never reached the hub"

    # What the hub kept and logged: no name, no school record id, no key of any node.
    kept = [p for p in hub.rglob("*") if p.is_file()]
    assert not names_in_files(county.names, [*kept, log])
    raw = b"".join(p.read_bytes() for p in [*kept, log])
    assert not [i for i in county.school_ids if i.encode() in raw], "a school record id reached the hub"
    pseudonym_keys = [(n / "pseudonym.key").read_text(encoding="ascii").split()[-1] for n in (school, dss)]
    for secret in (key, key.hex().encode(), b"accord-linkage-key", b"accord-pseudonym-key",
                   *(k.encode() for k in pseudonym_keys), *(bytes.fromhex(k) for k in pseudonym_keys)):
        assert secret not in raw, "a node's key reached the hub"
    assert not [c for c in credentials.values() if c.secret.encode() in raw], "a client secret kept in clear"
    assert not list(server_tmp.iterdir()), "an upload outlived its call"
