"""`accord serve` on a fresh machine (issue 21): with no database yet it builds the demo county and
serves its pages with the demo sign-ins; a store an operator initialised (`accord init`), even an
empty one, is served as it is, never filled with the demo."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

ACCORD = Path(sys.executable).parent / "accord"


def _serve(home: Path, *args: str) -> tuple[subprocess.Popen[bytes], str]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "ACCORD_DATA_DIR": str(home / "data"), "ACCORD_NODE_DIR": str(home / "node")}
    env.pop("ACCORD_DATABASE_URL", None)
    server = subprocess.Popen([str(ACCORD), "serve", "--port", str(port), *args], cwd=home, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        assert server.poll() is None, server.stderr.read() if server.stderr else b""
        try:
            if httpx.get(f"{url}/ready", timeout=2).status_code == 200:
                return server, url
        except httpx.TransportError:
            time.sleep(0.5)
    server.kill()
    raise AssertionError("accord serve did not become ready")


def _stop(server: subprocess.Popen[bytes]) -> None:
    server.terminate()
    server.wait(timeout=30)


def test_serve_with_no_database_builds_the_demo_county(tmp_path: Path) -> None:
    server, url = _serve(tmp_path, "--demo-students", "60")
    try:
        assert (tmp_path / "data" / "demo-sign-ins.json").exists()
        assert "Sign in" in httpx.get(f"{url}/sign-in").text
        assert httpx.get(f"{url}/", follow_redirects=False).headers["location"].startswith("/sign-in")
    finally:
        _stop(server)


def test_serve_leaves_an_initialised_store_as_it_is(tmp_path: Path) -> None:
    env = {**os.environ, "ACCORD_DATA_DIR": str(tmp_path / "data")}
    env.pop("ACCORD_DATABASE_URL", None)
    subprocess.run([str(ACCORD), "init"], env=env, cwd=tmp_path, check=True, stdout=subprocess.DEVNULL)
    server, url = _serve(tmp_path)
    try:
        assert not (tmp_path / "data" / "demo-sign-ins.json").exists()
        assert httpx.get(f"{url}/sign-in").status_code == 200
    finally:
        _stop(server)
