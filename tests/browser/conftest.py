"""Browser tests (issue 21): the demo county as a newcomer gets it (`accord demo`, then `accord
serve`, each a separate process), driven by Playwright in Debian's chromium. Each page a journey
opens is checked with axe-core (vendored, tests/browser/vendor) and saved as a screenshot under
test-artifacts/screenshots/. Without chromium these tests skip on a developer machine and FAIL under
CI (`.ci/run` installs it)."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

CHROMIUM = Path("/usr/bin/chromium")
AXE = Path(__file__).parent / "vendor" / "axe-core-4.14.1.min.js"
ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "test-artifacts" / "screenshots"
ACCORD = Path(sys.executable).parent / "accord"
STUDENTS = 200  # the demo's smallest county that still has every featured situation
SERIOUS = {"serious", "critical"}


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


@dataclass(frozen=True)
class DemoSite:
    url: str
    data_dir: Path
    home: Path  # where `accord demo` ran: the agencies' node folders are here
    sign_ins: dict[str, dict[str, Any]]
    env: dict[str, str]  # the demo's and the service's environment

    def password(self, user: str) -> str:
        return str(self.sign_ins[user]["password"])

    def code(self, user: str) -> str:
        """The code a newcomer is told to use (`accord users demo-code`): one the service has not taken
        from them yet, as a code works once and a journey may sign the same officer in again."""
        if not self.sign_ins[user]["second_factor"]:
            return ""
        given = subprocess.run([str(ACCORD), "users", "demo-code", user], cwd=self.home, env=self.env,
                               check=True, capture_output=True, text=True, timeout=120)
        return given.stdout.strip()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_ready(url: str, server: subprocess.Popen[bytes], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"accord serve stopped (exit {server.returncode})")
        try:
            if httpx.get(f"{url}/ready", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.3)
    raise RuntimeError("accord serve did not become ready")


@pytest.fixture(scope="session")
def demo_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoSite]:
    if not CHROMIUM.exists():
        if _in_ci():
            pytest.fail("CI is set but /usr/bin/chromium is missing: .ci/run installs Debian's chromium")
        pytest.skip("the browser tests need Debian's chromium (/usr/bin/chromium)")
    home = tmp_path_factory.mktemp("demo-site")
    env = {**os.environ, "ACCORD_DATA_DIR": str(home / "accord-data"), "ACCORD_NODE_DIR": str(home / "node")}
    env.pop("ACCORD_DATABASE_URL", None)
    subprocess.run([str(ACCORD), "demo", "--students", str(STUDENTS), "--reset"], cwd=home, env=env,
                   check=True, stdout=subprocess.DEVNULL, timeout=600)
    data_dir = home / "accord-data"
    sign_ins = json.loads((data_dir / "demo-sign-ins.json").read_text())
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    # Secure cookies, as `accord serve` gives them by default: chromium keeps them for 127.0.0.1.
    server = subprocess.Popen([str(ACCORD), "serve", "--port", str(port)], cwd=home, env=env,
                              stdout=subprocess.DEVNULL)
    try:
        _wait_ready(url, server)
        yield DemoSite(url, data_dir, home, sign_ins, env)
    finally:
        server.terminate()
        server.wait(timeout=30)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    if not CHROMIUM.exists():
        pytest.skip("no chromium")
    with sync_playwright() as p:
        # No sandbox: CI runs as root, where chromium's sandbox refuses to start.
        launched = p.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Any, demo_site: DemoSite) -> Iterator[Any]:
    context = browser.new_context(base_url=demo_site.url, locale="en-US")
    opened = context.new_page()
    opened.set_default_timeout(20_000)
    yield opened
    context.close()


def sign_in(page: Any, site: DemoSite, user: str) -> None:
    """Sign in through the sign-in page, as the person would (the code from their authenticator)."""
    page.goto("/sign-in")
    page.get_by_label("User name").fill(user)
    page.get_by_label("Password").fill(site.password(user))
    code = site.code(user)
    if code:
        page.get_by_label("Code from your authenticator app").fill(code)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: "/sign-in" not in url)


def accessible(page: Any) -> None:
    """axe-core finds no serious or critical violation on the page as it is now."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    bad = [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
           for v in result["violations"] if v["impact"] in SERIOUS]
    assert not bad, f"{page.url}: {bad}"


def shot(page: Any, name: str) -> Path:
    """A screenshot of the whole page, kept as a test artifact."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def visit(page: Any, name: str) -> None:
    """What every page of a journey gets: the accessibility check and its screenshot."""
    accessible(page)
    shot(page, name)


__all__ = ["DemoSite", "accessible", "shot", "shutil", "sign_in", "visit"]
