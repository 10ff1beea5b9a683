"""The end of `accord demo`: sign-ins for the pages, kept in the demo's own file (mode 0600) and
shown once; `accord users demo-code` gives a demo account's next second-factor code from it: one of a
time step the service has not yet taken from that account, as a code works once (workflows.totp)."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from accord.cli.common import settings, store_session
from accord.errors import AccordError
from accord.secret_files import create_secret, read_secret
from accord.workflows.demo_signins import DemoSignIn, open_demo_sign_ins
from accord.workflows.totp import last_code_step, next_code

FILE = "demo-sign-ins.json"
URL = "http://127.0.0.1:8000"


class DemoSignInsMissing(AccordError, FileNotFoundError):
    """No demo sign-ins here (no demo county, or one made before sign-ins existed)."""


def sign_ins_file(data_dir: Path) -> Path:
    return data_dir / FILE


def make_demo_sign_ins(data_dir: Path, console: Console) -> None:
    """Passwords for one person of each role; the demo county must be in the store."""
    with store_session() as session:
        made = open_demo_sign_ins(session, datetime.now(UTC).replace(tzinfo=None))
    path = sign_ins_file(data_dir)
    path.unlink(missing_ok=True)  # the old county's accounts are gone with it
    body = {s.user: {"role": s.role, "password": s.password, "second_factor": s.second_factor} for s in made}
    create_secret(path, json.dumps(body, indent=2).encode(), DemoSignInsMissing, "demo sign-ins file")
    _show(made, path, console)


def _show(made: list[DemoSignIn], path: Path, console: Console) -> None:
    console.rule("[bold]The pages")
    console.print(f"Start the service with [bold].venv/bin/accord serve[/] and open [bold]{URL}[/]. "
                  "Sign in as any of these made-up people (their passwords are also in "
                  f"{path}, readable only by you):", highlight=False)
    table = Table(show_lines=False)
    for column in ("user name", "who", "password", "code"):
        table.add_column(column, overflow="fold")
    for s in made:
        code = f".venv/bin/accord users demo-code {s.user}" if s.second_factor else "leave empty"
        table.add_row(s.user, s.role, s.password, code)
    console.print(table)


def demo_code(user_id: str = typer.Argument(..., help="A demo account with a second factor")) -> None:
    """The next second-factor code of a demo account (from the demo's sign-ins file), in place of an
    authenticator app: one the service has not yet taken from the account (a code works once), after
    a wait of at most half a minute when the next one is already used. Only the demo county's
    accounts have one here."""
    path = sign_ins_file(settings().data_dir)
    known = json.loads(read_secret(path, DemoSignInsMissing, "demo sign-ins file", " (run `accord demo`)"))
    factor = known.get(user_id, {}).get("second_factor")
    if not factor:
        raise DemoSignInsMissing(f"{user_id} is not a demo account with a second factor")
    with store_session(read_only=True) as session:
        last = last_code_step(session, user_id)
    now = datetime.now(UTC).replace(tzinfo=None)
    upcoming = next_code(factor, last, now)
    if upcoming.usable_from > now:
        wait = (upcoming.usable_from - now).total_seconds()
        typer.echo(f"The next codes were used; a new one works in {wait:.0f} s: waiting.", err=True)
        time.sleep(wait)
    typer.echo(upcoming.code)
