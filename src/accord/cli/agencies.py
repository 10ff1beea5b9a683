"""`accord agencies` and `accord users`: register and list agencies and the people who act."""

from __future__ import annotations

import typer

from accord.cli.common import console, joined, parse_datetime, store_session, table
from accord.domain.agencies import Agency, AgencyKind, Program, Role, User
from accord.workflows import registry
from accord.workflows.family import record_guardianship

agencies_app = typer.Typer(help="Register and list agencies.", no_args_is_help=True)
users_app = typer.Typer(help="Register and list users.", no_args_is_help=True)


@agencies_app.command("add")
def add_agency(
    agency_id: str = typer.Option(..., "--id", help="Short id, e.g. lea"),
    name: str = typer.Option(..., help="The agency's name"),
    kind: AgencyKind = typer.Option(..., help="What kind of agency"),
    program: list[Program] = typer.Option([], help="A program it runs (repeatable)"),
    school: list[str] = typer.Option([], help="An education agency's school, by its id in the public "
                                              "school directory (repeatable)"),
) -> None:
    """Register (or update) an agency."""
    with store_session() as s:
        agency = Agency(agency_id, name, kind, frozenset(program), frozenset(school))
        saved = registry.register_agency(s, agency)
    console.print(f"Agency {saved.id} saved.")


@agencies_app.command("list")
def list_agencies() -> None:
    """Every registered agency."""
    with store_session() as s:
        found = registry.agencies(s)
    t = table("Agencies", "id", "name", "kind", "programs", "schools")
    for a in found:
        t.add_row(a.id, a.name, a.kind.value, joined(p.value for p in a.programs), joined(a.schools))
    console.print(t)


@users_app.command("add")
def add_user(
    user_id: str = typer.Option(..., "--id", help="Login name"),
    agency: str = typer.Option(..., help="The agency the user acts for"),
    role: Role = typer.Option(..., help="The user's role"),
    name: str = typer.Option("", help="Display name"),
) -> None:
    """Register (or update) a user; the agency must be registered first."""
    with store_session() as s:
        saved = registry.register_user(s, User(user_id, agency, role, name))
    console.print(f"User {saved.id} saved.")


@users_app.command("list")
def list_users(agency: str | None = typer.Option(None, help="Only this agency's users")) -> None:
    """Registered users."""
    with store_session() as s:
        found = registry.users(s, agency)
    t = table("Users", "id", "agency", "role", "name")
    for u in found:
        t.add_row(u.id, u.agency_id, u.role.value, u.display_name)
    console.print(t)


@users_app.command("family")
def family(
    user_id: str = typer.Option(..., "--user", help="The parent's (or eligible student's) login name"),
    student: str = typer.Option(..., help="The student's id at the hub (`accord node pseudonym` at the "
                                "school's node gives it)"),
    by: str = typer.Option(..., help="The records officer of the student's school who checked it"),
) -> None:
    """Record that a parent's account is this student's (or a student's own): the service then
    shows them that student's disclosure history and consents, and nobody else's."""
    with store_session() as s:
        recorded = record_guardianship(s, by, user_id, student, parse_datetime(None, "--at"))
    # Neither id is echoed: a family's login name may be their e-mail address.
    console.print("Recorded: the account now sees that student's history and consents." if recorded
                  else "Already recorded: nothing changed.")
