"""benchmarks/api.py's harness, for a handful of requests so that it cannot rot: `accord serve` started
in a child process on a free port, clients signed in with their own sessions, a closed loop counted
and timed, the server's own figures read from /metrics, and the case request's form accepted by the
route as the benchmark sends it. The benchmark itself is not part of the suite."""

from __future__ import annotations

import asyncio
import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

from accord.store.db import make_engine, make_session_factory, session_scope
from accord.store.migrate import upgrade_to_head
from accord.workflows.signin import set_password
from tests.workflows.case_county import seed_world

BENCHMARK = Path(__file__).resolve().parents[2] / "benchmarks" / "api.py"
CASEWORKER, PASSWORD = "cw.health", "a long synthetic passphrase"


def _benchmark() -> ModuleType:
    spec = importlib.util.spec_from_file_location("benchmark_api", BENCHMARK)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up while it loads
    spec.loader.exec_module(module)
    return module


def test_the_benchmark_harness_serves_signs_in_and_counts(tmp_path: Path) -> None:
    bench = _benchmark()
    url = f"sqlite:///{tmp_path / 'accord.db'}"
    engine = make_engine(url)
    upgrade_to_head(engine)
    engine.dispose()
    seed_world(url)
    engine = make_engine(url)
    with session_scope(make_session_factory(engine)) as session:
        set_password(session, CASEWORKER, PASSWORD)
    engine.dispose()
    log = tmp_path / "serve.log"

    async def drive(base: str) -> tuple[Any, Any, Any]:
        clients = await bench.signed_in_clients(base, CASEWORKER, PASSWORD, 3)
        try:
            counted = await bench.load("me", clients, bench.get_me, per_client=4)
            timed = await bench.load("me", clients, bench.get_me, seconds=0.3)
            # Not an encoding: the route reads the benchmark's form and refuses the file (400), where
            # a form it did not take would be a 422.
            case = await bench.load("case", clients[:1], bench.case_request(b"not parquet"), per_client=1)
            return counted, timed, case
        finally:
            await asyncio.gather(*(c.aclose() for c in clients))

    with bench.served(bench.hub_env(tmp_path / "data", url), log) as base:
        counted, timed, case = asyncio.run(drive(base))
        server = bench.server_mean_ms(base)
    assert counted.requests == 12 and counted.statuses == {200: 12} and counted.errors == 0
    assert 0 < counted.percentile(50) <= counted.percentile(99) <= max(counted.latencies_ms)
    assert counted.rps > 0 and timed.requests >= 3 and timed.statuses.keys() == {200}
    assert case.statuses == {400: 1} and case.errors == 1
    assert server[("GET", "/api/v1/me")] > 0
    lines = [json.loads(x) for x in log.read_text(encoding="utf-8").splitlines() if x.startswith("{")]
    assert sum(line["route"] == "/api/v1/me" for line in lines) == counted.requests + timed.requests
    assert CASEWORKER not in log.read_text(encoding="utf-8")
