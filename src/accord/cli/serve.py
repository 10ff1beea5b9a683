"""`accord serve` (the JSON API, issue 20) and how a user gets a password and a second factor."""

from __future__ import annotations

from pathlib import Path

import typer

from accord.cli.common import acting_user, console, err_console, settings, store_session
from accord.workflows.machine_clients import register_client
from accord.workflows.oidc import link_identity
from accord.workflows.signin import enable_second_factor, set_password


def serve(host: str = typer.Option("127.0.0.1", help="Address to listen on"),
          port: int = typer.Option(8000, help="Port to listen on"),
          insecure_cookies: bool = typer.Option(False, "--insecure-cookies",
                                                help="Session cookies over plain http (local testing only)"),
          demo_county: bool = typer.Option(True, "--demo/--no-demo",
                                           help="With no database yet (never `accord init`), build the demo "
                                           "county first, so the pages have people and data to show"),
          demo_students: int = typer.Option(3000, min=50, help="How many students that demo county has")
          ) -> None:
    """Run the pages and the JSON API (OpenAPI at /openapi.json) over the configured store."""
    import uvicorn

    from accord.web import create_site

    config = settings()
    config.data_dir.mkdir(parents=True, exist_ok=True)
    if demo_county and _never_initialised(config.database_url):
        err_console.print("No database yet: building the demo county first (synthetic people only; "
                          "`accord serve --no-demo` starts empty).", highlight=False)
        from accord.cli.demo import demo

        demo(reset=False, students=demo_students, seed=7)
    console.print(f"Accord's pages: http://{host}:{port}/  (the API: http://{host}:{port}/openapi.json)",
                  highlight=False)
    uvicorn.run(create_site(config, secure_cookies=not insecure_cookies), host=host, port=port,
                log_level="warning")


def _never_initialised(database_url: str) -> bool:
    """No Accord schema at all: an operator's `accord init`, even of an empty store, is never filled
    with the demo county."""
    from accord.store.db import make_engine
    from accord.store.migrate import current_revision

    engine = make_engine(database_url)
    try:
        return current_revision(engine) is None
    finally:
        engine.dispose()


def password(user_id: str = typer.Argument(..., help="The user's login name"),
             password_file: Path | None = typer.Option(None, "--password-file",
                                                       help="Read the password from this file's first line")
             ) -> None:
    """Set a user's password for signing in to the service (their open sessions end)."""
    if password_file is not None:
        lines = password_file.read_text(encoding="utf-8").splitlines()
        secret = lines[0] if lines else ""
    else:
        secret = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    with store_session() as session:
        set_password(session, user_id, secret)
    console.print(f"Password set for {user_id}.", highlight=False)


clients_app = typer.Typer(help="Agency nodes as clients of the service (OAuth2 client credentials).",
                          no_args_is_help=True)


@clients_app.command("add")
def add_client(agency: str = typer.Option(..., "--agency", help="The agency the node acts for")) -> None:
    """Register an agency node as a client of the service; its secret is shown once."""
    from datetime import UTC, datetime

    with store_session() as session:
        client_id, secret = register_client(session, agency, datetime.now(UTC).replace(tzinfo=None))
    console.print(f"Client {client_id} for {agency}. Its secret, shown once (keep it in the node's own "
                  f"files): {secret}", highlight=False)


def second_factor(user_id: str = typer.Argument(..., help="The user's login name")) -> None:
    """Give a user a new TOTP second factor (records officers and administrators need one)."""
    with store_session() as session:
        secret = enable_second_factor(session, user_id)
    console.print(f"Second factor set for {user_id}. Enter this key in their authenticator app, once: "
                  f"{secret}", highlight=False)


def oidc(user_id: str = typer.Option(..., "--user", help="The user's login name"),
         issuer: str = typer.Option(..., help="The provider's issuer URL, as its ID tokens say it "
                                    "(ACCORD_OIDC_ISSUER)"),
         subject: str = typer.Option(..., help="The person's subject (`sub`) at that provider"),
         by: str | None = typer.Option(None, help="The administrator of the user's agency recording it "
                                       "(default: ACCORD_USER)")) -> None:
    """Link a person's identity at the service's OIDC provider to their account: they may then sign in
    there (GET /api/v1/session/oidc). Only this link opens an account: never an e-mail address or a
    name the provider sends."""
    from datetime import UTC, datetime

    configured = settings().oidc_issuer
    with store_session() as session:
        recorded = link_identity(session, by or acting_user(), user_id, issuer, subject,
                                 datetime.now(UTC).replace(tzinfo=None))
    console.print("Linked: the provider's identity now signs in to that account." if recorded
                  else "Already linked: nothing changed.")
    if configured and configured != issuer.strip():
        err_console.print("warning: the issuer is not ACCORD_OIDC_ISSUER's; the link works only for a "
                          "provider configured with exactly this issuer", highlight=False)
