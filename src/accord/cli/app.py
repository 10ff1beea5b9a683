"""The `accord` command: thin sub-commands over the store and the domain rules."""

from __future__ import annotations

import typer

from accord.cli import (
    agencies,
    agreements,
    case,
    consents,
    crosscheck,
    decide,
    demo_signins,
    descriptors,
    init_cmd,
    intake,
    keys,
    ledger,
    link,
    node,
    notifications,
    preview,
    serve,
    state_law,
    students,
    study,
    synth,
    training,
)
from accord.cli.common import AccordGroup
from accord.cli.demo import demo

app = typer.Typer(
    name="accord", cls=AccordGroup, no_args_is_help=True, pretty_exceptions_enable=False,
    help="Lawful, privacy-preserving sharing of student records between agencies. "
         "Uses ACCORD_DATA_DIR (default ./accord-data) and ACCORD_DATABASE_URL.",
)
app.command("init")(init_cmd.init)
app.add_typer(agencies.agencies_app, name="agencies")
app.add_typer(agencies.users_app, name="users")
app.add_typer(students.app, name="students")
app.add_typer(agreements.app, name="agreements")
app.add_typer(consents.app, name="consents")
app.add_typer(training.app, name="training")
app.add_typer(state_law.app, name="state-law")
app.command("decide")(decide.decide)
app.add_typer(case.app, name="case")
app.add_typer(crosscheck.app, name="crosscheck")
app.add_typer(study.app, name="study")
app.add_typer(intake.app, name="intake")
app.add_typer(notifications.app, name="notifications")
app.add_typer(preview.app, name="preview")
app.add_typer(ledger.app, name="ledger")
app.add_typer(node.app, name="node")
app.add_typer(keys.app, name="keys")
app.add_typer(descriptors.app, name="descriptors")
app.command("link")(link.link)
app.command("cluster")(link.cluster)
app.command("evaluate-links")(link.evaluate_links)
app.command("synth")(synth.synth)
app.command("demo")(demo)
app.command("serve")(serve.serve)
app.add_typer(serve.clients_app, name="clients")
agencies.users_app.command("password")(serve.password)
agencies.users_app.command("second-factor")(serve.second_factor)
agencies.users_app.command("oidc")(serve.oidc)
agencies.users_app.command("demo-code")(demo_signins.demo_code)


def main() -> None:
    """Entry point of the `accord` console script."""
    app()
