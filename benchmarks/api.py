"""The service under concurrent clients (issue 20): requests per second and p50/p99 latency of a case
request and of a cheap GET, against a real `accord serve` (uvicorn, one process) on a free port.

The world is built as a user builds it: `accord demo --reset` (the project's own command) stores a
synthetic county (the school `lea`, the health department and the other partners, their agreements,
the consents captured at enrollment, trained caseworkers) and leaves each agency node's files beside
the hub's data directory, among them the health node's encoding of the consented child's description
(`accord-demo-nodes/health/ask-consented.parquet`, what `accord node encode` makes). The benchmark
gives the demo's health counselor (`cw.health.1`) a password (accord.workflows.signin.set_password),
starts `accord serve --insecure-cookies` in a child process (its JSON request lines go to a file), and
signs each client in (its own session cookie and X-CSRF-Token). Then, per case, every client sends
requests one after another (closed loop) for --seconds; the requests in flight at the deadline finish
and count. A request is timed from send to its full response, on the client's side; the server's own
mean (from /metrics) is printed beside it, so that the client's and the network's share shows.

Cases: `GET /api/v1/me` (sign-in check and one read: the framework's and the session's cost) and
`POST /api/v1/cases` (multipart: source lea, purpose supportive_services, fields attendance and
grades, the encoded description as `student_ref`: identification, the decision, the ledger entry and
the release). Target on this machine, SQLite: 300 req/s with p99 under 100 ms under 50 clients. With
a closed loop the two are one condition (Little's law: 50 clients at 100 ms each is 500 req/s).

On PostgreSQL (--postgres URL: a server the URL's role may create a database on) the benchmark
creates a scratch database, builds the world in it, and drops it afterwards. Nothing identifying is
printed: counts, statuses and milliseconds.

    .venv/bin/python benchmarks/api.py                          # SQLite, 50 clients, 20 s per case
    .venv/bin/python benchmarks/api.py --keep /tmp/api-world    # build once, reuse on the next run
    .venv/bin/python benchmarks/api.py --postgres postgresql+psycopg://USER:PW@127.0.0.1:5432/postgres
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import create_engine, make_url, text

from accord.store.db import make_engine, make_session_factory, session_scope
from accord.workflows.signin import set_password

CASEWORKER = "cw.health.1"  # the demo's health counselor, who asks about the consented child
STUDENT_REF = Path("accord-demo-nodes") / "health" / "ask-consented.parquet"
CASE_FORM = {"source": "lea", "purpose": "supportive_services", "fields": "attendance,grades"}
PASSWORD = "a long synthetic passphrase for the benchmark"
TARGET_RPS, TARGET_P99_MS = 300.0, 100.0
CASES = {"GET /api/v1/me": "me", "POST /api/v1/cases": "cases"}
START_SECONDS = 120.0

Send = Callable[[httpx.AsyncClient], Awaitable[httpx.Response]]


@dataclass
class Figures:
    """One case's run: every request's status (0: no response) and each response's latency, and the
    run's wall time."""

    name: str
    seconds: float = 0.0
    server_cpu_seconds: float = float("nan")  # the server process's CPU time over the run (Linux)
    latencies_ms: list[float] = field(default_factory=list)
    statuses: Counter[int] = field(default_factory=Counter)

    @property
    def requests(self) -> int:
        return sum(self.statuses.values())

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def percentile(self, p: float) -> float:
        """The nearest-rank percentile (p in 0..100) of the latencies, in milliseconds."""
        ordered = sorted(self.latencies_ms)
        return ordered[max(0, math.ceil(len(ordered) * p / 100) - 1)] if ordered else float("nan")

    @property
    def server_cpu_ms(self) -> float:
        """The server's CPU time per request: what the load of other processes does not change."""
        return self.server_cpu_seconds / self.requests * 1000 if self.requests else float("nan")

    @property
    def errors(self) -> int:
        return sum(n for status, n in self.statuses.items() if not 200 <= status < 300)


# --- the server ---------------------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def hub_env(data_dir: Path, database_url: str) -> dict[str, str]:
    """The environment `accord` commands read (ACCORD_*), pointing at this world only."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("ACCORD_")}
    return {**env, "ACCORD_DATA_DIR": str(data_dir), "ACCORD_DATABASE_URL": database_url}


def cpu_seconds(pid: int) -> float:
    """A process's CPU time so far (user and system), from /proc; NaN where there is none."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    except OSError:
        return float("nan")
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime, stime


@contextmanager
def served(env: dict[str, str], log: Path, pids: list[int] | None = None) -> Iterator[str]:
    """`accord serve` in a child process on a free port, as an operator starts it; its base URL once
    /health answers (and its process id added to `pids`). Its request log (JSON lines) goes to `log`."""
    port = free_port()
    with log.open("w", encoding="utf-8") as out:
        child = subprocess.Popen([sys.executable, "-m", "accord", "serve", "--host", "127.0.0.1",
                                  "--port", str(port), "--insecure-cookies"],
                                 env=env, stdout=out, stderr=subprocess.STDOUT)
        if pids is not None:
            pids.append(child.pid)
        base = f"http://127.0.0.1:{port}"
        try:
            _wait_until_up(base, child, log)
            yield base
        finally:
            child.terminate()
            try:
                child.wait(timeout=15)
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()


def _wait_until_up(base: str, child: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if child.poll() is not None:
            raise RuntimeError(f"accord serve exited ({child.returncode}): {log.read_text()[-2000:]}")
        try:
            if httpx.get(f"{base}/health", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"accord serve did not answer within {START_SECONDS:.0f} s")


# --- the clients --------------------------------------------------------------------------------------

async def signed_in_clients(base: str, user: str, password: str, n: int) -> list[httpx.AsyncClient]:
    """`n` clients, each signed in as `user` with a session of its own (the cookie in its jar, the
    session's CSRF token in its headers), one connection each."""
    clients = []
    for _ in range(n):  # one after another: sign-in hashes the password (argon2id) on purpose
        # An idle connection is dropped before the server's keep-alive (uvicorn: 5 s) can close it
        # under a request: the sign-ins of 50 clients take longer than that.
        client = httpx.AsyncClient(base_url=base, timeout=httpx.Timeout(600.0),
                                   limits=httpx.Limits(max_connections=1, keepalive_expiry=2.0))
        got = await client.post("/api/v1/session", json={"user": user, "password": password, "code": None})
        if got.status_code != 200:
            raise RuntimeError(f"sign-in refused: {got.status_code}")
        client.headers["X-CSRF-Token"] = got.json()["csrf"]
        clients.append(client)
    return clients


async def load(name: str, clients: list[httpx.AsyncClient], send: Send, seconds: float | None = None,
               per_client: int | None = None) -> Figures:
    """Every client sends `send`'s request one after another, for `seconds` (each finishes the one in
    flight at the deadline) or `per_client` times."""
    figures = Figures(name)
    started = time.perf_counter()
    deadline = started + seconds if seconds is not None else None

    async def one(client: httpx.AsyncClient) -> None:
        sent = 0
        while (per_client is None or sent < per_client) and \
                (deadline is None or time.perf_counter() < deadline):
            t = time.perf_counter()
            sent += 1
            try:
                response = await send(client)
            except httpx.TransportError:
                figures.statuses[0] += 1  # counted as an error, and the client goes on
                continue
            figures.latencies_ms.append((time.perf_counter() - t) * 1000)
            figures.statuses[response.status_code] += 1

    await asyncio.gather(*(one(c) for c in clients))
    figures.seconds = time.perf_counter() - started
    return figures


def get_me(client: httpx.AsyncClient) -> Awaitable[httpx.Response]:
    return client.get("/api/v1/me")


def case_request(student_ref: bytes) -> Send:
    def send(client: httpx.AsyncClient) -> Awaitable[httpx.Response]:
        return client.post("/api/v1/cases", data=CASE_FORM,
                           files={"student_ref": ("child.parquet", student_ref, "application/octet-stream")})
    return send


def server_mean_ms(base: str) -> dict[tuple[str, str], float]:
    """The server's own mean time per (method, route template), from its /metrics."""
    sums: dict[tuple[str, str], float] = {}
    counts: dict[tuple[str, str], float] = {}
    for family in text_string_to_metric_families(httpx.get(f"{base}/metrics").text):
        for sample in family.samples:
            key = (sample.labels.get("method", ""), sample.labels.get("route", ""))
            if sample.name == "accord_http_request_duration_seconds_sum":
                sums[key] = sums.get(key, 0.0) + sample.value
            elif sample.name == "accord_http_request_duration_seconds_count":
                counts[key] = counts.get(key, 0.0) + sample.value
    return {k: sums.get(k, 0.0) / n * 1000 for k, n in counts.items() if n}


# --- the world ----------------------------------------------------------------------------------------

def build_world(root: Path, database_url: str, students: int) -> Path:
    """The demo's county in `root` (data/ for the hub, accord-demo-nodes/ beside it), the caseworker
    given a password; the health node's encoded description of the consented child."""
    env = hub_env(root / "data", database_url)
    if not (root / STUDENT_REF).exists():
        t = time.perf_counter()
        demo = [sys.executable, "-m", "accord", "demo", "--reset", "--students", str(students)]
        done = subprocess.run(demo, env=env, cwd=root, capture_output=True, text=True)
        if done.returncode != 0:
            raise RuntimeError(f"accord demo failed ({done.returncode}): {done.stderr[-2000:]}")
        print(f"built the demo county ({students} students) in {time.perf_counter() - t:.0f} s")
    engine = make_engine(database_url)
    try:
        with session_scope(make_session_factory(engine)) as session:
            set_password(session, CASEWORKER, PASSWORD)
    finally:
        engine.dispose()
    return root / STUDENT_REF


@contextmanager
def scratch_postgres(server_url: str) -> Iterator[str]:
    """A database of its own on the server `server_url` names, dropped afterwards."""
    admin_url = make_url(server_url)
    name = f"accord_bench_{uuid.uuid4().hex[:12]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield admin_url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


# --- the run ------------------------------------------------------------------------------------------

async def run_cases(base: str, student_ref: bytes, clients: int, seconds: float,
                    which: list[str], server_pid: int) -> list[Figures]:
    signed = await signed_in_clients(base, CASEWORKER, PASSWORD, clients)
    try:
        cases: list[tuple[str, Send]] = [("GET /api/v1/me", get_me),
                                         ("POST /api/v1/cases", case_request(student_ref))]
        results = []
        for name, send in [c for c in cases if CASES[c[0]] in which]:
            await load(name, signed[:1], send, per_client=1)  # warm-up: imports, caches, the first model
            cpu = cpu_seconds(server_pid)
            results.append(await load(name, signed, send, seconds=seconds))
            results[-1].server_cpu_seconds = cpu_seconds(server_pid) - cpu
        return results
    finally:
        await asyncio.gather(*(c.aclose() for c in signed))


def report(backend: str, results: list[Figures], server: dict[tuple[str, str], float], log: Path) -> None:
    routes = {"GET /api/v1/me": ("GET", "/api/v1/me"), "POST /api/v1/cases": ("POST", "/api/v1/cases")}
    print(f"\n{backend}: {'case':<20} {'requests':>8} {'errors':>6} {'req/s':>8} {'p50 ms':>9} {'p99 ms':>9} "
          f"{'server mean ms':>15} {'server CPU ms':>14}  target")
    for f in results:
        met = f.rps >= TARGET_RPS and f.percentile(99) < TARGET_P99_MS and not f.errors
        print(f"{backend}: {f.name:<20} {f.requests:>8} {f.errors:>6} {f.rps:>8.1f} {f.percentile(50):>9.1f} "
              f"{f.percentile(99):>9.1f} {server.get(routes[f.name], float('nan')):>15.1f} "
              f"{f.server_cpu_ms:>14.1f}  {'met' if met else 'not met'}")
        if f.errors:
            print(f"{backend}:   statuses {dict(f.statuses)}")
    lines = [json.loads(x) for x in log.read_text(encoding="utf-8").splitlines() if x.startswith("{")]
    failed = Counter(str(line.get("error")) for line in lines if line.get("status", 0) >= 500)
    print(f"{backend}: the server logged {len(lines)} request lines (JSON); its 5xx by error class: "
          f"{dict(failed) or 'none'}")


def bench(backend: str, root: Path, database_url: str, args: argparse.Namespace) -> None:
    ref = build_world(root, database_url, args.students).read_bytes()
    log = root / "serve.log"
    pids: list[int] = []
    with served(hub_env(root / "data", database_url), log, pids) as base:
        results = asyncio.run(run_cases(base, ref, args.clients, args.seconds, args.cases, pids[0]))
        server = server_mean_ms(base)
    report(backend, results, server, log)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=20.0, help="per case (in-flight requests finish)")
    parser.add_argument("--students", type=int, default=300, help="the demo county's size")
    parser.add_argument("--cases", nargs="+", choices=sorted(set(CASES.values())), default=["me", "cases"])
    parser.add_argument("--keep", type=Path, help="build the SQLite world here, or reuse the one it holds")
    parser.add_argument("--postgres", help="also on PostgreSQL: a server URL whose role may create databases")
    args = parser.parse_args()
    print(f"{args.clients} clients, {args.seconds:g} s per case, on {os.cpu_count()} CPUs "
          f"(load average {os.getloadavg()[0]:.1f} before the run)")
    root = args.keep or Path(tempfile.mkdtemp(prefix="accord-bench-api-"))
    root.mkdir(parents=True, exist_ok=True)
    try:
        bench("sqlite", root, f"sqlite:///{root / 'data' / 'accord.db'}", args)
        if args.postgres:
            pg_root = Path(tempfile.mkdtemp(prefix="accord-bench-api-pg-"))
            try:
                with scratch_postgres(args.postgres) as url:
                    bench("postgresql", pg_root, url, args)
            finally:
                shutil.rmtree(pg_root, ignore_errors=True)
    finally:
        if args.keep is None:
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
